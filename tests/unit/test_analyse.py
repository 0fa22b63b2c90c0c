"""The analyse stage on documents built from model types: subject, title, FAQ, properties."""

from __future__ import annotations

from pipeline.analyse import Rules, analyse
from pipeline.analyse.profile import load_profile
from pipeline.analyse.subject import find_subject, load_subject_rules
from pipeline.model import (
    BulletList,
    Document,
    ListItem,
    PageMeta,
    Paragraph,
    Section,
    SectionKind,
    Source,
    Span,
)

RULES = Rules(profile=load_profile(), subject=load_subject_rules())
SPAN = Span(start_line=1, end_line=1)


def _para(text: str) -> Paragraph:
    return Paragraph(text=text, span=SPAN)


def _section(title: str, *texts: str, level: int = 2, kind: SectionKind = "heading") -> Section:
    return Section(
        title=title, level=level, blocks=tuple(_para(t) for t in texts), span=SPAN, kind=kind
    )


def _doc(
    *sections: Section, title: str | None = None, extra: tuple[tuple[str, str], ...] = ()
) -> Document:
    return Document(
        source=Source(path="p.md", relative="p.md"),
        format="markdown",
        meta=PageMeta(title=title, extra=extra),
        sections=sections,
    )


WILLOW = _doc(
    _section(
        "How It Works",
        "Willow bark contains compounds like salicin and tremulacin, which the body converts.",
        "Salicin is converted to salicylic acid, which inhibits the enzymes that make prostaglandins.",
    ),
    _section(
        "Side Effects",
        "Willow bark can cause stomach upset, nausea and heartburn in some people who take it.",
        "People who take willow bark for long periods may bruise or bleed more easily.",
    ),
    _section(
        "Interactions",
        "Willow bark can interact with certain medications, including blood thinners, and diuretics.",
    ),
    _section(
        "Legal Status",
        "Willow bark is not approved by the FDA as a drug and is sold as a supplement.",
    ),
)


def test_subject_is_the_most_mentioned_substance_with_its_compounds() -> None:
    subject = find_subject(WILLOW, RULES.subject)

    assert subject is not None
    assert subject.name == "Willow bark"
    assert subject.mention == "willow bark"
    assert subject.active_ingredients == ("salicin", "tremulacin")


def test_front_matter_drug_key_names_the_subject() -> None:
    subject = find_subject(
        _doc(*WILLOW.sections, extra=(("drug", "White willow bark"),)), RULES.subject
    )

    assert subject is not None
    assert (subject.name, subject.rule) == ("White willow bark", "subject.front-matter")


def test_a_page_about_no_substance_has_no_subject() -> None:
    doc = _doc(
        _section("Why We Walk", "Walking outdoors in the morning lifts the mood of many people.")
    )

    assert find_subject(doc, RULES.subject) is None


MOULD = (
    _section(
        "What Mould Does",
        "Mould spreads on damp walls, and people who have taken steroids feel its spores sooner.",
        "Doctors often use a simple home test when the mould keeps coming back after cleaning.",
    ),
)


def test_a_titled_page_gets_a_body_subject_only_spoken_of_closely_as_taken() -> None:
    # Two sentences name "mould" with a word of taking, but neither beside it; the title, which
    # would have been asked first, does not name it.
    titled = _doc(*MOULD, title="Damp Walls at Home")
    untitled = _doc(*MOULD)
    closely = _doc(
        *MOULD,
        _section("Dosage", "Take mould extract only as your doctor says."),
        title="Damp Walls at Home",
    )

    assert find_subject(titled, RULES.subject) is None
    assert getattr(find_subject(untitled, RULES.subject), "name", None) == "Mould"
    assert getattr(find_subject(closely, RULES.subject), "name", None) == "Mould"


def test_a_class_of_drugs_is_never_the_subject() -> None:
    doc = _doc(
        _section(
            "Why Antibiotics Fail",
            "Take antibiotics only when a doctor prescribes them, at the dose on the label.",
            "Antibiotics taken for a cold do nothing, and each course of antibiotics counts.",
        ),
        title="Why Antibiotics Fail",
    )

    assert find_subject(doc, RULES.subject) is None


def test_untitled_page_gets_an_inferred_title_and_a_warning() -> None:
    analysis = analyse(WILLOW, RULES)

    assert analysis.title is not None
    assert analysis.title.inferred_by == "analyse.title-inferred"
    assert analysis.title.text.startswith("Willow")
    assert "analyse.title-inferred" in {f.rule for f in analysis.findings}


def test_without_question_headings_questions_are_derived_and_marked() -> None:
    analysis = analyse(WILLOW, RULES)

    questions = [(e.question, e.origin) for e in analysis.faq]
    assert ("What are the side effects of willow bark?", "derived") in questions
    assert ("Does willow bark interact with other medications?", "derived") in questions
    assert len({q for q, _ in questions}) == len(questions)
    assert "analyse.questions-derived" in {f.rule for f in analysis.findings}


def test_question_headings_are_the_faq_and_nothing_is_derived() -> None:
    doc = _doc(
        *WILLOW.sections,
        _section(
            "Is willow bark safe for children?",
            "No. Children should not take it because of Reye's syndrome.",
        ),
        title="Willow Bark",
    )

    analysis = analyse(doc, RULES)

    assert [(e.question, e.origin) for e in analysis.faq] == [
        ("Is willow bark safe for children?", "heading")
    ]


def test_children_of_an_faq_section_and_summaries_are_faq_questions() -> None:
    doc = _doc(
        _section("Frequently Asked Questions"),
        _section(
            "Can I take willow bark daily?",
            "Short courses of a few weeks are what studies used.",
            level=3,
        ),
        _section(
            "Does it stain teeth?",
            "There are no reports of that in the studies.",
            level=2,
            kind="summary",
        ),
        title="Willow Bark",
    )

    analysis = analyse(doc, RULES)

    assert [(e.question, e.origin) for e in analysis.faq] == [
        ("Can I take willow bark daily?", "faq"),
        ("Does it stain teeth?", "faq"),
    ]


def test_a_sentence_given_in_an_earlier_answer_is_not_given_again() -> None:
    repeated = (
        "Willow bark can cause stomach upset, nausea and heartburn in some people who take it."
    )
    doc = _doc(
        _section("Is willow bark safe?", repeated, "Most people tolerate short courses well."),
        _section("Does willow bark upset the stomach?", repeated),
        title="Willow Bark",
    )

    analysis = analyse(doc, RULES)

    texts = [p.text for e in analysis.faq for p in e.answer if isinstance(p, Paragraph)]
    assert texts.count(repeated) == 1
    assert [e.question for e in analysis.faq] == ["Is willow bark safe?"]


def test_properties_take_the_sentences_that_speak_to_them() -> None:
    analysis = analyse(WILLOW, RULES)
    properties = {name: [v.text for v in values] for name, values in analysis.properties}

    assert any("inhibits the enzymes" in text for text in properties["mechanism"])
    assert any("stomach upset" in text for text in properties["warnings"])
    assert properties["legalStatus"] == [
        "Willow bark is not approved by the FDA as a drug and is sold as a supplement."
    ]
    assert [v.text for v in analysis.interacting] == ["blood thinners", "diuretics"]


def test_near_repeats_of_a_warning_are_kept_once() -> None:
    doc = _doc(
        _section(
            "Side Effects", "Willow bark can cause nausea, vomiting and heartburn in some people."
        ),
        _section("Safety", "In some people willow bark can cause heartburn, nausea and vomiting."),
        title="Willow Bark",
    )

    analysis = analyse(doc, RULES)
    warnings = dict(analysis.properties)["warnings"]

    assert len(warnings) == 1


def test_label_list_items_are_units_of_a_property() -> None:
    doc = _doc(
        Section(
            title="Side Effects",
            level=2,
            span=SPAN,
            blocks=(
                BulletList(
                    items=(
                        ListItem(
                            label="Bleeding",
                            text="Willow bark may make bleeding more likely.",
                            span=SPAN,
                        ),
                    ),
                    span=SPAN,
                ),
            ),
        ),
        title="Willow Bark",
    )

    analysis = analyse(doc, RULES)

    assert [v.text for v in dict(analysis.properties)["warnings"]] == [
        "Bleeding: Willow bark may make bleeding more likely."
    ]


def test_entity_type_setting_overrides_what_the_content_suggests() -> None:
    assert analyse(WILLOW, RULES).subject.types == ("Drug",)  # type: ignore[union-attr]
    both = analyse(WILLOW, RULES, entity_type="both").subject

    assert both is not None
    assert both.types == ("Drug", "DietarySupplement")


def test_front_matter_type_wins_over_the_setting() -> None:
    doc = _doc(*WILLOW.sections, extra=(("schema_type", "DietarySupplement"),))

    subject = analyse(doc, RULES, entity_type="Drug").subject

    assert subject is not None
    assert subject.types == ("DietarySupplement",)


def test_a_note_about_the_document_is_not_its_description() -> None:
    doc = Document(
        source=Source(path="p.md", relative="p.md"),
        format="markdown",
        meta=PageMeta(title="Willow Bark"),
        lead=(
            _para("EDITOR'S NOTE: This page was rewritten for search engines and reviewed in May."),
            _para("Willow bark is a traditional pain remedy made from the bark of white willow."),
        ),
    )

    description = analyse(doc, RULES).description

    assert description is not None
    assert description.text.startswith("Willow bark is a traditional pain remedy")
