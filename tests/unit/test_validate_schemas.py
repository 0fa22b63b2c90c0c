from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from pipeline.report import to_json_path
from pipeline.settings import CheckConfig
from pipeline.validate import load_validators, validate_jsonld
from pipeline.validate.toolkit import _MAX_REF_DEPTH, _inline_refs, _load_documents, schema_dir

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


def test_references_are_inlined_as_referencing_resolves_them() -> None:
    documents, typed = _load_documents(schema_dir())
    registry = Registry().with_resources(
        (uri, Resource.from_contents(contents)) for uri, contents in documents.items()
    )

    def resolved(schema: Any, base: str, depth: int = 0) -> Any:
        if isinstance(schema, list):
            return [resolved(item, base, depth) for item in schema]
        if not isinstance(schema, dict):
            return schema
        reference = schema.get("$ref")
        if isinstance(reference, str) and len(schema) == 1 and depth < _MAX_REF_DEPTH:
            found = registry.resolver(base_uri=base).lookup(reference)
            target_base = found.resolver.lookup("#").contents.get("$id", base)
            return resolved(found.contents, target_base, depth + 1)
        return {key: resolved(value, base, depth) for key, value in schema.items()}

    for uri in typed.values():
        assert _inline_refs(documents[uri], uri, documents) == resolved(documents[uri], uri)


def test_valid_pages_never_load_jsonschema() -> None:
    code = (
        "import sys; from pipeline.api import convert; "
        "from pipeline.validate import load_validators; "
        "result = convert(open(sys.argv[1]).read()); load_validators(); "
        "assert result.report.errors == (), result.report.errors; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'jsonschema', 'referencing'}))"
    )
    page = Path(__file__).parents[2] / "examples" / "valerian-sleep.txt"

    shown = subprocess.run(
        [sys.executable, "-c", code, str(page)], capture_output=True, text=True, check=True
    )

    assert shown.stdout.strip() == "[]"


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
