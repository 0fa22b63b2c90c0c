"""Plain-text reader: bare-line headings, Markdown headings that slipped in, bullets and paragraphs.

Text copied out of a CMS or a chat loses its markup; what is left is line shape. A heading is a
short line without sentence punctuation that is followed by body text; the rules below say what
"short" and "body" mean and cite the input that justified them.
"""

from __future__ import annotations

import re
from typing import Final, NamedTuple

from pipeline.model import (
    Block,
    BulletList,
    Document,
    ListItem,
    PageMeta,
    Paragraph,
    Section,
    Source,
    Span,
)
from pipeline.read.blocks import split_label
from pipeline.read.encoding import collapse_spaces, decode, normalise_text

_ATX: Final = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_BULLET_MARKS: Final = "-*+•–·▪"
_BULLET: Final = re.compile(
    rf"^(?P<indent>\s*)(?:[{re.escape(_BULLET_MARKS)}]|\d{{1,3}}[.)])\s+(?P<text>\S.*)$"
)
_NUMBERED: Final = re.compile(r"^\s*\d{1,3}[.)]\s+\S")
_SECTION_NUMBER: Final = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+\S")
# Emphasis markers that survive a copy from a Markdown editor: **bold**, __bold__, *em*, _em_.
_EMPHASIS: Final = re.compile(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1")
_SENTENCE_END: Final = (".", "!", ";", ",", "…")
_INNER_SENTENCE: Final = re.compile(r"[.!?]\s+\S")
# Headings in the seed and the real pages run to 10 words ("1. Co to jest lek ... stosuje");
# a line of 15 words is prose even without a full stop.
_MAX_HEADING_WORDS: Final = 14
_MAX_HEADING_CHARS: Final = 110
# A lead-in like "Ask your doctor, pharmacist or nurse if:" lists with commas; headings rarely do.
_MAX_HEADING_COMMAS: Final = 1
# Leaflets put the product name in capitals among their first lines ("NAME DOZ, 500 mg, tablets");
# a first comma-part all in capitals marks it, since headings elsewhere are in title case.
_TITLE_WINDOW: Final = 4
_MIN_TITLE_LETTERS: Final = 4
# "Active substance: X" states a fact; a label of more words before a colon reads as a heading.
_MAX_FACT_LABEL_WORDS: Final = 3
# Body text: a line of at least this many words, or one that ends a sentence.
_MIN_BODY_WORDS: Final = 8


class _Line(NamedTuple):
    """A line as read: emphasis marks gone, its indent, and its text without surrounding spaces."""

    number: int
    text: str
    indent: int
    stripped: str


def read_text(data: bytes, source: Source) -> Document:
    """Read a plain-text page into sections; the first lines may give a title."""
    text = normalise_text(decode(data, source.path))
    lines = []
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip()
        if "*" in line or "_" in line:
            line = _EMPHASIS.sub(r"\2", line)
        lines.append(_Line(number, line, len(raw) - len(raw.lstrip()), line.strip()))
    kinds = _classify(lines)
    title, start = _find_title(lines, kinds)
    lead, sections = _assemble(lines[start:], kinds[start:])
    return Document(
        source=source,
        format="text",
        meta=PageMeta(title=title),
        lead=lead,
        sections=sections,
        visible_text=None,
    )


def _classify(lines: list[_Line]) -> list[str]:
    """Label each line (blank, atx, bullet, heading, body), bottom-up so a heading sees its body."""
    kinds = ["" if line.stripped else "blank" for line in lines]
    for index, line in enumerate(lines):
        if kinds[index]:
            continue
        # Each pattern needs its first character where the line's text starts.
        first = line.stripped[0]
        if first == "#" and _ATX.match(line.stripped):
            kinds[index] = "atx"
        elif (
            (first in _BULLET_MARKS or first.isdecimal())
            and _BULLET.match(line.text)
            and not _is_section_number(lines, index)
        ):
            kinds[index] = "bullet"
    following = None  # the next line that is not blank
    for index in range(len(lines) - 1, -1, -1):
        if not kinds[index]:
            heading = _is_heading(lines, kinds, index, following)
            kinds[index] = "heading" if heading else "body"
        if kinds[index] != "blank":
            following = index
    _demote_lead_ins(lines, kinds)
    return kinds


def _demote_lead_ins(lines: list[_Line], kinds: list[str]) -> None:
    """A "...:" line straight under a "...:" heading introduces a list; it is not a sub-heading.

    Leaflets write "X and other medicines:" then "Tell your doctor about, in particular:".
    """
    for index in range(1, len(lines)):
        if (
            kinds[index] == "heading"
            and kinds[index - 1] == "heading"
            and lines[index - 1].stripped.endswith(":")
            and lines[index].stripped.endswith(":")
        ):
            kinds[index] = "body"


def _is_section_number(lines: list[_Line], index: int) -> bool:
    """A numbered line is a section heading when no numbered line stands next to it.

    Package leaflets number their sections ("3. How to take X") and also list them as a table of
    contents, where the numbered lines stand together and form a list.
    """
    text = lines[index].stripped
    if not _SECTION_NUMBER.match(text) or not _is_heading_shape(text):
        return False
    adjacent = lines[max(index - 1, 0) : index] + lines[index + 1 : index + 2]
    return not any(_NUMBERED.match(other.text) for other in adjacent)


def _is_heading_shape(text: str) -> bool:
    """Short, starts like a title, no sentence punctuation at the end or inside."""
    if _SECTION_NUMBER.match(text):
        text = text.split(maxsplit=1)[1].strip()
    words = text.split()
    if not words or len(words) > _MAX_HEADING_WORDS or len(text) > _MAX_HEADING_CHARS:
        return False
    first = text[0]
    if first.isalpha() and first.islower():
        return False
    if text.endswith(_SENTENCE_END) or _INNER_SENTENCE.search(text.rstrip("?:")):
        return False
    if text.count(",") > _MAX_HEADING_COMMAS:
        return False
    head, colon, tail = text.partition(":")
    # "Label: value" on one line is a fact, not a heading; "Label:" alone is a sub-heading.
    return not (
        colon
        and tail.strip()
        and not text.rstrip().endswith(":")
        and len(head.split()) <= _MAX_FACT_LABEL_WORDS
    )


def _is_heading(lines: list[_Line], kinds: list[str], index: int, following: int | None) -> bool:
    text = lines[index].stripped
    if following is None or not _is_heading_shape(text):
        return False
    if following == index + 1 and lines[following].stripped[:1].islower():
        return False  # the sentence goes on in the next line
    after = kinds[following]
    if after in {"bullet", "body"}:
        # "Label:" alone on its line heads whatever follows it (leaflets, fact sheets).
        return after == "bullet" or text.endswith(":") or _is_body(lines[following].stripped)
    # A heading followed straight by another heading: only a numbered or colon-ended section head,
    # as in leaflets ("2. Before you take X" then "Do not take X:").
    return after in {"heading", "atx"} and (bool(_SECTION_NUMBER.match(text)) or text.endswith(":"))


def _is_body(text: str) -> bool:
    stripped = text.strip()
    return len(stripped.split()) >= _MIN_BODY_WORDS or stripped.endswith((".", "!", ":", "?"))


def _find_title(lines: list[_Line], kinds: list[str]) -> tuple[str | None, int]:
    """Return the title and the index where content starts.

    Two shapes give a title: a Markdown heading at the top whose level is above the next heading's
    ("## Herb" then "### Description"), and an all-capitals line among the top lines (leaflets).
    """
    first = next((i for i, kind in enumerate(kinds) if kind != "blank"), None)
    if first is None:
        return None, 0
    match = _ATX.match(lines[first].stripped)
    if match:
        next_atx = next(
            (
                _ATX.match(ln.stripped)
                for i, ln in enumerate(lines)
                if i > first and kinds[i] == "atx"
            ),
            None,
        )
        if next_atx is None or len(next_atx.group(1)) > len(match.group(1)):
            return collapse_spaces(match.group(2)), first + 1
    for index in range(first, min(first + _TITLE_WINDOW, len(lines))):
        text = lines[index].stripped
        if kinds[index] not in {"body", "heading"} or len(text.split()) > _MAX_HEADING_WORDS:
            continue
        letters = [ch for ch in text.split(",", 1)[0] if ch.isalpha()]
        if len(letters) >= _MIN_TITLE_LETTERS and all(ch.isupper() for ch in letters):
            kinds[index] = "blank"
            return collapse_spaces(text), 0
    return None, 0


def _assemble(
    lines: list[_Line], kinds: list[str]
) -> tuple[tuple[Block, ...], tuple[Section, ...]]:
    """Group lines into the lead blocks and the sections."""
    lead: list[Block] = []
    sections: list[Section] = []
    current: tuple[str, int, int] | None = None
    blocks: list[Block] = []
    index = 0

    def close(end_line: int) -> None:
        if current is None:
            lead.extend(blocks)
        else:
            title, level, start = current
            span = Span(start_line=start, end_line=max(start, end_line))
            sections.append(Section(title=title, level=level, blocks=tuple(blocks), span=span))
        blocks.clear()

    while index < len(lines):
        line, kind = lines[index], kinds[index]
        if kind in {"heading", "atx"}:
            close(line.number - 1)
            current = _heading(line, kind)
            index += 1
        elif kind == "bullet":
            bullet, index = _collect_list(lines, kinds, index)
            blocks.append(bullet)
        elif kind == "body":
            paragraph, index = _collect_paragraph(lines, kinds, index)
            blocks.append(paragraph)
        else:
            index += 1
    close(lines[-1].number if lines else 0)
    return tuple(lead), tuple(sections)


def _heading(line: _Line, kind: str) -> tuple[str, int, int]:
    text = line.stripped
    match = _ATX.match(text)
    if kind == "atx" and match:
        return collapse_spaces(match.group(2)), len(match.group(1)), line.number
    # Bare lines carry no level; numbered sub-sections ("2.1") and "Label:" heads sit one lower.
    if _SECTION_NUMBER.match(text):
        depth = text.split(" ", 1)[0].rstrip(".").count(".")
    else:
        depth = 1 if text.endswith(":") else 0
    return collapse_spaces(text), 2 + depth, line.number


def _collect_paragraph(lines: list[_Line], kinds: list[str], index: int) -> tuple[Paragraph, int]:
    """A paragraph is one line, joined with following lines that continue a broken sentence."""
    start = lines[index]
    parts = [start.stripped]
    index += 1
    while (
        index < len(lines)
        and kinds[index] == "body"
        and not parts[-1].endswith((".", "!", "?", ":", "…"))
        and lines[index].stripped[:1].islower()
    ):
        parts.append(lines[index].stripped)
        index += 1
    span = Span(start_line=start.number, end_line=lines[index - 1].number)
    return Paragraph(text=collapse_spaces(" ".join(parts)), span=span), index


def _collect_list(lines: list[_Line], kinds: list[str], index: int) -> tuple[BulletList, int]:
    """Consecutive bullets (nested ones flattened, blank lines between allowed) form one list."""
    items: list[ListItem] = []
    ordered = bool(_NUMBERED.match(lines[index].text))
    base_indent = lines[index].indent
    while index < len(lines):
        kind = kinds[index]
        if kind == "blank":
            following = next((i for i in range(index, len(lines)) if kinds[i] != "blank"), None)
            if following is None or kinds[following] != "bullet":
                break
            index = following
            continue
        line = lines[index]
        if kind == "bullet":
            match = _BULLET.match(line.text)
            if match:
                label, text = split_label(collapse_spaces(match.group("text")))
                span = Span(start_line=line.number, end_line=line.number)
                items.append(ListItem(text=text, label=label, span=span))
        elif kind == "body" and items and line.indent > base_indent:
            last = items[-1]
            joined = collapse_spaces(f"{last.text} {line.text}")
            items[-1] = ListItem(
                text=joined,
                label=last.label,
                span=Span(start_line=last.span.start_line, end_line=line.number),
            )
        else:
            break
        index += 1
    span = Span(start_line=items[0].span.start_line, end_line=items[-1].span.end_line)
    return BulletList(items=tuple(items), ordered=ordered, span=span), index
