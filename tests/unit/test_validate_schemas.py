from __future__ import annotations

import json
from pathlib import Path  # noqa: TC003 - pytest resolves the parameter annotation
from typing import TYPE_CHECKING, Any

import pytest
from jsonschema import Draft202012Validator

from pipeline.report import to_json_path
from pipeline.settings import CheckConfig
from pipeline.validate import load_validators, validate_jsonld
from pipeline.validate.toolkit import schema_dir

if TYPE_CHECKING:
    from pipeline.model import JsonObject

ONLY_SCHEMA = CheckConfig(ignore=("vocabulary", "graph", "content"))
CONTEXT = "https://schema.org"


def _schema_findings(doc: dict[str, Any]) -> list[tuple[str, str]]:
    report = validate_jsonld(doc, checks=ONLY_SCHEMA)
    return [(f.rule, to_json_path(f.path)) for f in report.findings]


@pytest.mark.parametrize("path", sorted(schema_dir().glob("*.schema.json")), ids=lambda p: p.name)
def test_every_schema_is_valid_draft_2020_12(path: Path) -> None:
    Draft202012Validator.check_schema(json.loads(path.read_text(encoding="utf-8")))


def test_there_is_a_validator_for_every_type_we_emit() -> None:
    emitted = {"MedicalWebPage", "FAQPage", "Question", "Answer", "Drug", "DietarySupplement"}
    others = {"MedicalAudience", "Organization", "Person", "WebPage", "WebSite"}

    assert emitted | others <= set(load_validators().schemas)


def test_answer_without_text_fails_required() -> None:
    doc = {"@context": CONTEXT, "@type": "Answer", "upvoteCount": 3}

    assert _schema_findings(doc) == [("schema.required", "$")]


def test_nested_nodes_are_checked_against_their_own_type() -> None:
    doc = {
        "@context": CONTEXT,
        "@type": "FAQPage",
        "mainEntity": [{"@type": "Question", "name": "Q?", "acceptedAnswer": {"@type": "Answer"}}],
    }

    assert _schema_findings(doc) == [("schema.required", "$.mainEntity[0].acceptedAnswer")]


def test_type_array_is_checked_against_each_type_and_repeats_are_dropped() -> None:
    doc: JsonObject = {"@context": CONTEXT, "@type": ["MedicalWebPage", "FAQPage"], "name": 42}

    report = validate_jsonld(doc, checks=ONLY_SCHEMA)

    assert [(f.rule, to_json_path(f.path), f.message) for f in report.findings] == [
        ("schema.required", "$", "FAQPage: 'mainEntity' is a required property"),
        (
            "schema.any-of",
            "$.name",
            "MedicalWebPage: 42 does not fit: Non-empty text, or a list of it.",
        ),
    ]


def test_dates_are_checked_as_iso_8601_and_accept_times_without_seconds() -> None:
    doc = {
        "@context": CONTEXT,
        "@type": "MedicalWebPage",
        "lastReviewed": "14/09/2011",
        "datePublished": "2010-11-04T20:07Z",
    }

    assert _schema_findings(doc) == [("schema.format", "$.lastReviewed")]


def test_fragment_id_is_a_valid_reference_to_the_page() -> None:
    doc = {"@context": CONTEXT, "@type": "Drug", "@id": "#drug", "name": "Kratom"}

    assert _schema_findings(doc) == []


def test_id_with_spaces_fails_the_iri_format() -> None:
    doc = {"@context": CONTEXT, "@type": "Drug", "@id": "drug kratom", "name": "Kratom"}

    assert _schema_findings(doc) == [("schema.format", "$.@id")]


def test_drug_without_any_name_fails_with_the_schema_description() -> None:
    report = validate_jsonld({"@context": CONTEXT, "@type": "Drug"}, checks=ONLY_SCHEMA)

    (finding,) = report.findings
    assert finding.rule == "schema.any-of"
    assert finding.message.startswith("Drug: ")


def test_types_without_a_schema_are_left_to_the_vocabulary() -> None:
    doc = {"@context": CONTEXT, "@type": "MedicalCondition", "name": 42}

    assert _schema_findings(doc) == []
