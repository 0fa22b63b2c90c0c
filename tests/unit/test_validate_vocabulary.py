from __future__ import annotations

from typing import Any

import pytest

from pipeline.model import Severity
from pipeline.report import to_json_path
from pipeline.settings import CheckConfig
from pipeline.validate import validate_jsonld

ONLY_VOCABULARY = CheckConfig(ignore=("schema", "graph", "content"))


def _findings(doc: dict[str, Any] | list[Any]) -> list[tuple[str, str]]:
    report = validate_jsonld(doc, checks=ONLY_VOCABULARY)
    return [(f.rule, to_json_path(f.path)) for f in report.findings]


@pytest.mark.parametrize(
    "context",
    [
        "https://schema.org",
        "http://schema.org/",
        {"@vocab": "https://schema.org/"},
        ["https://schema.org", {"ex": "https://example.org/"}],
    ],
)
def test_schema_org_contexts_are_recognised(context: object) -> None:
    assert _findings({"@context": context, "@type": "Drug", "name": "x"}) == []


@pytest.mark.parametrize(
    "type_name", ["https://schema.org/Drug", "http://schema.org/Drug", "schema:Drug"]
)
def test_type_iris_and_prefixed_types_are_schema_org_terms(type_name: str) -> None:
    doc = {"@context": "https://schema.org", "@type": type_name, "activeIngredient": "x"}

    assert _findings(doc) == []


def test_property_of_an_ancestor_is_allowed() -> None:
    # Drug is a Product since schema.org 15.0, so gtin and brand are in its domain.
    doc = {"@context": "https://schema.org", "@type": "Drug", "gtin": "1", "legalStatus": "x"}

    assert _findings(doc) == []


def test_off_domain_property_is_a_warning_naming_the_expected_types() -> None:
    report = validate_jsonld(
        {"@context": "https://schema.org", "@type": "Drug", "adverseOutcome": "x"},
        checks=ONLY_VOCABULARY,
    )

    (finding,) = report.findings
    assert (finding.rule, finding.severity) == ("vocabulary.off-domain-property", Severity.WARNING)
    assert "MedicalDevice" in finding.message


def test_unknown_type_is_an_error_with_a_suggestion() -> None:
    report = validate_jsonld(
        {"@context": "https://schema.org", "@type": "Questionn"}, checks=ONLY_VOCABULARY
    )

    (finding,) = report.findings
    assert (finding.rule, finding.severity) == ("vocabulary.unknown-type", Severity.ERROR)
    assert finding.hint == 'did you mean "Question"?'


def test_superseded_property_and_enumeration_member_are_flagged() -> None:
    doc = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "aspect": "Diagnosis",
        "specialty": "https://schema.org/Dermatologic",
    }

    assert sorted(_findings(doc)) == [
        ("vocabulary.superseded", "$.aspect"),
        ("vocabulary.superseded", "$.specialty"),
    ]


def test_enumeration_members_and_classes_are_accepted_as_values() -> None:
    doc = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "audience": "https://schema.org/Patient",
        "specialty": {"@id": "https://schema.org/Cardiovascular"},
        "medicalAudience": "https://schema.org/Clinicain",
    }

    assert _findings(doc) == [("vocabulary.unknown-member", "$.medicalAudience")]


def test_foreign_terms_are_not_checked() -> None:
    doc = {
        "@context": ["https://schema.org", {"ex": "https://example.org/"}],
        "@type": ["Drug", "ex:Thing"],
        "ex:rating": 3,
        "name": "x",
    }

    assert _findings(doc) == []


def test_missing_context_is_an_error_and_a_foreign_context_a_warning() -> None:
    assert _findings({"@type": "Drug"}) == [("vocabulary.missing-context", "$")]
    assert _findings({"@context": "https://example.org", "@type": "Drug"}) == [
        ("vocabulary.unknown-context", "$.@context")
    ]


def test_remembered_clean_terms_do_not_hide_a_bad_value_or_another_type() -> None:
    clean = {"@context": "https://schema.org", "@type": "Drug", "name": "x", "warning": "y"}
    iri_value = {**clean, "warning": ["z", "https://schema.org/Warningg"]}
    other_type = {**clean, "@type": "Person"}

    assert _findings(clean) == []
    assert _findings(clean) == []
    assert _findings(iri_value) == [("vocabulary.unknown-member", "$.warning[1]")]
    assert _findings(other_type) == [("vocabulary.off-domain-property", "$.warning")]
