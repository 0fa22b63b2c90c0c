"""Time validation of a typical page graph against `json.loads` of the same text.

Run: python bench/bench_validate.py [--pages 200] [--repeats 7]
Prints the command, the time per page of each, and their ratio (median of the repeats), then the
validator floor: one `is_valid` pass per top-level node (as bench/run.py times it), and the same
for every typed node, nested ones included, which the schema layer checks too; each for the
jsonschema-rs screen that validates a valid page and for jsonschema, which explains errors.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from typing import Any

from pipeline.validate import load_validators, validate_json_text
from pipeline.validate.nodes import flatten

URL = "https://example.org/kratom/"


def typical_page(questions: int = 8) -> dict[str, Any]:
    """Return the graph our convert writes for a drug page: page, drug, FAQ, site and people."""
    faq = [
        {
            "@type": "Question",
            "@id": f"{URL}#faq-question-{n}",
            "name": f"What is question number {n} about kratom?",
            "acceptedAnswer": {
                "@type": "Answer",
                "text": f"<p>Answer {n}: a tropical tree; <strong>ask a doctor</strong>.</p>",
            },
        }
        for n in range(questions)
    ]
    drug = {
        "@type": ["Drug", "DietarySupplement"],
        "@id": f"{URL}#drug-kratom",
        "name": "Kratom",
        "alternateName": ["Mitragyna speciosa", "ketum"],
        "activeIngredient": ["mitragynine", "7-hydroxymitragynine"],
        "mechanismOfAction": "Binds opioid receptors at higher doses.",
        "warning": ["Nausea and constipation are common.", "Dependence can develop."],
        "interactingDrug": [{"@type": "Drug", "name": name} for name in ("alcohol", "opioids")],
        "legalStatus": "Legal in some countries, controlled in others.",
        "dosageForm": "powder",
        "administrationRoute": "oral",
    }
    page = {
        "@type": ["MedicalWebPage", "FAQPage"],
        "@id": f"{URL}#webpage",
        "url": URL,
        "name": "Kratom: uses, dosage and risks",
        "description": "What kratom is, how it works, and what to ask a doctor.",
        "inLanguage": "en",
        "about": {"@id": drug["@id"]},
        "mainEntity": [{"@id": question["@id"]} for question in faq],
        "medicalAudience": {"@type": "MedicalAudience", "audienceType": "Patient"},
        "lastReviewed": "2026-01-10",
        "reviewedBy": {"@type": "Person", "name": "Dr. A. Reviewer"},
        "datePublished": "2025-11-02",
        "publisher": {"@id": "https://example.org/#organization"},
        "isPartOf": {"@id": "https://example.org/#website"},
    }
    site = {
        "@type": "WebSite",
        "@id": "https://example.org/#website",
        "url": "https://example.org/",
    }
    publisher = {"@type": "Organization", "@id": "https://example.org/#organization", "name": "Ex"}
    return {"@context": "https://schema.org", "@graph": [page, drug, *faq, site, publisher]}


def _per_page(function: Any, argument: object, pages: int, repeats: int) -> float:  # noqa: ANN401
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(pages):
            function(argument)
        timings.append((time.perf_counter() - start) / pages)
    return statistics.median(timings)


def main() -> None:
    """Measure and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=7)
    arguments = parser.parse_args()
    text = json.dumps(typical_page(), indent=2)
    toolkit = load_validators()
    report = validate_json_text(text, toolkit=toolkit)
    if report.findings:
        raise SystemExit(f"the benchmark page is not clean: {report.findings}")
    parse = _per_page(json.loads, text, arguments.pages, arguments.repeats)
    validate = _per_page(
        lambda t: validate_json_text(t, toolkit=toolkit), text, arguments.pages, arguments.repeats
    )
    print("$ python " + " ".join(sys.argv))
    print(f"page: {len(text)} bytes, {report.checked_nodes} nodes; median of {arguments.repeats}")
    print(f"json.loads:         {parse * 1e6:9.1f} us/page")
    print(f"validate_json_text: {validate * 1e6:9.1f} us/page")
    print(f"ratio:              {validate / parse:9.0f}x")
    page = json.loads(text)
    for validator, schemas in (("jsonschema-rs", toolkit.screens), ("jsonschema", toolkit.schemas)):
        top = [(schemas[t], n) for n in page["@graph"] for t in _types(n) if t in schemas]
        typed = [
            (schemas[t], n.data)
            for n in flatten(page)
            for t in dict.fromkeys(n.types)
            if t in schemas
        ]
        for name, passes in (("top-level nodes", top), ("all typed nodes", typed)):
            floor = _per_page(_validator_pass, passes, arguments.pages, arguments.repeats)
            print(
                f"floor, {validator}, {name}: {floor * 1e6:9.1f} us/page; "
                f"validate is {validate / floor:.2f}x"
            )


def _types(node: dict[str, Any]) -> list[str]:
    return node["@type"] if isinstance(node["@type"], list) else [node["@type"]]


def _validator_pass(passes: list[tuple[Any, Any]]) -> None:
    for validator, node in passes:
        validator.is_valid(node)


if __name__ == "__main__":
    main()
