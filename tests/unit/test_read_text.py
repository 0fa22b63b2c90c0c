from __future__ import annotations

import pytest

from pipeline.errors import InputError
from pipeline.model import BulletList, Document, Paragraph, Source
from pipeline.read.text import read_text


def _read(text: str | bytes) -> Document:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return read_text(data, Source(path="page.txt", relative="page.txt"))


def test_bare_line_without_full_stop_becomes_heading() -> None:
    doc = _read(
        "How Willow Bark Works\n"
        "Willow bark contains salicin, which the body turns into salicylic acid to ease pain.\n"
    )

    assert [s.title for s in doc.sections] == ["How Willow Bark Works"]
    assert doc.sections[0].blocks == (
        Paragraph(
            text="Willow bark contains salicin, which the body turns into salicylic acid to ease pain.",
            span=doc.sections[0].blocks[0].span,
        ),
    )
    assert doc.sections[0].span.start_line == 1


def test_short_line_followed_by_another_short_line_stays_body() -> None:
    doc = _read(
        "Willow bark has been chewed for pain relief since antiquity in many places.\n"
        "Source Chip\n"
        "Another Label\n"
        "\n"
        "Side Effects\n"
        "Stomach upset is the most common complaint among people who take it daily.\n"
    )

    assert [s.title for s in doc.sections] == ["Side Effects"]
    assert [type(b) for b in doc.lead] == [Paragraph, Paragraph, Paragraph]


def test_label_bullets_keep_their_label_and_text_apart() -> None:
    doc = _read(
        "Side Effects\n"
        "- Stomach Upset: Nausea and heartburn are reported most often.\n"
        "- Bleeding Risk: It thins the blood like aspirin does.\n"
    )

    (block,) = doc.sections[0].blocks
    assert isinstance(block, BulletList)
    assert [(i.label, i.text) for i in block.items] == [
        ("Stomach Upset", "Nausea and heartburn are reported most often."),
        ("Bleeding Risk", "It thins the blood like aspirin does."),
    ]


def test_numbered_section_heads_are_headings_but_a_numbered_contents_list_is_a_list() -> None:
    doc = _read(
        "Contents\n"
        "1. What the tablets are for\n"
        "2. How to take them\n"
        "\n"
        "1. What the tablets are for\n"
        "The tablets relieve headache, toothache and period pain in adults.\n"
        "\n"
        "2. How to take them\n"
        "Take one or two tablets with water every four to six hours when needed.\n"
    )

    titles = [s.title for s in doc.sections]
    assert titles == ["Contents", "1. What the tablets are for", "2. How to take them"]
    assert isinstance(doc.sections[0].blocks[0], BulletList)


def test_colon_labels_are_subheadings_and_a_lead_in_under_one_is_body() -> None:
    doc = _read(
        "2. Before you take it\n"
        "Other medicines:\n"
        "Tell your doctor about every medicine you take, especially:\n"
        "- blood thinners,\n"
        "- other pain killers.\n"
    )

    assert [(s.title, s.level) for s in doc.sections] == [
        ("2. Before you take it", 2),
        ("Other medicines:", 3),
    ]
    assert isinstance(doc.sections[1].blocks[0], Paragraph)


def test_markdown_heading_above_the_next_level_is_the_title() -> None:
    doc = _read(
        "\n## Willow Bark: A Gentle Pain Reliever\n\nWillow bark is a traditional remedy.\n\n"
        "### Uses:\n\n* Back pain relief in adults over several weeks of use.\n"
    )

    assert doc.meta.title == "Willow Bark: A Gentle Pain Reliever"
    assert [(s.title, s.level) for s in doc.sections] == [("Uses:", 3)]


def test_capitals_line_at_the_top_is_the_title() -> None:
    doc = _read(
        "WILLOWIN, 240 mg, tablets\n"
        "Active substance: willow bark extract\n"
        "\n"
        "What it is for\n"
        "Willowin is a herbal medicine for the short-term relief of lower back pain.\n"
    )

    assert doc.meta.title == "WILLOWIN, 240 mg, tablets"
    assert [s.title for s in doc.sections] == ["What it is for"]


def test_a_sentence_broken_across_lines_is_one_paragraph() -> None:
    doc = _read(
        "Dosage\n"
        "Adults take 240 mg of extract a day, which is the amount\n"
        "used in the trials that found a benefit.\n"
    )

    (block,) = doc.sections[0].blocks
    assert isinstance(block, Paragraph)
    assert block.text.endswith("the amount used in the trials that found a benefit.")
    assert (block.span.start_line, block.span.end_line) == (2, 3)


def test_windows_line_ends_and_zero_width_characters_are_normalised() -> None:
    doc = _read(
        "Uses\r\nWillow bark eases\u200b lower back pain in adults who take it daily for weeks.\u200b\r\n"
    )

    assert doc.sections[0].title == "Uses"
    block = doc.sections[0].blocks[0]
    assert isinstance(block, Paragraph)
    assert block.text == "Willow bark eases lower back pain in adults who take it daily for weeks."


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"", "empty"), (b"  \n\n", "empty"), (b"\x00\x01binary\x00data", "binary")],
)
def test_unreadable_text_is_an_input_error_naming_the_file(data: bytes, reason: str) -> None:
    with pytest.raises(InputError, match=reason) as caught:
        _read(data)

    assert caught.value.path == "page.txt"
