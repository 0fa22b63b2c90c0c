from __future__ import annotations

from pipeline.build import build
from pipeline.build.ids import slug
from pipeline.model import (
    Analysis,
    Document,
    FaqEntry,
    PageMeta,
    Paragraph,
    Source,
    Span,
    Subject,
    Value,
)
from pipeline.settings import SiteConfig

SPAN = Span(start_line=1, end_line=1)


def _analysis(
    *, url: str | None = None, faq: tuple[FaqEntry, ...] = (), types: tuple[str, ...] = ("Drug",)
) -> Analysis:
    doc = Document(
        source=Source(path="p.md", relative="p.md", url=url),
        format="markdown",
        meta=PageMeta(author="Ann Lee"),
    )
    return Analysis(
        document=doc,
        subject=Subject(
            name="Willow bark", types=types, active_ingredients=("salicin",), rule="test"
        ),
        concepts=(),
        faq=faq,
        title=Value(text="Willow Bark"),
        description=Value(text="A herbal pain reliever."),
        language="en",
        properties=(
            ("mechanism", (Value(text="It inhibits COX enzymes."), Value(text="It acts slowly."))),
            ("warnings", (Value(text="It may cause stomach upset."),)),
        ),
        interacting=(Value(text="warfarin"),),
    )


def _question(text: str) -> FaqEntry:
    return FaqEntry(
        question=text, answer=(Paragraph(text="Yes <b>really</b>.", span=SPAN),), origin="heading"
    )


def _nodes(graph_jsonld: dict) -> list[dict]:  # type: ignore[type-arg]
    return graph_jsonld["@graph"]  # type: ignore[no-any-return]


def test_without_a_url_ids_are_fragments_and_the_report_says_so() -> None:
    graph = build(_analysis(), SiteConfig())
    page, drug = _nodes(graph.jsonld)

    assert page["@id"] == "#webpage"
    assert "url" not in page
    assert page["about"] == {"@id": "#drug-willow-bark"}
    assert drug["@id"] == "#drug-willow-bark"
    assert [f.rule for f in graph.findings] == ["build.relative-ids"]


def test_with_a_url_ids_are_absolute_and_questions_link_the_page() -> None:
    graph = build(
        _analysis(url="https://example.org/willow/", faq=(_question("Is it safe?"),)), SiteConfig()
    )
    page, _drug, question = _nodes(graph.jsonld)

    assert page["@type"] == ["MedicalWebPage", "FAQPage"]
    assert page["@id"] == "https://example.org/willow/#webpage"
    assert page["mainEntity"] == [{"@id": "https://example.org/willow/#faq-is-it-safe"}]
    assert question["acceptedAnswer"] == {
        "@type": "Answer",
        "text": "<p>Yes &lt;b&gt;really&lt;/b&gt;.</p>",
    }
    assert graph.findings == ()


def test_page_without_questions_is_a_plain_medical_web_page() -> None:
    page = _nodes(build(_analysis(), SiteConfig()).jsonld)[0]

    assert page["@type"] == "MedicalWebPage"
    assert "mainEntity" not in page


def test_drug_properties_come_from_the_analysis_with_vocabulary_names() -> None:
    drug = _nodes(build(_analysis(), SiteConfig()).jsonld)[1]

    assert drug["mechanismOfAction"] == "It inhibits COX enzymes. It acts slowly."
    assert drug["warning"] == "It may cause stomach upset."
    assert drug["activeIngredient"] == "salicin"
    assert drug["interactingDrug"] == [{"@type": "Drug", "name": "warfarin"}]


def test_a_supplement_takes_its_warnings_as_safety_considerations_and_no_interacting_drug() -> None:
    supplement = _nodes(build(_analysis(types=("DietarySupplement",)), SiteConfig()).jsonld)[1]

    assert supplement["@type"] == "DietarySupplement"
    assert supplement["safetyConsideration"] == "It may cause stomach upset."
    assert "warning" not in supplement
    assert "interactingDrug" not in supplement


def test_site_config_adds_website_and_publisher_nodes() -> None:
    site = SiteConfig(
        url="https://example.org",
        name="Herb Notes",
        publisher_name="Herb Notes Ltd",
        reviewer="Dr Sam Roe",
    )
    nodes = _nodes(build(_analysis(url="https://example.org/willow/"), site).jsonld)
    page = nodes[0]

    assert page["isPartOf"] == {"@id": "https://example.org/#website"}
    assert page["publisher"] == {"@id": "https://example.org/#organization"}
    assert page["reviewedBy"] == {"@type": "Person", "name": "Dr Sam Roe"}
    assert page["author"] == {"@type": "Person", "name": "Ann Lee"}
    assert [n["@type"] for n in nodes[2:]] == ["WebSite", "Organization"]


def test_question_ids_come_from_their_text_so_reordering_changes_nothing() -> None:
    first, second = _question("Is it safe?"), _question("Can children take it?")
    forward = _nodes(build(_analysis(faq=(first, second)), SiteConfig()).jsonld)[2:]
    backward = _nodes(build(_analysis(faq=(second, first)), SiteConfig()).jsonld)[2:]

    assert {q["@id"] for q in forward} == {q["@id"] for q in backward}


def test_two_questions_with_one_slug_get_a_hash_on_the_second() -> None:
    questions = _nodes(
        build(
            _analysis(faq=(_question("Is it safe?"), _question("Is it safe!?"))), SiteConfig()
        ).jsonld
    )[2:]

    assert questions[0]["@id"] == "#faq-is-it-safe"
    assert questions[1]["@id"].startswith("#faq-is-it-safe-")
    assert len(questions[1]["@id"]) == len("#faq-is-it-safe-") + 6


def test_slugs_fold_accents_and_keep_other_scripts() -> None:
    assert slug("Ist Baldrian für Kinder geeignet?") == "ist-baldrian-fur-kinder-geeignet"
    assert slug("Что такое кратом?") == "что-такое-кратом"
