from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.model import BulletList, Document, ListItem, Paragraph, Source, Span, Table
from pipeline.read.markdown import read_markdown

FIXTURES = Path(__file__).parent / "fixtures" / "markdown"


def read_fixture(name: str) -> Document:
    return read_markdown((FIXTURES / name).read_bytes(), Source(path=name, relative=name))


def read_string(text: str) -> Document:
    return read_markdown(text.encode(), Source(path="page.md", relative="page.md"))


def titles(document: Document) -> list[tuple[int, str]]:
    return [(section.level, section.title) for section in document.sections]


def test_front_matter_maps_dates_author_and_tags_onto_page_meta() -> None:
    meta = read_fixture("front_matter_dates_author_tags.md").meta

    assert meta.title == "Magnesium Glycinate: A Practical Guide"
    assert meta.description == (
        "How magnesium glycinate differs from other salts, and who should avoid it."
    )
    assert meta.date_published == "2024-05-01"
    assert meta.date_modified == "2024-06-12T10:00:00+00:00"
    assert meta.author == "Dana Whitfield"
    assert meta.tags == ("magnesium", "sleep", "Supplements")
    assert meta.language == "en-GB"
    assert meta.canonical_url == "/guides/magnesium-glycinate/"


def test_unknown_front_matter_keys_become_sorted_plain_text_extras() -> None:
    meta = read_fixture("front_matter_dates_author_tags.md").meta

    assert meta.extra == (
        ("draft", "false"),
        ("reviewers", "Omar Haddad, Lena Park"),
        ("sources", "books: 1; pubmed: 3"),
    )


def test_spans_count_lines_of_the_whole_file_including_front_matter() -> None:
    document = read_fixture("front_matter_dates_author_tags.md")

    assert document.lead == (
        Paragraph(
            text="Magnesium glycinate pairs the mineral with the amino acid glycine.",
            span=Span(start_line=24, end_line=24),
        ),
    )


def test_broken_yaml_front_matter_names_the_line_and_gives_a_hint() -> None:
    with pytest.raises(InputError) as caught:
        read_fixture("front_matter_broken_yaml.md")

    assert caught.value.line == 3
    assert "YAML front matter" in caught.value.reason
    assert caught.value.hint is not None
    assert str(caught.value).startswith("front_matter_broken_yaml.md:3: ")


def test_toml_front_matter_between_plus_lines_is_read_too() -> None:
    document = read_fixture("front_matter_toml.md")

    assert document.meta.title == "Iron and fatigue"
    assert document.meta.date_published == "2023-11-20"
    assert document.meta.tags == ("iron", "anaemia")
    assert document.meta.extra == (("weight", "4"),)
    assert document.sections[0].span == Span(start_line=8, end_line=10)


def test_front_matter_without_closing_line_is_ordinary_text() -> None:
    document = read_string("---\ntitle: Not metadata\n\nThe body starts here.\n")

    assert document.meta.title is None
    assert [block.text for block in document.lead if isinstance(block, Paragraph)] == [
        "title: Not metadata",
        "The body starts here.",
    ]


def test_published_flag_is_not_taken_for_a_date() -> None:
    document = read_string("---\npublished: true\ndate: 2025-03-04\n---\n\nText.\n")

    assert document.meta.date_published == "2025-03-04"
    assert document.meta.extra == (("published", "true"),)


def test_author_list_and_comma_separated_tags_are_joined_and_split() -> None:
    page = "---\nauthor: [Ann Lee, {name: Bo Chen}]\ntags: sleep, stress ,sleep\n---\nText.\n"

    meta = read_string(page).meta

    assert meta.author == "Ann Lee, Bo Chen"
    assert meta.tags == ("sleep", "stress")


def test_setext_and_atx_headings_become_sections_with_plain_titles() -> None:
    document = read_fixture("headings_setext_and_atx.md")

    assert document.meta.title == "Elderberry Syrup"
    assert titles(document) == [
        (2, "How it is made"),
        (3, "Raw berries are not safe"),
        (2, "Storage"),
    ]
    assert document.sections[0].span == Span(start_line=6, end_line=9)


def test_first_h1_is_the_title_and_blocks_before_the_next_heading_are_the_lead() -> None:
    document = read_fixture("headings_setext_and_atx.md")

    assert [block.text for block in document.lead if isinstance(block, Paragraph)] == [
        "Elderberry is sold as syrup, gummies and lozenges."
    ]


def test_front_matter_title_wins_and_the_h1_is_still_not_a_section() -> None:
    document = read_fixture("h1_title_with_front_matter.md")

    assert document.meta.title == "Vitamin D in winter"
    assert titles(document) == [(2, "Who is at risk")]
    assert len(document.lead) == 1


def test_h1_after_another_heading_is_a_section_not_the_title() -> None:
    document = read_string("## Contents\n\nA list.\n\n# Part one\n\nText.\n")

    assert document.meta.title is None
    assert titles(document) == [(2, "Contents"), (1, "Part one")]


def test_bold_labels_inside_or_before_the_colon_are_split_from_list_items() -> None:
    forms = read_fixture("lists_bold_labels_nested.md").sections[0].blocks[0]

    assert isinstance(forms, BulletList)
    assert [(item.label, item.text) for item in forms.items[:3]] == [
        ("Fresh root", "grated into hot water."),
        ("Capsules", "250 mg to 1 g a day in divided doses."),
        ("Candied ginger", "easy to carry, but high in sugar."),
    ]


def test_nested_list_items_follow_their_parent_in_one_flat_list() -> None:
    forms = read_fixture("lists_bold_labels_nested.md").sections[0].blocks[0]

    assert isinstance(forms, BulletList)
    assert [item.text for item in forms.items[3:]] == [
        "Tea bags",
        "loose leaf",
        "pyramid bags",
        "Tinctures, which vary widely in strength.",
    ]
    assert forms.items[3].span == Span(start_line=8, end_line=8)
    assert forms.items[-1].span == Span(start_line=11, end_line=11)


def test_ordered_list_is_marked_ordered() -> None:
    steps = read_fixture("lists_bold_labels_nested.md").sections[0].blocks[1]

    assert steps == BulletList(
        items=(
            ListItem(text="Peel the root.", span=Span(start_line=13, end_line=13)),
            ListItem(text="Slice it thinly.", span=Span(start_line=14, end_line=14)),
        ),
        ordered=True,
        span=Span(start_line=13, end_line=14),
    )


def test_bold_question_line_becomes_a_section_one_level_below_the_heading() -> None:
    document = read_fixture("bold_question_pseudo_headings.md")

    assert titles(document) == [
        (2, "Common questions"),
        (3, "Do probiotics need to be refrigerated?"),
        (3, "How long until they work?"),
    ]
    first = document.sections[1]
    assert first.span == Span(start_line=5, end_line=7)
    assert first.blocks == (
        Paragraph(
            text="Some strains do; the label says which.", span=Span(start_line=7, end_line=7)
        ),
    )


def test_bold_question_with_answer_on_the_next_line_splits_into_heading_and_answer() -> None:
    section = read_fixture("bold_question_pseudo_headings.md").sections[2]

    assert section.blocks[0] == Paragraph(
        text="Most studies measured changes after two to four weeks.",
        span=Span(start_line=10, end_line=10),
    )


def test_bold_lead_ins_and_bold_sentences_stay_paragraphs() -> None:
    section = read_fixture("bold_question_pseudo_headings.md").sections[2]

    paragraphs = [block.text for block in section.blocks if isinstance(block, Paragraph)]
    assert "What to look for:" in paragraphs
    assert paragraphs[-1].startswith("Always ask a pharmacist")


def test_table_keeps_header_and_rows_as_plain_cell_text() -> None:
    table = read_fixture("table_dosage.md").sections[0].blocks[0]

    assert table == Table(
        header=("Form", "Dose", "Frequency"),
        rows=(("Tablet", "500 mg", "twice daily"), ("Liquid", "5 ml", "three times daily")),
        span=Span(start_line=3, end_line=6),
    )


def test_inline_markup_is_stripped_and_entities_are_decoded_once() -> None:
    document = read_fixture("inline_markup_html_and_code.md")

    assert document.meta.title == "The caffeine &amp; sleep guide"
    assert document.sections[0].title == "Why caffeine keeps you awake"
    assert document.sections[0].blocks[0] == Paragraph(
        text="Caffeine blocks adenosine receptors, so you feel less tired. "
        "Its effect lasts for hours.",
        span=Span(start_line=5, end_line=6),
    )


def test_html_block_becomes_its_visible_text_without_script() -> None:
    blocks = read_fixture("inline_markup_html_and_code.md").sections[0].blocks

    assert blocks[1] == Paragraph(
        text="Half-life: about 5 hours", span=Span(start_line=8, end_line=10)
    )


def test_code_block_is_dropped_and_recorded_with_its_lines() -> None:
    document = read_fixture("inline_markup_html_and_code.md")

    assert [(drop.rule, drop.span) for drop in document.dropped] == [
        ("read.code-block", Span(start_line=12, end_line=16))
    ]
    assert all(
        "| alert |" not in getattr(block, "text", "") for block in document.sections[0].blocks
    )


def test_blockquote_contents_and_text_after_a_rule_stay_in_the_section() -> None:
    blocks = read_fixture("inline_markup_html_and_code.md").sections[0].blocks

    assert blocks[2:] == (
        Paragraph(text="A cup of coffee holds about 95 mg.", span=Span(start_line=18, end_line=18)),
        BulletList(
            items=(ListItem(text="Tea holds less.", span=Span(start_line=20, end_line=20)),),
            span=Span(start_line=20, end_line=20),
        ),
        Paragraph(text="Later text after a rule.", span=Span(start_line=24, end_line=24)),
    )


def test_crlf_input_reads_the_same_as_lf_input() -> None:
    lf = (FIXTURES / "front_matter_dates_author_tags.md").read_bytes()
    source = Source(path="page.md", relative="page.md")

    assert read_markdown(lf.replace(b"\n", b"\r\n"), source) == read_markdown(lf, source)


def test_document_records_its_format_and_source() -> None:
    document = read_fixture("table_dosage.md")

    assert document.format == "markdown"
    assert document.source.path == "table_dosage.md"


def test_empty_page_is_an_input_error() -> None:
    with pytest.raises(InputError):
        read_string("  \n")


def test_an_impossible_front_matter_date_is_left_out_not_a_crash() -> None:
    data = b"---\ntitle: Willow\ndate: 2024-13-45\n---\n\nWillow bark eases pain.\n"

    doc = read_markdown(data, Source(path="p.md", relative="p.md"))

    assert doc.meta.title == "Willow"
    assert doc.meta.date_published is None
