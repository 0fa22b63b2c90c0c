from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import pytest

from pipeline.report import to_json_path
from pipeline.settings import CheckConfig
from pipeline.validate import load_validators, validate_jsonld
from pipeline.validate.content import check_content, html_words, words
from pipeline.validate.graph import GraphIndex
from pipeline.validate.nodes import flatten

if TYPE_CHECKING:
    from pipeline.model import JsonObject

ONLY_CONTENT = CheckConfig(ignore=("schema", "vocabulary", "graph"))


def _faq(*questions: dict[str, Any]) -> dict[str, Any]:
    return {"@context": "https://schema.org", "@type": "FAQPage", "mainEntity": list(questions)}


def _qa(name: str, text: str) -> dict[str, Any]:
    return {"@type": "Question", "name": name, "acceptedAnswer": {"@type": "Answer", "text": text}}


def _findings(
    doc: dict[str, Any] | list[Any], page_text: str | None = None
) -> list[tuple[str, str]]:
    report = validate_jsonld(doc, page_text=page_text, checks=ONLY_CONTENT)
    return [(f.rule, to_json_path(f.path)) for f in report.findings]


def test_complete_faq_is_clean() -> None:
    assert _findings(_faq(_qa("Is it safe?", "<p>Ask a <b>doctor</b>.</p>"))) == []


def test_blank_name_and_wordless_answer_are_errors() -> None:
    doc = _faq(_qa("  ", "<p> </p>"))

    assert _findings(doc) == [
        ("content.question-name-missing", "$.mainEntity[0]"),
        ("content.answer-empty", "$.mainEntity[0].acceptedAnswer.text"),
    ]


def test_answer_given_by_reference_is_resolved() -> None:
    doc = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "FAQPage", "mainEntity": {"@id": "https://ex.org/#q"}},
            {
                "@type": "Question",
                "@id": "https://ex.org/#q",
                "name": "Q?",
                "acceptedAnswer": {"@id": "https://ex.org/#a"},
            },
            {"@type": "Answer", "@id": "https://ex.org/#a", "text": "A."},
        ],
    }

    assert _findings(doc) == []


def test_question_outside_an_faq_page_needs_no_answer() -> None:
    assert (
        _findings({"@context": "https://schema.org", "@type": "Question", "text": "2 + 2?"}) == []
    )


def test_disallowed_answer_tags_are_one_warning() -> None:
    doc = _faq(_qa("Q?", '<p>See <img src="x"> and <span>this</span><script>x()</script></p>'))
    report = validate_jsonld(doc, checks=ONLY_CONTENT)

    (finding,) = report.findings
    assert finding.rule == "content.answer-html-tag"
    assert "<img>, <script>, <span>" in finding.message


def test_dates_after_today_warn_with_a_day_of_slack() -> None:
    doc: JsonObject = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "lastReviewed": "2026-01-11",
        "datePublished": "2026-01-12",
    }
    index = GraphIndex.build(flatten(doc))
    issues = list(
        check_content(index, allowed_tags=load_validators().answer_tags, today=dt.date(2026, 1, 10))
    )

    assert [(i.rule, to_json_path(i.path)) for i in issues] == [
        ("content.date-in-future", "$.datePublished")
    ]


def test_two_faq_pages_in_one_document_are_an_error() -> None:
    doc = {
        "@context": "https://schema.org",
        "@graph": [
            _faq(_qa("Q?", "A."))["mainEntity"][0],
            {"@type": "FAQPage", "mainEntity": []},
            {"@type": "FAQPage", "mainEntity": []},
        ],
    }

    assert ("content.multiple-faq-pages", "$.@graph[2]") in _findings(doc)


def test_visible_faq_passes_and_hidden_faq_warns() -> None:
    doc = _faq(_qa("Is kratom legal?", "<p>It depends on the <em>country</em>.</p>"))

    assert _findings(doc, page_text="FAQ. Is kratom legal? It depends on the country. More") == []
    assert _findings(doc, page_text="Something else entirely") == [
        ("content.answer-not-visible", "$.mainEntity[0].acceptedAnswer.text"),
        ("content.question-not-visible", "$.mainEntity[0].name"),
    ]


def test_visible_text_matches_whole_words_whatever_the_case_spacing_and_punctuation() -> None:
    doc = _faq(_qa("Is it safe?", "<p>Yes, <b>mostly</b>; ask a doctor.</p>"))
    faq = "FAQ\nIS IT SAFE ...\nyes — mostly. Ask a\n doctor! end"

    assert _findings(doc, page_text=faq) == []
    assert _findings(doc, page_text=faq.replace("SAFE", "SAFER").replace("doctor", "doctors")) == [
        ("content.answer-not-visible", "$.mainEntity[0].acceptedAnswer.text"),
        ("content.question-not-visible", "$.mainEntity[0].name"),
    ]
    assert _findings(doc, page_text="This is it: safe? yes, mostly; ask a doctor.") == []


@pytest.mark.parametrize(
    "answer",
    [
        '<p\xa0class="x">A</p>',  # HTMLParser reads the tag name up to the space as "p\xa0class"
        "<p>1 < 2</p><SCRIPT>x()</SCRIPT>",
        '<a href="#" onclick="x">A</a><table></table>',
    ],
)
def test_answer_tags_are_read_as_html_parser_reads_them(answer: str) -> None:
    report = validate_jsonld(_faq(_qa("Q?", answer)), checks=ONLY_CONTENT)

    assert [f.rule for f in report.findings] == ["content.answer-html-tag"]


def test_visibility_check_can_be_switched_off() -> None:
    doc = _faq(_qa("Q?", "A."))
    report = validate_jsonld(doc, page_text="nothing", checks=CheckConfig(check_visibility=False))

    assert report.findings == ()


def test_html_words_ignore_tags_entities_case_and_punctuation() -> None:
    assert html_words("<p>Don&#39;t  <b>MIX</b>,\nplease!</p>") == "don t mix please"


def test_plain_words_keep_text_that_looks_like_a_tag() -> None:
    assert words("Rarely <not> a problem") == "rarely not a problem"
