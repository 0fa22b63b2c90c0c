"""`leading_text` is `element_text` cut short, whatever the markup and wherever the cut falls."""

from __future__ import annotations

import lxml.etree
from hypothesis import given
from hypothesis import strategies as st

from pipeline.read.html_text import element_text, leading_text
from tests.property.strategies import html_pages

PARSER = lxml.etree.HTMLParser(remove_comments=True, remove_pis=True)


@given(page=html_pages(), chars=st.integers(0, 200))
def test_leading_text_is_the_start_of_element_text(page: str, chars: int) -> None:
    root = lxml.etree.fromstring(page, PARSER)
    for element in root.iter():
        assert leading_text(element, chars) == element_text(element)[:chars]


def test_a_long_menu_gives_its_first_words() -> None:
    links = "".join(f"<li><a href='/{n}'>Link number {n}</a></li>" for n in range(1000))
    menu = lxml.etree.fromstring(f"<nav><ul>{links}</ul></nav>", PARSER).find(".//nav")

    assert leading_text(menu, 30) == "Link number 0 Link number 1 Li"
    assert leading_text(menu, 30) == element_text(menu)[:30]
