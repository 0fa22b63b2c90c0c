from __future__ import annotations

from typing import Any

from pipeline.report import to_json_path
from pipeline.settings import CheckConfig
from pipeline.validate import validate_jsonld

ONLY_GRAPH = CheckConfig(ignore=("schema", "vocabulary", "content"))
URL = "https://ex.org/mg/"


def _findings(doc: dict[str, Any] | list[Any]) -> list[tuple[str, str]]:
    report = validate_jsonld(doc, checks=ONLY_GRAPH)
    return [(f.rule, to_json_path(f.path)) for f in report.findings]


def _question(slug: str) -> dict[str, Any]:
    return {
        "@type": "Question",
        "@id": f"{URL}#faq-{slug}",
        "name": f"{slug}?",
        "acceptedAnswer": {"@type": "Answer", "text": slug},
    }


def _page(*entities: dict[str, Any], **extra: object) -> dict[str, Any]:
    return {
        "@type": ["MedicalWebPage", "FAQPage"],
        "@id": f"{URL}#webpage",
        "mainEntity": list(entities),
        **extra,
    }


def test_references_that_resolve_are_clean() -> None:
    doc = {
        "@context": "https://schema.org",
        "@graph": [_page({"@id": f"{URL}#faq-a"}), _question("a")],
    }

    assert _findings(doc) == []


def test_dangling_reference_is_reported_where_it_is_written() -> None:
    doc = {
        "@context": "https://schema.org",
        "@graph": [_page({"@id": f"{URL}#faq-b"}, about={"@id": f"{URL}#drug"})],
    }

    assert _findings(doc) == [
        ("graph.dangling-reference", "$.@graph[0].about"),
        ("graph.dangling-reference", "$.@graph[0].mainEntity[0]"),
    ]


def test_schema_org_term_references_are_not_dangling() -> None:
    doc = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "specialty": {"@id": "https://schema.org/Renal"},
    }

    assert _findings(doc) == []


def test_question_missing_from_main_entity_is_an_orphan() -> None:
    doc = {
        "@context": "https://schema.org",
        "@graph": [_page({"@id": f"{URL}#faq-a"}), _question("a"), _question("b")],
    }

    assert _findings(doc) == [("graph.orphan-question", "$.@graph[2]")]


def test_main_entity_must_list_only_questions() -> None:
    doc = {
        "@context": "https://schema.org",
        "@graph": [
            _page({"@id": f"{URL}#drug"}),
            {"@type": "Drug", "@id": f"{URL}#drug", "name": "x"},
        ],
    }

    assert _findings(doc) == [("graph.main-entity-not-question", "$.@graph[0].mainEntity[0]")]


def test_duplicate_ids_conflict_only_when_a_shared_property_differs() -> None:
    same = {"@type": "Drug", "@id": f"{URL}#drug", "name": "x"}
    extra = {"@type": "Drug", "@id": f"{URL}#drug", "activeIngredient": "y"}
    other = {"@type": "Drug", "@id": f"{URL}#drug", "name": "z"}

    assert _findings({"@context": "https://schema.org", "@graph": [same, extra]}) == []
    assert _findings({"@context": "https://schema.org", "@graph": [same, other]}) == [
        ("graph.conflicting-duplicate-id", "$.@graph[1].name")
    ]


def test_two_page_nodes_in_one_document_are_an_error() -> None:
    doc = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebPage", "@id": f"{URL}#a"},
            {"@type": "MedicalWebPage", "@id": f"{URL}#b"},
        ],
    }

    assert _findings(doc) == [("graph.multiple-page-nodes", "$.@graph[1]")]


def test_a_document_with_no_typed_node_is_not_a_vacuous_pass() -> None:
    report = validate_jsonld({"@context": "https://schema.org"}, checks=ONLY_GRAPH)

    assert [f.rule for f in report.errors] == ["graph.no-nodes"]
    assert report.checked_nodes == 0


def test_a_list_of_nodes_is_a_document() -> None:
    report = validate_jsonld(
        [{"@context": "https://schema.org", "@type": "Drug", "name": "x"}, {"name": "untyped"}],
        checks=ONLY_GRAPH,
    )

    assert [(f.rule, to_json_path(f.path)) for f in report.findings] == [
        ("graph.untyped-node", "$[1]")
    ]
    assert report.checked_nodes == 1


def test_references_inside_literals_and_references_are_checked() -> None:
    doc = {
        "@context": "https://schema.org",
        "@type": "Drug",
        "name": {"@value": {"@id": f"{URL}#in-literal"}},
        "about": {"@id": {"@id": f"{URL}#in-reference"}},
    }

    assert _findings(doc) == [
        ("graph.dangling-reference", "$.about.@id"),
        ("graph.dangling-reference", "$.name.@value"),
    ]
