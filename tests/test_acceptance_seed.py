"""The seed page end to end: what issues 2 and 3 say a good result on it has."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from pipeline.api import Toolkit, convert
from pipeline.model import BulletList, Paragraph, Result
from pipeline.settings import Settings

if TYPE_CHECKING:
    from pathlib import Path

CONTENT_SECTIONS = [
    "Potential Mechanisms",
    "Stimulating Opioid Receptors",
    "Affecting Neurotransmitters Involved in Sleep Regulation",
    "Safety and Side Effects",
    "Dosage Considerations",
    "Potential Interactions with Medications",
    "Risk of Dependence",
    "Variability Across Jurisdictions",
]


def _convert(seed_path: Path, toolkit: Toolkit) -> Result:
    return convert(
        seed_path, url="https://example.com/kratom-sleep/", config=Settings(), toolkit=toolkit
    )


def _units(result: Result) -> list[str]:
    doc = result.analysis.document
    units: list[str] = []
    for block in [*doc.lead, *(b for s in doc.sections for b in s.blocks)]:
        if isinstance(block, Paragraph):
            units.append(block.text)
        elif isinstance(block, BulletList):
            units.extend(item.text for item in block.items)
    return units


def test_seed_sections_are_exactly_the_eight_content_headings(
    seed_path: Path, toolkit: Toolkit
) -> None:
    result = _convert(seed_path, toolkit)

    assert [s.title for s in result.analysis.document.sections] == CONTENT_SECTIONS


def test_seed_furniture_is_dropped_with_a_reason(seed_path: Path, toolkit: Toolkit) -> None:
    result = _convert(seed_path, toolkit)
    dropped = {d.text: d.rule for d in result.analysis.document.dropped}

    assert dropped["Shop Kratom Powder for mental clarity"] == "clean.shop-cta"
    posts = next(text for text, rule in dropped.items() if rule == "clean.recent-posts")
    assert posts.count("2025") == 3
    text = result.jsonld.decode()
    for furniture in ("Shop Kratom", "Lip Filler", "Brow Lift", "THC Seltzer", "May 10, 2025"):
        assert furniture not in text


def test_no_seed_paragraph_survives_twice(seed_path: Path, toolkit: Toolkit) -> None:
    units = _units(_convert(seed_path, toolkit))

    assert len(units) == len(set(units))


def test_seed_subject_and_drug_properties(seed_path: Path, toolkit: Toolkit) -> None:
    result = _convert(seed_path, toolkit)
    drug = json.loads(result.jsonld)["@graph"][1]

    assert (drug["@type"], drug["name"]) == ("Drug", "Kratom")
    assert drug["activeIngredient"] == ["mitragynine", "7-hydroxymitragynine"]
    assert "opioid receptors" in drug["mechanismOfAction"]
    warnings = " ".join(drug["warning"])
    assert "Nausea, vomiting" in warnings
    assert "dependence" in warnings
    assert {d["name"] for d in drug["interactingDrug"]} == {
        "pain management medications",
        "antidepressants",
        "stimulants",
    }
    assert any("not approved by the FDA" in status for status in drug["legalStatus"])
    assert not {"dosage", "sideEffect", "indication"} & drug.keys()


def test_seed_concepts_follow_the_headings(seed_path: Path, toolkit: Toolkit) -> None:
    concepts = [m.concept for m in _convert(seed_path, toolkit).analysis.concepts]

    assert concepts[:3] == ["mechanism"] * 3
    assert concepts[3] in {"sideEffects", "warnings"}
    assert concepts[4:6] == ["dosage", "interactions"]
    assert concepts[6] in {"dependence", "warnings"}
    assert concepts[7] == "legalStatus"


def test_seed_questions_are_unique_grammatical_and_answered_without_repeats(
    seed_path: Path, toolkit: Toolkit
) -> None:
    result = _convert(seed_path, toolkit)
    faq = result.analysis.faq
    questions = [entry.question for entry in faq]

    assert len(questions) >= 6
    assert len(set(questions)) == len(questions)
    for question in questions:
        assert re.fullmatch(r"[A-Z][a-z ,-]+ kratom[a-z ,-]*\?", question), question
    sentences = [
        sentence
        for entry in faq
        for block in entry.answer
        for sentence in re.split(
            r"(?<=[.!?])\s+", block.text if isinstance(block, Paragraph) else ""
        )
        if sentence
    ]
    assert len(sentences) == len(set(sentences))
    sections = result.analysis.document.sections
    concept = {m.section: m.concept for m in result.analysis.concepts}
    for entry in faq:
        assert entry.section is not None
        # A derived answer is the text of the sections that carry the question's concept.
        own = {
            block.span
            for index, section in enumerate(sections)
            if concept[index] == concept[entry.section]
            for block in section.blocks
        }
        assert entry.answer
        assert all(block.span in own for block in entry.answer)


def test_seed_report_flags_what_a_webmaster_must_act_on(seed_path: Path, toolkit: Toolkit) -> None:
    result = _convert(seed_path, toolkit)
    rules = [f.rule for f in result.report.findings]

    assert "analyse.title-inferred" in rules
    assert "analyse.questions-derived" in rules
    mismatched = [
        f.message for f in result.report.findings if f.rule == "analyse.heading-body-mismatch"
    ]
    assert any("Variability Across Jurisdictions" in m and "legal status" in m for m in mismatched)
    assert result.report.errors == ()
