from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pipeline.emit.split import split_graph
from pipeline.validate import validate_jsonld

if TYPE_CHECKING:
    from pipeline.api import Toolkit
    from pipeline.model import JsonObject

URL = "https://example.com/aspirin/"


def _graph(*, questions: bool = True) -> JsonObject:
    page: JsonObject = {
        "@type": ["MedicalWebPage", "FAQPage"] if questions else "MedicalWebPage",
        "@id": f"{URL}#webpage",
        "url": URL,
        "name": "Aspirin",
        "about": {"@id": f"{URL}#drug-aspirin"},
    }
    nodes: list[JsonObject] = [
        page,
        {"@type": "Drug", "@id": f"{URL}#drug-aspirin", "name": "Aspirin"},
    ]
    if questions:
        page["mainEntity"] = [{"@id": f"{URL}#faq-is-aspirin-safe"}]
        nodes.append(
            {
                "@type": "Question",
                "@id": f"{URL}#faq-is-aspirin-safe",
                "name": "Is aspirin safe?",
                "acceptedAnswer": {"@type": "Answer", "text": "<p>Mostly, in small doses.</p>"},
            }
        )
    return {"@context": "https://schema.org", "@graph": list(nodes)}


def _nodes(document: JsonObject | None) -> list[dict[str, Any]]:
    assert document is not None
    graph = document["@graph"]
    assert isinstance(graph, list)
    return [node for node in graph if isinstance(node, dict)]


def test_medical_block_keeps_the_page_as_medical_web_page_without_questions() -> None:
    page, drug = _nodes(split_graph(_graph()).medical)
    assert page["@type"] == "MedicalWebPage"
    assert "mainEntity" not in page
    assert page["@id"] == f"{URL}#webpage"
    assert drug["@type"] == "Drug"


def test_faq_block_types_the_same_page_id_as_faq_page_with_its_questions() -> None:
    page, question = _nodes(split_graph(_graph()).faq)
    assert page == {
        "@type": "FAQPage",
        "@id": f"{URL}#webpage",
        "url": URL,
        "mainEntity": [{"@id": f"{URL}#faq-is-aspirin-safe"}],
    }
    assert question["@type"] == "Question"


def test_page_without_questions_has_no_faq_block() -> None:
    parts = split_graph(_graph(questions=False))
    assert parts.faq is None
    assert parts.medical == _graph(questions=False)


def test_the_two_parts_hold_every_node_and_merge_back_into_the_page_node() -> None:
    whole = _graph()
    parts = split_graph(whole)
    assert parts.faq is not None
    medical_page, *medical_rest = _nodes(parts.medical)
    faq_page, *faq_rest = _nodes(parts.faq)
    merged = {**medical_page, **faq_page, "@type": ["MedicalWebPage", "FAQPage"]}
    original_page, *original_rest = _nodes(whole)
    assert merged == original_page
    assert medical_rest + faq_rest == original_rest


def test_each_part_validates_alone_and_both_together(toolkit: Toolkit) -> None:
    parts = split_graph(_graph())
    assert parts.faq is not None
    merged: JsonObject = {
        "@context": "https://schema.org",
        "@graph": [*_nodes(parts.medical), *_nodes(parts.faq)],
    }
    for document in (parts.medical, parts.faq, merged):
        report = validate_jsonld(document, toolkit=toolkit.validators)
        assert report.findings == (), report.findings
