"""The splice: our block goes into the head, replaces itself on rerun, and comes out exactly."""

from __future__ import annotations

import json
import re

import pytest

from pipeline.emit.inject import (
    block_markers,
    has_block,
    inject,
    inject_bytes,
    remove_block,
    remove_block_bytes,
)
from pipeline.emit.script import script_block
from pipeline.errors import InjectError

BLOCK = script_block(
    {"@context": "https://schema.org", "@type": "WebPage", "name": "Fever </script> & more é"},
    ascii_only=True,
)
NEWER = script_block({"@context": "https://schema.org", "@type": "WebPage", "name": "Newer"})
_BODY = BLOCK[BLOCK.index(">") + 1 : BLOCK.rindex("</script>")]
ONE_LINE = script_block({"@context": "https://schema.org", "name": "x"}, minify=True)

PAGES = {
    "indented": (
        "<!doctype html>\n<html>\n  <head>\n    <title>Fever</title>\n  </head>\n"
        "  <body><p>Rest.</p></body>\n</html>\n"
    ),
    "minified": "<!DOCTYPE html><html><head><title>Fever</title></head><body>x</body></html>",
    "uppercase": "<HTML>\n<HEAD>\n<TITLE>Fever</TITLE>\n</HEAD>\n<BODY>x</BODY>\n</HTML>\n",
    "crlf": "<html>\r\n<head>\r\n\t<meta charset=utf-8>\r\n</head>\r\n<body>x</body>\r\n",
    "no-head-end": "<!doctype html>\n<html>\n<head>\n<meta charset=utf-8>\n<body>x\n",
    "no-head": "<!doctype html>\n<html>\n<body>\n<p>x</p>\n</body>\n</html>\n",
    "doctype-only": "<!doctype html><p>Only a paragraph.",
    "head-end-in-comment": (
        "<html><head><!-- old theme: </head> --><title>x</title></head><body></body></html>"
    ),
    "head-end-in-script": (
        "<html><head><script>document.write('</head>')</script>\n<style>p::after{content:"
        "'</head>'}</style>\n</head><body></body></html>"
    ),
    "head-end-in-attribute": (
        "<html><head><meta name='x' content='</head><!--'>\n</head><body></body></html>"
    ),
    "bom": "\ufeff<html><head></head><body></body></html>",
}


def _our_blocks(html: str) -> list[str]:
    return re.findall(r"<script[^>]*data-schemapress[^>]*>(.*?)</script>", html, re.DOTALL)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_inject_then_remove_restores_the_page_exactly(name: str) -> None:
    page = PAGES[name]

    injected = inject(page, BLOCK)

    assert injected != page
    assert remove_block(injected) == page


@pytest.mark.parametrize("name", sorted(PAGES))
def test_injecting_twice_equals_injecting_once(name: str) -> None:
    once = inject(PAGES[name], BLOCK)

    assert inject(once, BLOCK) == once
    assert len(_our_blocks(once)) == 1


@pytest.mark.parametrize("name", sorted(PAGES))
def test_a_new_block_replaces_ours_in_place_and_still_removes_exactly(name: str) -> None:
    page = PAGES[name]
    once = inject(page, BLOCK)

    updated = inject(once, NEWER)

    assert len(_our_blocks(updated)) == 1
    assert json.loads(_our_blocks(updated)[0])["name"] == "Newer"
    assert updated.index("data-schemapress") == once.index("data-schemapress")
    assert remove_block(updated) == page


def test_block_goes_before_the_head_end_on_its_own_indented_line() -> None:
    injected = inject(PAGES["indented"], BLOCK)

    before_end = injected.split("  </head>")[0]
    assert before_end.endswith("    </script>\n")
    assert '\n    <script type="application/ld+json" data-schemapress>\n' in injected


def test_uppercase_head_end_is_found() -> None:
    injected = inject(PAGES["uppercase"], BLOCK)

    assert injected.index("data-schemapress") < injected.index("</HEAD>")
    assert injected.index("<TITLE>") < injected.index("data-schemapress")


@pytest.mark.parametrize(
    "name", ["head-end-in-comment", "head-end-in-script", "head-end-in-attribute"]
)
def test_head_end_inside_a_comment_script_or_attribute_is_not_the_head_end(name: str) -> None:
    page = PAGES[name]
    injected = inject(page, BLOCK)

    real_end = page.rindex("</head>")
    assert injected.index("data-schemapress") > real_end - len("<script ")
    assert injected[:real_end] == page[:real_end]


def test_crlf_page_gets_crlf_line_ends_in_the_block() -> None:
    injected = inject(PAGES["crlf"], BLOCK)

    assert "\n" not in injected.replace("\r\n", "")
    assert "\t<script" in injected


def test_without_head_end_the_block_follows_the_head_start_tag() -> None:
    injected = inject(PAGES["no-head-end"], BLOCK)

    assert injected.index("<head>") < injected.index("data-schemapress") < injected.index("<meta")


def test_without_head_the_block_goes_before_body() -> None:
    injected = inject(PAGES["no-head"], BLOCK)

    assert injected.index("data-schemapress") < injected.index("<body>")


def test_with_only_a_doctype_the_block_follows_it_so_the_mode_stays_standards() -> None:
    injected = inject(PAGES["doctype-only"], BLOCK)

    assert injected.startswith("<!doctype html><script")


def test_a_fragment_with_no_page_tags_is_refused() -> None:
    with pytest.raises(InjectError, match="fragment"):
        inject("<p>Just a paragraph.</p>", BLOCK, page="partial.html")


def test_a_block_without_our_marker_is_a_caller_error() -> None:
    with pytest.raises(ValueError, match="data-schemapress"):
        inject(PAGES["minified"], '<script type="application/ld+json">{}</script>')


def test_a_commented_out_block_of_ours_is_left_alone() -> None:
    page = f"<html><head><!-- {ONE_LINE} --></head><body></body></html>"

    injected = inject(page, BLOCK)

    assert injected.startswith(f"<html><head><!-- {ONE_LINE} -->")
    assert not has_block(page)
    assert remove_block(injected) == page


def test_a_second_copy_of_our_block_is_removed() -> None:
    page = PAGES["indented"].replace("<p>Rest.</p>", f"<p>Rest.</p>{ONE_LINE.strip()}")
    once = inject(PAGES["indented"], BLOCK)
    doubled = once.replace("<p>Rest.</p>", f"<p>Rest.</p>{ONE_LINE.strip()}")

    assert _our_blocks(inject(doubled, BLOCK)) == _our_blocks(once)
    assert has_block(page)


@pytest.mark.parametrize("marker", ["DATA-SCHEMAPRESS", "Data-SchemaPress"])
def test_a_block_whose_marker_changed_case_is_still_ours(marker: str) -> None:
    """HTML attribute names ignore ASCII case, so a tool may have rewritten ours; still one block."""
    moved = ONE_LINE.strip().replace("data-schemapress", marker)
    page = PAGES["indented"].replace("<p>Rest.</p>", f"<p>Rest.</p>{moved}")

    injected = inject(page, BLOCK)

    assert [json.loads(block) for block in _our_blocks(injected)] == [json.loads(_BODY)]
    assert marker not in injected
    assert inject(injected, BLOCK) == injected
    assert remove_block(page) == PAGES["indented"]


def test_a_marker_with_a_non_ascii_letter_is_not_ours() -> None:
    """The long s (ſ) folds to s in Unicode, but HTML reads `data-ſchemapress` as another name."""
    theirs = ONE_LINE.strip().replace("data-schemapress", "data-\u017fchemapress")
    page = PAGES["indented"].replace("<title>", f"{theirs}<title>")

    assert not has_block(page)
    assert theirs in inject(page, BLOCK)


def test_one_line_block_inline_head_round_trips() -> None:
    page = PAGES["minified"]

    injected = inject(page, ONE_LINE)

    assert "<title>Fever</title><script" in injected
    assert "</script></head>" in injected
    assert remove_block(injected) == page


def test_bytes_outside_the_block_survive_in_latin1() -> None:
    page = "<html><head><title>Gr\u00fc\u00dfe</title></head><body>\u00e4\u00f6</body></html>"
    data = page.encode("latin-1")

    injected = inject_bytes(data, BLOCK)

    assert injected.isascii() is False
    assert remove_block_bytes(injected) == data
    assert injected.decode("latin-1").count("Gr\u00fc\u00dfe") == 1


def test_invalid_utf8_bytes_survive() -> None:
    data = b"<html><head><title>\xff\xfe broken \xc3</title></head><body>\x80</body></html>"

    injected = inject_bytes(data, BLOCK)

    assert remove_block_bytes(injected) == data
    assert injected.startswith(b"<html><head><title>\xff\xfe broken \xc3</title>")


def test_a_non_ascii_block_cannot_go_into_bytes() -> None:
    block = script_block({"@context": "https://schema.org", "name": "\u00e9"})

    with pytest.raises(ValueError, match="ASCII"):
        inject_bytes(b"<html><head></head></html>", block)


def test_utf16_page_is_refused_with_a_reason() -> None:
    data = "<html><head></head></html>".encode("utf-16")

    with pytest.raises(InjectError, match="UTF-16"):
        inject_bytes(data, BLOCK, page="wide.html")


def test_unchanged_block_returns_the_same_text() -> None:
    once = inject(PAGES["crlf"], BLOCK)

    assert inject(once, BLOCK) == once
    assert remove_block(PAGES["crlf"]) == PAGES["crlf"]


def test_block_markers_name_who_made_each_block() -> None:
    mine = script_block({"@context": "https://schema.org"}, marker="inject")
    page = inject(PAGES["minified"], mine).replace("<body>x", f"<body>x{ONE_LINE.strip()}")

    assert block_markers(page) == ("inject", "")
    assert block_markers(PAGES["minified"]) == ()
