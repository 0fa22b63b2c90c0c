from __future__ import annotations

from pipeline.report import to_json_path
from pipeline.settings import CheckConfig
from pipeline.validate import validate_json_text
from pipeline.validate.strict_json import parse_strict


def test_repeated_key_is_reported_at_its_path() -> None:
    parsed = parse_strict('{"@type": "Drug", "a": {"name": "x", "name": "y"}}')

    assert parsed.ok
    (issue,) = parsed.issues
    assert issue.rule == "json.duplicate-key"
    assert to_json_path(issue.path) == "$.a.name"


def test_nan_and_infinity_are_reported_and_replaced_by_null() -> None:
    parsed = parse_strict('{"a": NaN, "b": [Infinity]}')

    assert [(i.rule, to_json_path(i.path)) for i in parsed.issues] == [
        ("json.non-finite-number", "$.a"),
        ("json.non-finite-number", "$.b[0]"),
    ]
    assert parsed.data == {"a": None, "b": [None]}


def test_syntax_error_line_counts_from_the_given_start_line() -> None:
    parsed = parse_strict('{\n"a": 1,\n}', line=10)

    assert not parsed.ok
    (issue,) = parsed.issues
    assert issue.rule == "json.syntax"
    assert issue.line == 12


def test_syntax_error_stops_the_other_layers() -> None:
    report = validate_json_text('{"@type": "Questionn",}', source="page.json")

    assert [f.rule for f in report.findings] == ["json.syntax"]
    assert report.findings[0].source == "page.json"
    assert report.checked_nodes == 0


def test_ignoring_the_json_layer_drops_its_findings_but_still_checks_the_rest() -> None:
    text = '{"@context": "https://schema.org", "@type": "Drug", "name": "a", "name": "b"}'
    report = validate_json_text(text, checks=CheckConfig(ignore=("json",)))

    assert report.findings == ()
    assert report.checked_nodes == 1


def test_repeated_key_deep_in_lists_is_found_and_the_last_value_kept() -> None:
    parsed = parse_strict('[{"a": [1, {"b": 1, "c": [], "b": 2}]}]')

    assert [(i.rule, to_json_path(i.path)) for i in parsed.issues] == [
        ("json.duplicate-key", "$[0].a[1].b")
    ]
    assert parsed.data == [{"a": [1, {"b": 2, "c": []}]}]
    assert type(parsed.data[0]) is dict
