"""Page text that tries to break out of the script block, or into the answers, stays data."""

from __future__ import annotations

import json

import pytest

from pipeline.api import Toolkit, convert_source
from pipeline.errors import InputError
from pipeline.model import Format, Source
from pipeline.settings import Settings
from tests.property.test_pages import assert_one_script

TOOLKIT = Toolkit.from_settings(Settings())
HOSTILE = [
    "</script>",
    "</SCRIPT >",
    "</script/>",
    "<!--<script>",
    "\u2028 and \u2029",
    "\u202eright-to-left\u200f mark",
    "javascript:alert(1)",
    "a" * 100_000,
]


def _pages(hostile: str) -> dict[Format, str]:
    text = f"Kratom may cause nausea, and {hostile} is written here."
    return {
        "text": f"KRATOM\nSide Effects of {hostile}\n{text}\nIs kratom {hostile} safe?\n{text}\n",
        "markdown": f"# Kratom\n\n## Side effects <b>{hostile}</b>\n\n{text}\n\n"
        f"## Is **kratom** [safe](https://example.com/) `{hostile}`?\n\n{text} "
        f"[click](javascript:alert(1))\n",
        "html": f"<html><head><title>Kratom</title></head><body><h1>Kratom</h1>"
        f"<h2>Side effects <em>{hostile}</em></h2><p>{text}</p>"
        f'<h2>Is kratom <a href="javascript:alert(1)">safe</a>?</h2>'
        f'<p>{text} <a href="javascript:alert(1)">click</a></p></body></html>',
    }


@pytest.mark.parametrize("media", ["text", "markdown", "html"])
@pytest.mark.parametrize("hostile", HOSTILE, ids=range(len(HOSTILE)))
def test_written_html_has_our_one_script_with_the_same_json(media: Format, hostile: str) -> None:
    data = _pages(hostile)[media].encode("utf-8")
    result = convert_source(
        data, Source(path=f"p.{media}", relative="p", media=media), Settings(), TOOLKIT
    )
    assert result.report.errors == ()
    assert_one_script(result.snippet, json.loads(result.jsonld))
    for minify, ascii_only in ((True, False), (False, True)):
        settings = Settings()
        settings = type(settings)(output=type(settings.output)(minify=minify, ascii=ascii_only))
        again = convert_source(data, Source(path="p", relative="p", media=media), settings, TOOLKIT)
        assert_one_script(again.snippet, json.loads(again.jsonld))


@pytest.mark.parametrize("media", ["text", "markdown", "html"])
def test_javascript_urls_never_become_links_in_answers(media: Format) -> None:
    data = _pages("javascript:alert(1)")[media].encode("utf-8")
    result = convert_source(data, Source(path="p", relative="p", media=media), Settings(), TOOLKIT)
    answers = [
        node["acceptedAnswer"]["text"]
        for node in json.loads(result.jsonld)["@graph"]
        if node.get("@type") == "Question"
    ]
    assert answers
    for answer in answers:
        assert "<a" not in answer
        assert "href" not in answer


def test_markup_in_question_names_is_plain_text() -> None:
    page = _pages("x")["markdown"].encode("utf-8")
    result = convert_source(page, Source(path="p.md", relative="p"), Settings(), TOOLKIT)
    names = [q.question for q in result.analysis.faq]
    assert "Is kratom safe x?" in names
    assert not any(mark in name for name in names for mark in ("**", "`", "](", "<"))


def test_nul_bytes_early_on_mean_a_binary_file_refused_with_a_reason() -> None:
    page = b"KRATOM\nSide Effects\nKratom may cause \x00nausea.\n"
    with pytest.raises(InputError, match=r"p.txt: the file looks binary \(it contains NUL bytes\)"):
        convert_source(page, Source(path="p.txt", relative="p"), Settings(), TOOLKIT)


def test_nul_bytes_and_bidi_marks_later_on_leave_no_trace_in_the_output() -> None:
    filler = "Kratom is a tree whose leaves people chew. " * 250
    page = (
        f"KRATOM\n{filler}\nSide Effects\nKratom may cause \x00nausea\u200f and \u202edizziness.\n"
    )
    result = convert_source(page.encode(), Source(path="p.txt", relative="p"), Settings(), TOOLKIT)
    text = result.jsonld.decode("utf-8")
    assert "\\u0000" not in text
    assert "\u200f" not in text
    assert "\u202e" not in text


def test_very_long_word_survives_whole() -> None:
    word = "x" * 100_000
    page = f"KRATOM\nSide Effects\nKratom may cause {word} and nausea in some people.\n"
    result = convert_source(page.encode(), Source(path="p.txt", relative="p"), Settings(), TOOLKIT)
    assert word in result.jsonld.decode("utf-8")
