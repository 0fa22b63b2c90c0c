"""The validator-check pages get the verdicts the issue asks for, each pinned by rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.model import Report, Severity
from pipeline.report import to_json_path
from pipeline.validate import validate_html

FIXTURES = Path(__file__).parent / "fixtures"


def _validate(name: str) -> Report:
    return validate_html((FIXTURES / name).read_text(encoding="utf-8"), source=name)


def _rules(report: Report, severity: Severity) -> set[str]:
    return {finding.rule for finding in report.findings if finding.severity is severity}


def test_missing_accepted_answer_is_an_error() -> None:
    report = _validate("faq-missing-answer.html")

    assert _rules(report, Severity.ERROR) == {"content.answer-missing"}
    assert report.exit_code() == 1


def test_one_unanswered_question_of_two_is_an_error_naming_it() -> None:
    report = _validate("faq-mixed.html")

    (error,) = report.errors
    assert error.rule == "content.answer-missing"
    assert '"Q2?"' in error.message
    assert to_json_path(error.path) == "$.mainEntity[1]"


def test_accepted_answers_typo_is_a_warning_with_a_suggestion() -> None:
    report = _validate("faq-typo.html")

    typo = next(f for f in report.findings if f.path[-1:] == ("acceptedAnswers",))
    assert typo.severity is Severity.WARNING
    assert typo.rule == "vocabulary.unknown-property"
    assert typo.hint == 'did you mean "acceptedAnswer"?'


def test_misspelt_question_type_is_an_error() -> None:
    report = _validate("faq-typo.html")

    unknown = [f for f in report.errors if f.rule == "vocabulary.unknown-type"]
    assert [to_json_path(f.path) for f in unknown] == ["$.mainEntity[1].@type"]
    assert unknown[0].hint == 'did you mean "Question"?'


def test_typo_page_errors_are_the_unknown_type_and_the_answer_the_typo_hides() -> None:
    # With the key misspelt, Q1 has no acceptedAnswer for any consumer, which Google also reports.
    report = _validate("faq-typo.html")

    assert _rules(report, Severity.ERROR) == {"vocabulary.unknown-type", "content.answer-missing"}


def test_trailing_comma_is_a_syntax_error_at_its_line() -> None:
    report = _validate("faq-broken-json.html")

    (error,) = report.errors
    assert error.rule == "json.syntax"
    assert error.line == 3
    assert error.hint is not None
    assert "trailing comma" in error.hint


def test_unescaped_script_end_tag_in_an_answer_is_an_error() -> None:
    report = _validate("faq-script-breakout.html")

    (error,) = report.errors
    assert error.rule == "json.syntax"
    assert error.hint is not None
    assert "</script>" in error.hint


def test_escaped_script_end_tag_passes() -> None:
    # Passing means exit 0: the decoded answer does contain <script>, which consumers strip,
    # so the one warning says so.
    report = _validate("faq-script-escaped.html")

    assert report.exit_code() == 0
    assert _rules(report, Severity.WARNING) == {"content.answer-html-tag"}


def test_dangling_main_entity_reference_is_an_error() -> None:
    report = _validate("faq-graph-dangling.html")

    dangling = [f for f in report.errors if f.rule == "graph.dangling-reference"]
    assert [to_json_path(f.path) for f in dangling] == ["$.@graph[0].mainEntity[0]"]
    assert "#faq-404" in dangling[0].message
    assert _rules(report, Severity.ERROR) == {"graph.dangling-reference", "graph.orphan-question"}


def test_drug_dosage_is_a_warning() -> None:
    report = _validate("drug-medical.html")

    assert report.errors == ()
    (warning,) = report.warnings
    assert warning.rule == "vocabulary.unknown-property"
    assert to_json_path(warning.path) == "$.@graph[1].dosage"


@pytest.mark.parametrize("name", ["faq-graph.html", "faq-typearray.html"])
def test_valid_graph_pages_are_clean(name: str) -> None:
    report = _validate(name)

    assert report.errors == ()
    assert report.warnings == ()
    assert report.checked_nodes >= 3


def test_valid_faq_page_passes_but_warns_that_its_faq_is_not_visible() -> None:
    report = _validate("faq-valid.html")

    assert report.exit_code() == 0
    assert report.exit_code(strict=True) == 1
    assert _rules(report, Severity.WARNING) == {
        "content.question-not-visible",
        "content.answer-not-visible",
    }


def test_page_with_no_body_text_says_visibility_was_not_checked() -> None:
    report = _validate("faq-graph.html")

    assert [f.rule for f in report.findings] == ["content.visibility-unchecked"]
    assert report.findings[0].severity is Severity.INFO
