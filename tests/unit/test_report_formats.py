from __future__ import annotations

import json
from xml.etree.ElementTree import fromstring

import pytest

from pipeline.model import Finding, Report, Severity, sorted_report
from pipeline.report import (
    FORMATTERS,
    format_json,
    format_junit,
    format_sarif,
    format_text,
    to_json_path,
)
from pipeline.validate import RULES


def _reports() -> list[tuple[str, Report]]:
    findings = (
        Finding(
            rule="content.answer-missing",
            severity=Severity.ERROR,
            message='FAQ question "Q2?" has no acceptedAnswer',
            path=("mainEntity", 1),
            line=3,
            hint="add an Answer",
            source="faq.html",
        ),
        Finding(
            rule="vocabulary.unknown-property",
            severity=Severity.WARNING,
            message='"dosage" is not a schema.org 30.0 property',
            path=("@graph", 1, "dosage"),
            node_id="https://ex.org/#drug",
            line=5,
            source="faq.html",
        ),
    )
    return [
        ("faq.html", sorted_report(findings, checked_nodes=4)),
        ("ok.html", Report(checked_nodes=2)),
    ]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ((), "$"),
        (("@graph", 2, "acceptedAnswer", "text"), "$.@graph[2].acceptedAnswer.text"),
        (("a b", "it's"), "$['a b']['it\\'s']"),
    ],
)
def test_json_path_rendering(path: tuple[str | int, ...], expected: str) -> None:
    assert to_json_path(path) == expected


def test_text_groups_findings_by_file() -> None:
    assert format_text(_reports()) == (
        "faq.html: 1 error, 1 warning (4 nodes checked)\n"
        "  error   content.answer-missing  line 3 $.mainEntity[1]: "
        'FAQ question "Q2?" has no acceptedAnswer\n'
        "          hint: add an Answer\n"
        "  warning vocabulary.unknown-property  line 5 $.@graph[1].dosage [https://ex.org/#drug]: "
        '"dosage" is not a schema.org 30.0 property\n'
        "ok.html: ok (2 nodes checked)\n"
        "2 files: 1 error, 1 warning\n"
    )


def test_json_report_round_trips_with_totals() -> None:
    data = json.loads(format_json(_reports()))

    assert data["summary"] == {"files": 2, "errors": 1, "warnings": 1}
    first = data["files"][0]["findings"][0]
    assert first["json_path"] == "$.mainEntity[1]"
    assert first["path"] == ["mainEntity", 1]
    assert data["files"][1] == {
        "source": "ok.html",
        "checked_nodes": 2,
        "errors": 0,
        "warnings": 0,
        "findings": [],
    }


def test_sarif_has_every_rule_and_one_result_per_finding() -> None:
    log = json.loads(format_sarif(_reports()))

    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == sorted(RULES)
    results = run["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("content.answer-missing", "error"),
        ("vocabulary.unknown-property", "warning"),
    ]
    assert rules[results[0]["ruleIndex"]]["id"] == "content.answer-missing"
    location = results[0]["locations"][0]
    assert location["physicalLocation"] == {
        "artifactLocation": {"uri": "faq.html"},
        "region": {"startLine": 3},
    }
    assert location["logicalLocations"][0]["fullyQualifiedName"] == "$.mainEntity[1]"
    assert results[1]["properties"] == {"nodeId": "https://ex.org/#drug"}


def test_junit_fails_files_with_errors_and_warnings_only_when_strict() -> None:
    root = fromstring(format_junit(_reports()))  # noqa: S314 - our own output

    assert root.attrib["tests"] == "2"
    assert root.attrib["failures"] == "1"
    cases = root.findall("./testsuite/testcase")
    assert [case.attrib["name"] for case in cases] == ["faq.html", "ok.html"]
    assert cases[0].find("failure") is not None
    assert "vocabulary.unknown-property" in (cases[0].findtext("system-out") or "")
    assert cases[1].find("failure") is None

    strict = fromstring(  # noqa: S314 - our own output
        format_junit([("w.html", sorted_report(_reports()[0][1].warnings))], strict=True)
    )
    assert strict.attrib["failures"] == "1"


@pytest.mark.parametrize("name", sorted(FORMATTERS))
def test_every_format_is_deterministic_and_ends_with_a_newline(name: str) -> None:
    formatter = FORMATTERS[name]

    assert formatter(_reports()) == formatter(_reports())
    assert formatter(_reports()).endswith("\n")
