from __future__ import annotations

import re
import tomllib
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.clean import Screen, clean, load_clean_rules, rules_from_toml, screen
from pipeline.errors import ProfileError
from pipeline.model import (
    BulletList,
    Document,
    ListItem,
    PageMeta,
    Paragraph,
    Section,
    Source,
    Span,
)


def _span(line: int) -> Span:
    return Span(start_line=line, end_line=line)


def _para(text: str, line: int = 1) -> Paragraph:
    return Paragraph(text=text, span=_span(line))


def _list(*texts: str, line: int = 1) -> BulletList:
    return BulletList(
        items=tuple(ListItem(text=t, span=_span(line)) for t in texts), span=_span(line)
    )


def _section(title: str, *blocks: Paragraph | BulletList, level: int = 2, line: int = 1) -> Section:
    return Section(title=title, level=level, blocks=blocks, span=_span(line))


def _doc(*sections: Section, lead: tuple[Paragraph, ...] = ()) -> Document:
    return Document(
        source=Source(path="p.txt", relative="p.txt"),
        format="text",
        meta=PageMeta(),
        lead=lead,
        sections=sections,
    )


PROSE = "Willow bark contains salicin, which the body turns into salicylic acid to ease pain."


def test_paragraph_repeated_word_for_word_is_dropped_once_kept_once() -> None:
    doc = clean(
        _doc(
            _section("Uses", _para(PROSE)),
            _section("How It Works", _para(PROSE), _para("It acts slowly over several hours.")),
        ),
        load_clean_rules(),
    )

    assert doc.sections[0].blocks == (_para(PROSE),)
    assert doc.sections[1].blocks == (_para("It acts slowly over several hours."),)
    assert [(d.rule, d.text) for d in doc.dropped] == [("clean.repeated", PROSE)]


def test_dated_post_titles_and_the_shop_line_above_them_are_dropped() -> None:
    doc = clean(
        _doc(
            _section("Uses", _para(PROSE)),
            _section(
                "Shop Willow Bark Capsules for calm",
                _list(
                    "Ten Ways to Sleep Better - April 2, 2025", "Is Lavender Safe? - March 28, 2025"
                ),
                line=5,
            ),
        ),
        load_clean_rules(),
    )

    assert [s.title for s in doc.sections] == ["Uses"]
    assert [(d.rule, d.heading) for d in doc.dropped] == [
        ("clean.shop-cta", True),
        ("clean.recent-posts", False),
    ]


def test_a_contents_list_of_the_page_headings_is_dropped_with_its_heading() -> None:
    doc = clean(
        _doc(
            _section("Contents", _list("Uses", "Side Effects")),
            _section("Uses", _para(PROSE)),
            _section("Side Effects", _para("Stomach upset is the most common complaint reported.")),
        ),
        load_clean_rules(),
    )

    assert [s.title for s in doc.sections] == ["Uses", "Side Effects"]
    assert {d.rule for d in doc.dropped} == {"clean.table-of-contents"}


def test_furniture_heading_takes_its_sub_sections_with_it() -> None:
    doc = clean(
        _doc(
            _section("Uses", _para(PROSE)),
            _section("Related Articles", level=2),
            _section(
                "Ginger for Nausea", _para("A short teaser about ginger and nausea here."), level=3
            ),
            _section("Dosage", _para("Adults take 240 mg a day with food and water."), level=2),
        ),
        load_clean_rules(),
    )

    assert [s.title for s in doc.sections] == ["Uses", "Dosage"]
    assert [d.text for d in doc.dropped if d.heading] == ["Related Articles", "Ginger for Nausea"]


@pytest.mark.parametrize("heading", ["Links", "External links", "See also", "Weblinks"])
def test_a_links_section_goes_whole_even_when_its_links_have_titles(heading: str) -> None:
    """Markdown `[NHS guide](url)` reads as its title, which no line rule can tell from prose."""
    doc = clean(
        _doc(
            _section("Uses", _para(PROSE)),
            _section(heading, _para("Overview and safety guide"), _list("NHS: ibuprofen")),
        ),
        load_clean_rules(),
    )

    assert [s.title for s in doc.sections] == ["Uses"]
    assert {d.rule for d in doc.dropped} == {"clean.link-list"}


@pytest.mark.parametrize("heading", ["DOCUMENT END", "End of document", "Ende des Dokuments"])
def test_an_end_marker_takes_the_document_metadata_under_it(heading: str) -> None:
    doc = clean(
        _doc(
            _section("Uses", _para(PROSE)),
            _section(heading, _para("Version: 1.0 Date: 2025-01-08 Word Count: ~15,000 words")),
        ),
        load_clean_rules(),
    )

    assert [s.title for s in doc.sections] == ["Uses"]
    assert {d.rule for d in doc.dropped} == {"clean.end-matter"}


@pytest.mark.parametrize("heading", ["Links between ibuprofen and asthma", "The end of treatment"])
def test_headings_that_only_start_like_furniture_are_kept(heading: str) -> None:
    doc = clean(_doc(_section(heading, _para(PROSE))), load_clean_rules())

    assert [s.title for s in doc.sections] == [heading]


def test_source_chips_between_paragraphs_are_dropped_but_a_lone_short_answer_is_kept() -> None:
    doc = clean(
        _doc(
            _section(
                "Uses",
                _para(PROSE),
                _para("The Daily Post", line=2),
                _para("Drugs.example+1", line=3),
            ),
            _section("Generic Name", _para("Salicin (willow)")),
        ),
        load_clean_rules(),
    )

    assert doc.sections[0].blocks == (_para(PROSE),)
    assert doc.sections[1].blocks == (_para("Salicin (willow)"),)
    assert [d.rule for d in doc.dropped] == ["clean.fragment", "clean.credit"]


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("By Jane Example | 10 years writing about herbs", "clean.byline"),
        ("Last updated: March 3, 2025", "clean.byline"),
        (
            "This article is for informational purposes only and is not medical advice.",
            "clean.disclaimer",
        ),
        ("Share Tweet Email", "clean.share-widget"),
        ("We use cookies to improve your experience on this site.", "clean.cookie-notice"),
        ("https://example.org/willow", "clean.link-list"),
    ],
)
def test_page_furniture_lines_are_dropped_with_their_rule(text: str, rule: str) -> None:
    doc = clean(_doc(_section("Uses", _para(PROSE), _para(text, line=2))), load_clean_rules())

    assert doc.sections[0].blocks == (_para(PROSE),)
    assert [(d.rule, d.text) for d in doc.dropped] == [(rule, text)]


def test_a_section_left_with_nothing_but_furniture_loses_its_heading() -> None:
    doc = clean(
        _doc(
            _section("Uses", _para(PROSE)),
            _section("Stay in Touch", _para("Sign up for our newsletter")),
        ),
        load_clean_rules(),
    )

    assert [s.title for s in doc.sections] == ["Uses"]
    assert ("Stay in Touch", True) in [(d.text, d.heading) for d in doc.dropped]


def test_a_new_furniture_pattern_in_data_changes_the_result_without_code() -> None:
    data = tomllib.loads(
        resources.files("pipeline.profiles").joinpath("furniture.toml").read_text("utf-8")
    )
    data["rules"]["share-widget"]["patterns"].append("^willow club members save 10%$")
    rules = rules_from_toml(data, "custom.toml")
    page = _doc(_section("Uses", _para(PROSE), _para("Willow club members save 10%", line=2)))

    assert len(clean(page, load_clean_rules()).sections[0].blocks) == 2
    assert clean(page, rules).sections[0].blocks == (_para(PROSE),)


def test_a_bad_furniture_pattern_names_its_key() -> None:
    data = tomllib.loads(
        resources.files("pipeline.profiles").joinpath("furniture.toml").read_text("utf-8")
    )
    data["rules"]["byline"]["patterns"] = ["(unclosed"]

    with pytest.raises(ProfileError, match=r"rules\.byline\.patterns\[0\]"):
        rules_from_toml(data, "custom.toml")


# The screen may only rule out text that no pattern matches: every match a pattern can make must
# pass. These shapes cover what the pattern reader follows and what it must leave to the regex.
SCREENED_SHAPES = [
    r"^(?:shop|buy|add to (?:cart|basket))\b.{0,80}$",
    r"\bis not (?:a substitute for )?(?:professional )?medical advice\b",
    r"^(?:disclaimer:\s*)?(?:this|the) (?:[\w-]+ ){0,3}(?:is|are) for",
    r"^\d+\s*min(?:ute)?s?\s+read$",
    r"comments?|kommentare+",
    r"^[]a-c]+x|y",
    r"^a\]b[\]x]c",
    r"\(c\) photo\.",
    r"(ab)\1 twice",
    r"\x41\u0062c literal escapes",
    r"^(?i:MIXED) case",
    r"(?<=after )word",
    r"^(?P<name>named) (?P=name)",
    r"(?:a|b|c|d)(?:e|f|g|h)(?:i|j|k|l)(?:m|n|o|p)",
    r"^x{2,3}y{,2}z{}",
    r"^",
    r"^$|never",
]


def _alphabet(pattern: re.Pattern[str]) -> st.SearchStrategy[str]:
    """ASCII, where the screen works, and the pattern's own letters in either case."""
    own = {case for char in pattern.pattern for case in (char, char.lower(), char.upper())}
    return st.characters(max_codepoint=127, include_characters="".join(own))


@pytest.mark.parametrize("shape", SCREENED_SHAPES)
@given(data=st.data())
@settings(max_examples=60, deadline=None)
def test_the_screen_passes_every_text_a_pattern_matches(shape: str, data: st.DataObject) -> None:
    pattern = re.compile(shape, re.IGNORECASE)
    text = data.draw(st.from_regex(pattern, alphabet=_alphabet(pattern)))

    assert screen([pattern]).passes(text)


def _furniture() -> list[tuple[re.Pattern[str], Screen]]:
    rules = load_clean_rules()
    return [(p, rules.line_screen) for rule in rules.line_rules for p in rule.patterns] + [
        (p, rules.heading_screen) for _, patterns in rules.section_headings for p in patterns
    ]


@pytest.mark.parametrize(
    ("pattern", "built"), _furniture(), ids=lambda p: getattr(p, "pattern", "")
)
@given(data=st.data())
@settings(max_examples=25, deadline=None)
def test_the_screen_passes_every_furniture_match(
    pattern: re.Pattern[str], built: Screen, data: st.DataObject
) -> None:
    text = data.draw(st.from_regex(pattern, alphabet=_alphabet(pattern)))

    assert built.passes(text)


def test_the_screen_rules_out_prose_before_any_pattern_runs() -> None:
    rules = load_clean_rules()

    assert not rules.line_screen.passes(PROSE)
    assert not rules.heading_screen.passes("Side Effects")
    assert rules.line_screen.passes("This site uses cookies to count visits.")
    assert rules.line_screen.passes("Nicht ASCII: Datenschutzerklärung")


@pytest.mark.parametrize(
    ("shape", "text"),
    [("ſtop and \u212aelvin", "STOP AND kelvin"), ("^ſhop", "Shop now"), ("x[ſ]y", "xsy")],
)
def test_letters_outside_ascii_that_fold_into_it_are_left_to_the_regex(
    shape: str, text: str
) -> None:
    pattern = re.compile(shape, re.IGNORECASE)

    assert pattern.search(text)
    assert screen([pattern]).passes(text)


def test_a_pattern_that_needs_a_letter_outside_ascii_never_runs_on_ascii_text() -> None:
    shape = "не є медичною|^no (?:constituye|sustituye) consejo médico"
    built = screen([re.compile(shape, re.IGNORECASE)])

    assert not built.passes("no constituye consejo medico")
    assert built.passes("Це не є медичною порадою.")
