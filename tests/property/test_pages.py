"""Any page gives a valid result or an InputError: no other exception, no invalid output."""

from __future__ import annotations

import contextlib
import json
from typing import TYPE_CHECKING

import html5lib
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from pipeline.api import Toolkit, convert_source
from pipeline.errors import InputError
from pipeline.model import Format, Source
from pipeline.read import read
from pipeline.settings import Settings
from tests.property.strategies import html_pages, markdown_pages, text_pages

if TYPE_CHECKING:
    from pipeline.model import Result

FORMATS: tuple[Format, ...] = ("text", "markdown", "html")
_XHTML = "{http://www.w3.org/1999/xhtml}"
# Built once here: hypothesis prints fixture values of failing examples, and a toolkit is huge.
TOOLKIT = Toolkit.from_settings(Settings())


def _source(media: Format | None) -> Source:
    return Source(path=f"page.{media or 'bin'}", relative="page", media=media)


def _convert(data: bytes, media: Format | None) -> Result | None:
    """Convert, or None when the page is refused with an InputError that says where and why."""
    try:
        result = convert_source(data, _source(media), Settings(), TOOLKIT)
    except InputError as error:
        message, reason = str(error), error.reason
    else:
        return result
    assert message.startswith("page."), message
    assert reason
    return None


def assert_sound(result: Result | None) -> None:
    """Our own validator passes our output, and the snippet re-parses to the same JSON."""
    if result is None:
        return
    assert result.report.errors == (), [f.message for f in result.report.errors]
    assert_one_script(result.snippet, json.loads(result.jsonld))


def assert_one_script(snippet: str, expected: object) -> None:
    """html5lib finds exactly our one script, holding exactly the JSON we emitted."""
    document = html5lib.parse(f"<!doctype html><html><head>{snippet}</head><body></body></html>")
    scripts = list(document.iter(f"{_XHTML}script"))
    assert len(scripts) == 1
    assert scripts[0].get("type") == "application/ld+json"
    assert json.loads(scripts[0].text or "") == expected
    tags = [element.tag.removeprefix(_XHTML) for element in document.iter()]
    assert tags == ["html", "head", "script", "body"]


@pytest.mark.parametrize("media", [*FORMATS, None])
@given(data=st.binary(max_size=2_000))
@example(data=b"\x00" * 10)
@example(data=b"\xff\xfe\x00")
@example(data=b"---\n: :\n---\n")
@example(data=b"\xef\xbb\xbf")
def test_any_bytes_read_or_raise_input_error(media: Format | None, data: bytes) -> None:
    with contextlib.suppress(InputError):
        read(data, _source(media))


@pytest.mark.parametrize("media", FORMATS)
@given(text=st.text(max_size=2_000))
def test_any_text_converts_to_valid_output_or_input_error(media: Format, text: str) -> None:
    assert_sound(_convert(text.encode("utf-8"), media))


@given(text=text_pages())
def test_text_pages_convert_to_valid_output(text: str) -> None:
    assert_sound(_convert(text.encode("utf-8"), "text"))


@given(text=markdown_pages())
def test_markdown_pages_convert_to_valid_output(text: str) -> None:
    assert_sound(_convert(text.encode("utf-8"), "markdown"))


@given(text=html_pages())
def test_html_pages_convert_to_valid_output(text: str) -> None:
    assert_sound(_convert(text.encode("utf-8"), "html"))


@given(text=st.one_of(text_pages(), markdown_pages(), html_pages()))
def test_conversion_is_deterministic(text: str) -> None:
    first = _convert(text.encode("utf-8"), None)
    second = _convert(text.encode("utf-8"), None)
    assert (first is None) == (second is None)
    if first is not None and second is not None:
        assert first.jsonld == second.jsonld
        assert first.snippet == second.snippet


@given(text=st.one_of(text_pages(), markdown_pages(), html_pages()))
def test_no_javascript_link_in_any_answer(text: str) -> None:
    result = _convert(text.encode("utf-8"), None)
    if result is None:
        return
    for node in result.graph.jsonld.get("@graph", []):  # type: ignore[union-attr]
        answer = node.get("acceptedAnswer") if isinstance(node, dict) else None
        if isinstance(answer, dict):
            assert "<a " not in str(answer.get("text", ""))
            assert "href" not in str(answer.get("text", ""))
