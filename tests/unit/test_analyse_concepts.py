from __future__ import annotations

import pytest

from pipeline.analyse.concepts import (
    CONCEPT_FAQ_QUESTION,
    CONCEPT_INHERITED,
    CONCEPT_NO_EVIDENCE,
    classify_sections,
    match_heading,
    normalise_heading,
)
from pipeline.analyse.profile import Profile, load_profile
from pipeline.model import BulletList, ListItem, Paragraph, Section, Span

SPAN = Span(start_line=1, end_line=1)
SIDE_EFFECT_TEXT = (
    "Common side effects are nausea, vomiting and dizziness. "
    "Some people report headaches and constipation."
)


def section(title: str, *paragraphs: str, level: int = 2) -> Section:
    blocks = tuple(Paragraph(text=text, span=SPAN) for text in paragraphs)
    return Section(title=title, level=level, blocks=blocks, span=SPAN)


@pytest.fixture(scope="module")
def profile() -> Profile:
    return load_profile()


@pytest.mark.parametrize(
    ("title", "language", "concept"),
    [
        ("Unwanted Effects and Precautions", "en", "sideEffects"),
        ("Safety and Adverse Reactions", "en", "warnings"),
        ("Contraindications / Cautions", "en", "warnings"),
        ("Preparation & Administration", "en", "dosage"),
        ("How much kava should I take?", "en", "dosage"),
        ("How long does valerian take to work?", "en", "dosage"),
        ("Who should skip kava?", "en", "warnings"),
        ("What is valerian?", "en", "overview"),
        ("What is kava used for?", "en", "uses"),
        ("Will kava show up on a drug test?", "en", "other"),
        ("Is kava legal in Europe?", "en", "legalStatus"),
        ("Can I overdose on valerian?", "en", "overdose"),
        ("Can I take kava while breastfeeding?", "en", "pregnancy"),
        ("Can I take kava every night?", "en", "dosage"),
        ("Risk of Addiction", "en", "dependence"),
        ("Legal Differences Between Jurisdictions", "en", "legalStatus"),
        ("Binding to GABA Receptors", "en", "mechanism"),
        ("Main Alkaloids", "en", "ingredients"),
        ("Dosing Questions", "en", "faq"),
        ("3. DOSAGE AND TIMING", "en", "dosage"),
        ("**Side effects:**", "en", "sideEffects"),
        ("Risiken und Nebenwirkungen", "de", "sideEffects"),
        ("Wirkung und Anwendung", "de", "dosage"),
        ("Wie wirkt Baldrian?", "de", "mechanism"),
        ("Häufig gestellte Fragen", "de", "faq"),
        ("Gegenanzeigen", "de", "warnings"),
        ("Rechtslage in Österreich", "de", "legalStatus"),
        ("Przedawkowanie", "pl", "overdose"),
        ("Efectos secundarios", "es", "sideEffects"),
        ("Взаимодействие с другими препаратами", "ru", "interactions"),
        ("Побічні ефекти", "uk", "sideEffects"),
        ("用法用量", "zh", "dosage"),
        ("妊娠中の服用", "ja", "pregnancy"),
        ("부작용", "ko", "sideEffects"),
    ],
)
def test_heading_words_decide_the_concept(
    profile: Profile, title: str, language: str, concept: str
) -> None:
    match = classify_sections([section(title)], profile, language=language)[0]
    assert match.concept == concept
    assert match.rule.startswith("concept.heading.")


def test_there_is_one_match_per_section_in_order(profile: Profile) -> None:
    titles = ["Overview", "Dosage", "Side Effects", "References"]
    matches = classify_sections([section(t) for t in titles], profile, language="en")
    assert [m.section for m in matches] == [0, 1, 2, 3]
    assert [m.concept for m in matches] == ["overview", "dosage", "sideEffects", "other"]


def test_a_question_under_an_faq_group_is_classified_by_its_own_words(profile: Profile) -> None:
    sections = [
        section("Frequently Asked Questions"),
        section("Is kava legal?", "Yes, in most countries.", level=3),
        section("Does kava taste bitter?", "Quite.", level=3),
    ]
    faq, legal, unmatched = classify_sections(sections, profile, language="en")
    assert faq.concept == "faq"
    assert legal.concept == "legalStatus"
    assert (unmatched.concept, unmatched.rule) == ("other", CONCEPT_FAQ_QUESTION)


def test_a_subsection_with_no_match_inherits_its_parents_concept(profile: Profile) -> None:
    sections = [
        section("Medications with Known Interactions"),
        section("Blood Thinners", level=3),
        section("Plant Description"),
        section("Roots", level=3),
    ]
    parent, child, plant, roots = classify_sections(sections, profile, language="en")
    assert (child.concept, child.rule) == ("interactions", CONCEPT_INHERITED)
    assert child.confidence < parent.confidence
    assert (plant.concept, roots.concept, roots.rule) == ("other", "other", CONCEPT_INHERITED)


def test_a_subsection_with_its_own_match_keeps_it(profile: Profile) -> None:
    sections = [section("Safety Information"), section("Pregnancy", level=3)]
    assert classify_sections(sections, profile, language="en")[1].concept == "pregnancy"


def test_an_unmatched_heading_falls_back_to_the_body_with_lower_confidence(
    profile: Profile,
) -> None:
    headed, bodied = classify_sections(
        [section("Side Effects", SIDE_EFFECT_TEXT), section("Part Two", SIDE_EFFECT_TEXT)],
        profile,
        language="en",
    )
    assert bodied.concept == "sideEffects"
    assert bodied.rule == "concept.body.side-effects.en"
    assert bodied.confidence < headed.confidence


def test_when_heading_and_body_disagree_the_heading_wins_and_the_body_is_reported(
    profile: Profile,
) -> None:
    agreeing, disagreeing = classify_sections(
        [
            section("Dosage", "Take 200 mg twice daily; start with a low dose."),
            section("Dosage", SIDE_EFFECT_TEXT),
        ],
        profile,
        language="en",
    )
    assert (agreeing.concept, agreeing.body_concept) == ("dosage", "dosage")
    assert (disagreeing.concept, disagreeing.body_concept) == ("dosage", "sideEffects")
    assert disagreeing.confidence < agreeing.confidence


def test_list_items_count_as_body_text(profile: Profile) -> None:
    items = (
        ListItem(text="nausea and vomiting", label="Stomach", span=SPAN),
        ListItem(text="dizziness", label="Head", span=SPAN),
    )
    listed = Section(
        title="Part Three", level=2, blocks=(BulletList(items=items, span=SPAN),), span=SPAN
    )
    assert classify_sections([listed], profile, language="en")[0].concept == "sideEffects"


def test_a_section_with_no_evidence_is_other(profile: Profile) -> None:
    match = classify_sections([section("Part Four", "Short.")], profile, language="en")[0]
    assert (match.concept, match.rule, match.body_concept) == ("other", CONCEPT_NO_EVIDENCE, None)


def test_a_single_body_word_is_a_passing_mention(profile: Profile) -> None:
    match = classify_sections(
        [section("Part Five", "It may cause nausea.")], profile, language="en"
    )
    assert match[0].body_concept is None


def test_rules_of_other_languages_apply_only_when_the_language_is_unknown(
    profile: Profile,
) -> None:
    assert match_heading("Nebenwirkungen", profile, "fr") is None
    found = match_heading("Nebenwirkungen", profile, None)
    assert found is not None
    assert found.concept == "sideEffects"


def test_the_higher_priority_then_the_earlier_match_wins(profile: Profile) -> None:
    found = match_heading("Risk of Overdose and Side Effects", profile, "en")
    assert found is not None
    assert found.concept == "overdose"
    earlier = match_heading("Side Effects and Dosage", profile, "en")
    assert earlier is not None
    assert earlier.concept == "sideEffects"


def test_headings_lose_numbers_marks_emoji_and_a_trailing_colon() -> None:
    assert normalise_heading("7. 🚨 **Safety Profile**:") == "Safety Profile"
    assert normalise_heading("IV) Kava’s Uses") == "Kava's Uses"
    assert normalise_heading("2.1 Dosage") == "Dosage"
