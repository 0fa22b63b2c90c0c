from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.model import BulletList, Document, Paragraph, Source, Table
from pipeline.read import html, html_text
from pipeline.read.html import read_html

FIXTURES = Path(__file__).parent / "fixtures" / "html"


def read_fixture(name: str, *, url: str | None = None) -> Document:
    path = FIXTURES / name
    return read_html(path.read_bytes(), Source(path=str(path), relative=name, url=url))


def read_markup(markup: str, *, name: str = "page.html") -> Document:
    return read_html(markup.encode("utf-8"), Source(path=name, relative=name))


def titles(document: Document) -> list[str]:
    return [section.title for section in document.sections]


def test_nav_header_aside_and_footer_are_dropped_and_recorded_with_their_rule() -> None:
    document = read_fixture("article_with_nav_and_footer.html")

    dropped = [(drop.rule, drop.text) for drop in document.dropped]
    assert dropped == [
        ("read.html-header", "Herb Notes Plain guides to common herbs"),
        ("read.html-nav", "Home Herbs"),
        ("read.html-nav", "Home \u203a Valerian"),
        ("read.html-byline", "By Ada Field, March 2024"),
        ("read.html-share", "Share on social media Tell a friend about this page"),
        (
            "read.html-aside",
            "Popular herbs Chamomile, lavender and lemon balm are read most this week.",
        ),
        ("read.html-footer", "Copyright 2024 Herb Notes. Not medical advice."),
    ]
    assert "Popular herbs" not in titles(document)


def test_page_title_goes_to_meta_and_is_not_a_section() -> None:
    document = read_fixture("article_with_nav_and_footer.html")

    assert document.meta.title == "Valerian Root: Uses and Cautions"
    assert titles(document) == ["How it is taken", "As a tea", "Who should avoid it"]


def test_headings_keep_their_level_and_anchor_from_the_heading_or_its_section() -> None:
    document = read_fixture("article_with_nav_and_footer.html")

    found = [(s.title, s.level, s.anchor) for s in document.sections]
    assert found == [
        ("How it is taken", 2, "dosage"),
        ("As a tea", 3, "tea"),
        ("Who should avoid it", 2, None),
    ]


def test_blocks_before_the_first_heading_form_the_lead() -> None:
    document = read_fixture("article_with_nav_and_footer.html")

    assert [block_of(b).text for b in document.lead] == [
        (
            "Valerian is a flowering plant whose dried root has been taken as a sleep aid for"
            " centuries."
        ),
        "This guide covers how it is taken and who should be careful.",
    ]


def block_of(block: object) -> Paragraph:
    assert isinstance(block, Paragraph)
    return block


def test_spans_give_the_source_lines_of_headings_and_blocks() -> None:
    document = read_fixture("article_with_nav_and_footer.html")

    section = document.sections[0]
    assert (section.span.start_line, section.span.end_line) == (22, 23)
    assert section.blocks[0].span.start_line == 23
    assert document.lead[0].span.start_line == 19


def test_head_metadata_gives_description_language_canonical_url_and_date() -> None:
    document = read_fixture("article_with_nav_and_footer.html", url="https://example.org/a/b")

    assert document.meta.description == "What valerian root is used for and who should avoid it."
    assert document.meta.language == "en-GB"
    assert document.meta.canonical_url == "https://example.org/herbs/valerian/"
    assert document.meta.date_published == "2024-03-02T08:15:00+01:00"


def test_rfc_2822_meta_date_becomes_iso_8601() -> None:
    document = read_markup(
        '<html><head><meta name="date" content="Sat, 19 Oct 2019 00:04:00 +0200"></head>'
        "<body><p>Some text.</p></body></html>"
    )

    assert document.meta.date_published == "2019-10-19T00:04:00+02:00"


def test_a_meta_tag_whose_quoting_broke_is_not_read() -> None:
    document = read_markup(
        '<html><head><meta name="description" content="Bark tea, called "willow water," eases '
        'pain."><meta property="og:description" content="Willow bark tea eases mild pain.">'
        "</head><body><p>Some text.</p></body></html>"
    )

    assert document.meta.description == "Willow bark tea eases mild pain."


def test_a_title_heading_after_the_prose_is_a_section_and_drops_nothing_before_it() -> None:
    document = read_markup(
        "<html><head><title>Storage</title></head><body><main><p>Keep the bottle closed and"
        " away from children at all times.</p><h2>Storage</h2><p>Below 25 degrees.</p>"
        "</main></body></html>"
    )

    assert block_of(document.lead[0]).text.startswith("Keep the bottle closed")
    assert titles(document) == ["Storage"]


def test_an_h1_in_site_chrome_loses_the_title_to_the_heading_that_matches_the_head_title() -> None:
    document = read_fixture("h1_in_chrome_title_in_h2.html")

    assert document.meta.title == "Why Antibiotics Stop Working"
    assert titles(document) == ["What you can do"]
    outside = [d.text for d in document.dropped if d.rule == "read.html-outside-main"]
    assert "Guides and Resources" in outside
    assert "Video of the week Watch now" in outside


def test_without_landmarks_the_densest_block_is_the_main_content() -> None:
    document = read_fixture("h1_in_chrome_title_in_h2.html")

    assert len(document.lead) == 2
    assert len(document.sections[0].blocks) == 2


def test_bold_only_paragraphs_are_headings_one_level_below_the_last_real_heading() -> None:
    document = read_fixture("interview_bold_pseudo_headings.html")

    found = [(s.title, s.level) for s in document.sections]
    assert found == [
        ("Seit wann wird Ingwer gegen Übelkeit verwendet?", 2),
        ("Wie viel ist sinnvoll?", 2),
    ]


def test_speaker_prefixes_and_bold_colon_lead_ins_stay_paragraphs() -> None:
    document = read_fixture("interview_bold_pseudo_headings.html")

    texts = [block_of(b).text for b in document.sections[1].blocks]
    assert texts == [
        "Berger: Meist reicht ein Gramm am Tag, verteilt auf mehrere Portionen.",
        "Mit folgendem Hinweis:",
        "Wer Blutverdünner nimmt, sollte vorher fragen.",
    ]


def test_details_summary_becomes_a_question_section_one_level_below_the_current_one() -> None:
    document = read_fixture("details_summary_faq.html")

    found = [(s.title, s.level) for s in document.sections]
    assert found == [
        ("Composition", 2),
        ("Frequently Asked Questions", 2),
        ("Does it dissolve in cold water?", 3),
        ("How should it be stored?", 3),
    ]
    answer = block_of(document.sections[2].blocks[0])
    assert answer.text == "Yes, it dissolves fully within a minute of stirring at room temperature."


def test_product_page_keeps_title_and_intro_beside_the_densest_block() -> None:
    document = read_fixture("details_summary_faq.html")

    assert document.meta.title == "Magnesium Glycinate Powder"
    assert block_of(document.lead[0]).text.startswith("A gentle form of magnesium")
    rules = {d.text: d.rule for d in document.dropped}
    assert rules["Mineral · Powder · Unflavoured"] == "read.html-kicker"
    assert rules["from €12.50"] == "read.html-shop"
    assert rules["Order now"] == "read.html-shop"


def test_a_headed_box_of_links_is_dropped_as_related_content() -> None:
    document = read_fixture("details_summary_faq.html")

    assert "Related Products" not in titles(document)
    related = [d.text for d in document.dropped if d.rule == "read.html-related"]
    assert related == ["Related Products Zinc CitrateIron BisglycinateVitamin B12"]


def test_a_heading_that_only_links_elsewhere_is_a_teaser_not_a_section() -> None:
    document = read_markup(
        "<html><body><main><h1>Folic acid</h1><p>Folic acid is a B vitamin needed in pregnancy."
        '</p><h2><a href="/iron">Read next: iron in pregnancy</a></h2>'
        '<h2><a href="#dose">How much to take</a></h2><p>400 micrograms a day.</p>'
        "</main></body></html>"
    )

    assert titles(document) == ["How much to take"]
    assert [d.rule for d in document.dropped] == ["read.html-link-heading"]


def test_latin1_page_with_a_declared_charset_keeps_its_umlauts() -> None:
    markup = (
        '<html lang="de"><head><meta http-equiv="Content-Type" content="text/html; '
        'charset=iso-8859-1"><title>Mistel</title></head><body><article><h1>Mistel</h1>'
        "<p>Die Misteltherapie wird häufig ergänzend eingesetzt, über Wochen.</p>"
        "<h2>Größere Studien</h2><p>Sie fehlen bisher.</p></article></body></html>"
    )
    data = markup.encode("latin-1")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")

    document = read_html(data, Source(path="mistel.html", relative="mistel.html"))

    assert titles(document) == ["Größere Studien"]
    assert block_of(document.lead[0]).text.startswith("Die Misteltherapie wird häufig")
    assert "über Wochen" in (document.visible_text or "")


def test_a_utf16_meta_declaration_on_single_byte_text_reads_as_utf8() -> None:
    markup = '<html><head><meta charset="utf-16"></head><body><p>Café au lait.</p></body></html>'

    document = read_html(markup.encode("utf-8"), Source(path="cafe.html", relative="cafe.html"))

    assert block_of(document.lead[0]).text == "Café au lait."


def test_existing_jsonld_is_lifted_and_a_broken_block_is_reported_not_raised() -> None:
    document = read_fixture("existing_jsonld_with_broken_block.html")

    good, broken = document.jsonld
    assert good.error is None
    assert good.line == 7
    assert broken.data is None
    assert broken.error is not None


def test_jsonld_supplies_dates_and_author_the_head_lacks() -> None:
    document = read_fixture("existing_jsonld_with_broken_block.html")

    assert document.meta.date_published == "2023-11-05"
    assert document.meta.date_modified == "2024-01-20T09:30:00+00:00"
    assert document.meta.author == "Rui Costa"
    assert document.meta.language == "en-US"
    assert document.meta.title == "Zinc and Colds"


def test_hidden_elements_are_neither_content_nor_visible_text() -> None:
    document = read_fixture("hidden_elements.html")

    assert titles(document) == ["Taking them"]
    visible = document.visible_text or ""
    for hidden in ("Secret offer", "Decorative icon", "Continue reading", "Template text"):
        assert hidden not in visible
    assert "enable scripts" not in visible
    assert "tracking" not in visible
    assert "color: red" not in visible


def test_visible_text_joins_inline_markup_without_adding_spaces() -> None:
    document = read_fixture("hidden_elements.html")

    assert "vitamin C helps the body absorb iron." in (document.visible_text or "")


def test_list_items_keep_labels_from_a_bold_prefix_or_a_colon() -> None:
    document = read_fixture("lists_tables_and_definitions.html")

    bullets = document.sections[0].blocks[0]
    assert isinstance(bullets, BulletList)
    assert [(i.label, i.text) for i in bullets.items] == [
        ("Adults", "200 to 400 mg every four to six hours."),
        ("Children", "weight-based dose from a pharmacist."),
        (None, "Take it with food"),
        (None, "or with a glass of milk"),
    ]
    numbered = document.sections[0].blocks[1]
    assert isinstance(numbered, BulletList)
    assert numbered.ordered


def test_a_table_keeps_its_header_row_and_cell_text() -> None:
    document = read_fixture("lists_tables_and_definitions.html")

    table = document.sections[1].blocks[0]
    assert isinstance(table, Table)
    assert table.header == ("Form", "Strength")
    assert table.rows == (("Tablet", "200 mg"), ("Gel", "5%"))


def test_a_definition_list_becomes_items_labelled_by_their_terms() -> None:
    document = read_fixture("lists_tables_and_definitions.html")

    terms = document.sections[2].blocks[0]
    assert isinstance(terms, BulletList)
    assert [(i.label, i.text) for i in terms.items] == [
        ("NSAID", "Non-steroidal anti-inflammatory drug."),
        ("PRN", "As needed."),
    ]


def test_br_separated_lines_stay_paragraphs_one_per_line() -> None:
    document = read_fixture("lists_tables_and_definitions.html")

    lines = [block_of(b).text for b in document.sections[3].blocks]
    assert lines == ["Pharmacy Help Desk", "12 High Street", "Leeds"]


def test_text_after_a_nested_list_comes_once_in_its_item() -> None:
    document = read_markup(
        "<main><h1>Aspirin</h1><h2>Uses</h2><ul><li>Pain relief<ul><li>headache</li></ul>"
        " and fever</li><li>Swelling</li></ul></main>"
    )
    [block] = document.sections[-1].blocks
    assert isinstance(block, BulletList)
    assert [item.text for item in block.items] == ["Pain relief and fever", "headache", "Swelling"]


def test_loose_text_in_a_container_becomes_a_paragraph() -> None:
    document = read_markup(
        "<html><body><main><h1>Sage</h1><div>Sage tea is a <em>traditional</em> gargle."
        "<p>It tastes bitter.</p>Honey helps.</div></main></body></html>"
    )

    assert [block_of(b).text for b in document.lead] == [
        "Sage tea is a traditional gargle.",
        "It tastes bitter.",
        "Honey helps.",
    ]


def test_the_document_holds_plain_data_that_pickles() -> None:
    document = read_fixture("details_summary_faq.html")

    assert pickle.loads(pickle.dumps(document)) == document


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"", "empty"), (b"   \n", "empty"), (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary")],
)
def test_empty_or_binary_input_raises_an_input_error_naming_the_file(
    data: bytes, reason: str
) -> None:
    with pytest.raises(InputError, match=reason) as raised:
        read_html(data, Source(path="pages/broken.html", relative="broken.html"))

    assert raised.value.path == "pages/broken.html"


def test_ten_thousand_nested_divs_read_without_crashing() -> None:
    markup = "<html><body><p>Before the nest.</p>" + "<div>" * 10_000 + "<p>Deep.</p>"
    markup += "</div>" * 10_000 + "</body></html>"

    document = read_markup(markup)

    assert block_of(document.lead[0]).text == "Before the nest."


@pytest.mark.parametrize(
    "body",
    [
        '<p><a href="/x"><span class="share">Share</span> tail inside the link</a> more text</p>',
        '<p><a href="/x">first <button>Buy</button> tail after a sibling</a></p>',
        "<div><nav>Home</nav> loose tail text <aside>Related</aside><p>Prose stays here.</p></div>",
        "<ul><li><a href='/a'>One</a></li><li><a href='/b'>Two</a></li></ul><footer>End</footer>",
    ],
)
def test_weights_kept_up_while_chrome_drops_equal_weights_counted_afresh(body: str) -> None:
    root = html._parse(
        f"<html><body>{body}<p>{'Plain prose of the page. ' * 4}</p></body></html>", "p"
    )
    page = html._prune_invisible(root)

    kept = html._drop_chrome(page, None, [], *html_text.scan(page)[1:])

    assert kept | html_text.scan(page)[1] == kept
