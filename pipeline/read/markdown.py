"""Markdown pages (CommonMark plus tables, with optional front matter) as a Document.

The body is read from markdown-it's token tree, never from rendered HTML, so every block keeps the
lines it came from. Page furniture stays in: the clean stage drops it by rule.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Final

from pipeline.model import (
    Block,
    BulletList,
    Document,
    Drop,
    ListItem,
    Paragraph,
    Section,
    Source,
    Span,
    Table,
)
from pipeline.read.blocks import split_label
from pipeline.read.encoding import collapse_spaces, decode, normalise_text
from pipeline.read.front_matter import split_front_matter
from pipeline.read.jsonld import extract_blocks
from pipeline.read.markdown_tree import Node, parse

if TYPE_CHECKING:
    from collections.abc import Iterator

_LISTS: Final = frozenset({"bullet_list", "ordered_list"})
# A bold line is a heading only when short: FAQ questions on real pages run 3-12 words, while
# bold warnings ("**Always consult ... for each patient.**") run longer and end in a full stop.
_PSEUDO_HEADING_MAX_WORDS: Final = 14
# A bold line ending in these introduces a list ("**Key Takeaways:**") or is a call to action
# ("**Start your journey today!**"); neither titles a section.
_NOT_HEADING_ENDINGS: Final = (":", ".", "!", ",", ";")
# `**Label:** text` bullets: authors mark the label, so it may be longer than split_label's guess.
_MAX_BOLD_LABEL_WORDS: Final = 12
_HIDDEN_TAGS: Final = frozenset({"script", "style", "template", "noscript"})
_INLINE_TAGS: Final = frozenset(
    {
        "a",
        "abbr",
        "b",
        "code",
        "em",
        "i",
        "mark",
        "q",
        "s",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "u",
    }
)
_CODE_BLOCK_RULE: Final = "read.code-block"


def read_markdown(data: bytes, source: Source) -> Document:
    """Read a Markdown page: front matter to PageMeta, headings to Sections, the rest to blocks.

    Spans count lines of the whole file, front matter included. Raises InputError for bytes that do
    not decode and for front matter that does not parse.
    """
    text = normalise_text(decode(data, source.path))
    front = split_front_matter(text, source.path)
    outline = _Outline(lines=_Lines(text=tuple(front.body.split("\n")), offset=front.line_offset))
    for node in parse(front.body):
        outline.add_node(node)
    outline.close_section()
    return Document(
        source=source,
        format="markdown",
        meta=dataclasses.replace(front.meta, title=front.meta.title or outline.title),
        lead=tuple(outline.lead),
        sections=tuple(outline.sections),
        dropped=tuple(outline.dropped),
        jsonld=extract_blocks(text) if "ld+json" in text else (),
    )


@dataclass(frozen=True, slots=True)
class _Lines:
    """The Markdown body's lines and how many front-matter lines precede them."""

    text: tuple[str, ...]
    offset: int

    def span(self, node: Node) -> Span:
        """Return the node's 1-based lines in the file, trailing blank lines left out.

        markdown-it counts from 0 within the body, and a list item's range takes in the blank
        line after it.
        """
        start, end = node.map or (0, 1)
        end = max(end, start + 1)
        while end > start + 1 and not self.text[end - 1].strip():
            end -= 1
        return Span(start_line=start + self.offset + 1, end_line=end + self.offset)


@dataclass(slots=True)
class _OpenSection:
    title: str
    level: int
    span: Span
    blocks: list[Block] = field(default_factory=list)


@dataclass(slots=True)
class _Outline:
    """The sections so far; `level` is the last real heading's, so bold lines nest under it."""

    lines: _Lines
    title: str | None = None
    level: int = 1
    seen_heading: bool = False
    lead: list[Block] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    dropped: list[Drop] = field(default_factory=list)
    current: _OpenSection | None = None

    def add_node(self, node: Node) -> None:
        """Add one top-level node: a heading opens a section, anything else adds blocks."""
        if node.type == "heading":
            self.add_heading(node)
            return
        split = _pseudo_heading(node) if node.type == "paragraph" else None
        if split is None:
            self.add_blocks(_blocks(node, self.lines, self.dropped))
            return
        question, answer = split
        start = self.lines.span(node).start_line
        level = min(self.level + 1, 6)
        self.open_section(question, level, Span(start_line=start, end_line=start))
        if answer is not None:
            end = self.lines.span(node).end_line
            self.add_blocks([Paragraph(text=answer, span=Span(start_line=start + 1, end_line=end))])

    def add_heading(self, node: Node) -> None:
        """Open a section; the first heading, when it is an H1, is the page title instead."""
        title = _plain(node)
        if not title:
            return
        level = int(node.tag[1:])
        first, self.seen_heading = not self.seen_heading, True
        self.level = level
        if first and level == 1:
            self.title = title
            return
        self.open_section(title, level, self.lines.span(node))

    def open_section(self, title: str, level: int, span: Span) -> None:
        """Close the open section and start a new one."""
        self.close_section()
        self.current = _OpenSection(title=title, level=level, span=span)

    def add_blocks(self, blocks: list[Block]) -> None:
        """Append blocks to the open section, or to the lead before any section."""
        (self.current.blocks if self.current else self.lead).extend(blocks)

    def close_section(self) -> None:
        """Turn the open section into a Section whose span runs to its last block."""
        if self.current is None:
            return
        open_section, self.current = self.current, None
        end = max(
            [open_section.span.end_line, *(block.span.end_line for block in open_section.blocks)]
        )
        self.sections.append(
            Section(
                title=open_section.title,
                level=open_section.level,
                blocks=tuple(open_section.blocks),
                span=Span(start_line=open_section.span.start_line, end_line=end),
            )
        )


def _pseudo_heading(paragraph: Node) -> tuple[str, str | None] | None:
    """Return (heading, rest) for a paragraph that opens with a short bold line, else None.

    A wholly bold paragraph is a heading; a bold question followed by a line break and more text is
    a heading plus its answer (the FAQ shape `**Is it safe?**` / answer on the next line).
    """
    parts = _content_children(paragraph)
    if not parts or parts[0].type != "strong":
        return None
    heading = _plain(parts[0])
    if len(parts) == 1:
        return (heading, None) if _is_heading_line(heading) else None
    if parts[1].type not in {"softbreak", "hardbreak"} or not heading.endswith("?"):
        return None
    rest = collapse_spaces("".join(_pieces(parts[2:])))
    return (heading, rest or None) if _is_heading_line(heading) else None


def _is_heading_line(text: str) -> bool:
    return (
        bool(text)
        and len(text.split()) <= _PSEUDO_HEADING_MAX_WORDS
        and not text.endswith(_NOT_HEADING_ENDINGS)
    )


def _blocks(node: Node, lines: _Lines, dropped: list[Drop]) -> list[Block]:
    """Turn one block node into model blocks; quotes yield their contents, rules nothing."""
    span = lines.span(node)
    match node.type:
        case "paragraph" | "heading":
            text = _plain(node)
            return [Paragraph(text=text, span=span)] if text else []
        case "bullet_list" | "ordered_list":
            items = tuple(_list_items(node, lines))
            return (
                [BulletList(items=items, ordered=node.type == "ordered_list", span=span)]
                if items
                else []
            )
        case "table":
            return [_table(node, span)]
        case "blockquote":
            return [block for child in node.children for block in _blocks(child, lines, dropped)]
        case "html_block":
            text = _html_text(node.content)
            return [Paragraph(text=text, span=span)] if text else []
        case "fence" | "code_block":
            # Code on a health page is an ASCII diagram or an embed snippet: its characters would
            # leak into answers, so it is kept out of the blocks and reported as dropped.
            dropped.append(Drop(text=node.content.rstrip("\n"), rule=_CODE_BLOCK_RULE, span=span))
    return []


def _list_items(list_node: Node, lines: _Lines) -> Iterator[ListItem]:
    """Yield a list's items; nested lists follow their parent item as items of the same list."""
    for item in list_node.children:
        own = [child for child in item.children if child.type not in _LISTS]
        nested = [child for child in item.children if child.type in _LISTS]
        text = " ".join(part for part in (_plain(child) for child in own) if part)
        if text:
            label, text = _item_label(own[0], text)
            span = lines.span(item)
            if nested:
                last = lines.span(nested[0]).start_line - 1
                span = Span(start_line=span.start_line, end_line=max(span.start_line, last))
            yield ListItem(text=text, label=label, span=span)
        for child in nested:
            yield from _list_items(child, lines)


def _item_label(first: Node, text: str) -> tuple[str | None, str]:
    """Split `**Label:** text` or `**Label**: text`, falling back to a plain `Label: text` split."""
    parts = _content_children(first) if first.type == "paragraph" else []
    if parts and parts[0].type == "strong":
        bold = _plain(parts[0])
        rest = text[len(bold) :].strip() if text.startswith(bold) else ""
        if bold.endswith(":") and rest:
            label = bold[:-1].strip()
        elif rest.startswith(":") and rest[1:].strip():
            label, rest = bold, rest[1:].strip()
        else:
            return split_label(text)
        if label and len(label.split()) <= _MAX_BOLD_LABEL_WORDS:
            return label, rest
    return split_label(text)


def _table(node: Node, span: Span) -> Table:
    header: tuple[str, ...] = ()
    rows: list[tuple[str, ...]] = []
    for part in node.children:
        for row in part.children:
            cells = tuple(_plain(cell) for cell in row.children)
            if part.type == "thead":
                header = cells
            else:
                rows.append(cells)
    return Table(header=header, rows=tuple(rows), span=span)


def _content_children(paragraph: Node) -> list[Node]:
    """Return a paragraph's inline nodes minus the empty text markdown-it leaves around emphasis.

    Plain content gives none: callers look for a bold run, and plain text holds none.
    """
    inline = paragraph.children[0] if paragraph.children else paragraph
    return [child for child in inline.children if child.type != "text" or child.content.strip()]


def _plain(node: Node) -> str:
    """Plain text of a node: emphasis and code marks gone, links as their text, images dropped."""
    return collapse_spaces("".join(_pieces(node.children)))


def _pieces(nodes: list[Node]) -> Iterator[str]:
    for node in nodes:
        match node.type:
            case "text" | "code_inline":
                yield node.content
            case "softbreak" | "hardbreak":
                yield " "
            case "html_inline":
                yield " " if node.content.lower().startswith("<br") else ""
            case "image":
                continue
            case "inline" if node.plain:
                yield node.content.replace("\n", " ")  # line breaks read as spaces
            case _:
                yield from _pieces(node.children)


def _html_text(html: str) -> str:
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    return collapse_spaces("".join(parser.parts))


class _TextExtractor(HTMLParser):
    """Visible text of an HTML fragment; script and style contents dropped, block tags as spaces."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:  # noqa: ARG002
        if tag in _HIDDEN_TAGS:
            self._hidden += 1
        elif tag not in _INLINE_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN_TAGS:
            self._hidden = max(0, self._hidden - 1)
        elif tag not in _INLINE_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)
