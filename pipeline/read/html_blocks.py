"""The walk over an HTML page's main content: its blocks and headings in document order."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final, Literal

from pipeline.model import BulletList, Drop, ListItem, Paragraph, Span, Table, block_text
from pipeline.read import html_rules as rules
from pipeline.read.blocks import split_label
from pipeline.read.html_text import (
    BREAK,
    collapse,
    drop_tree,
    element_text,
    leading_text,
    text_pieces,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from lxml.etree import _Element as HtmlElement

    from pipeline.model import Block

_LIST_TAGS: Final = frozenset({"ul", "ol", "menu", "dir"})
_BOLD_TAGS: Final = frozenset({"b", "strong"})
HeadingKind = Literal["real", "pseudo", "summary"]


def _lines(raw: str) -> Iterator[tuple[int, int, str]]:
    """Yield (first line offset, last line offset, text) for each non-empty broken line."""
    newlines = 0
    for segment in raw.split(BREAK):
        text = collapse(segment)
        if text and "\n" not in segment:  # most lines: no newline to count within
            yield newlines, newlines, text
        elif text:
            leading = segment[: len(segment) - len(segment.lstrip())].count("\n")
            yield newlines + leading, newlines + segment.rstrip().count("\n"), text
        newlines += segment.count("\n")


def start_line(element: HtmlElement) -> int:
    """Return the 1-based source line of an element, or of its nearest ancestor that has one."""
    if element.sourceline is not None:
        return int(element.sourceline)
    for node in element.iterancestors():
        if node.sourceline is not None:
            return int(node.sourceline)
    return 1


def _end_line(element: HtmlElement) -> int:
    """Estimate the last source line: the last descendant's line plus the newlines after it."""
    last, tail_lines = element, 0
    while len(last):  # the last child's last child, down to the last node in document order
        last = last[-1]
        tail_lines += (last.tail or "").count("\n")
    return start_line(last) + (last.text or "").count("\n") + tail_lines


def span_of(element: HtmlElement) -> Span:
    """Return the source lines an element covers."""
    start = start_line(element)
    return Span(start_line=start, end_line=max(start, _end_line(element)))


def drop_of(element: HtmlElement, rule: str) -> Drop | None:
    """Record a removed element by its first words; None when it shows no text."""
    text = leading_text(element, rules.DROP_TEXT_CHARS)
    if not text:
        return None
    return Drop(text=text, rule=f"read.html-{rule}", span=span_of(element))


def heading_level(element: HtmlElement | None) -> int:
    """Return the level of an `<hN>`, 1 for anything else."""
    tag = element.tag if element is not None else ""
    return int(tag[1]) if tag in rules.HEADING_TAGS else 1


@dataclass(slots=True, kw_only=True)
class FoundHeading:
    """A heading as found; its final level depends on the headings before it."""

    title: str
    kind: HeadingKind
    level: int
    span: Span
    anchor: str | None


@dataclass(slots=True, kw_only=True)
class Walk:
    """One pass over the main content, collecting headings and blocks in document order.

    Until the walk passes `pending_title`, what it meets is kicker, breadcrumb or image furniture.
    """

    pending_title: HtmlElement | None
    events: list[FoundHeading | Block] = field(default_factory=list)
    dropped: list[Drop] = field(default_factory=list)

    def container(self, element: HtmlElement, depth: int) -> None:
        """Walk a container: loose text and inline runs become paragraphs, blocks are visited."""
        run, previous = [element.text or ""], None
        for child in element:  # elements only: `scan` removed the rest
            if _is_inline(child):
                run.extend((text_pieces(child), child.tail or ""))
                continue
            self._run("".join(run), element, previous)
            self._visit(child, depth + 1)
            run, previous = [child.tail or ""], child
        self._run("".join(run), element, previous)

    def _run(self, raw: str, element: HtmlElement, previous: HtmlElement | None) -> None:
        """Add a container's loose text, which starts after `previous` or else with the container.

        Most runs are the white space between tags, and need no line number.
        """
        if raw and not raw.isspace():
            self._paragraphs(raw, start_line(element) if previous is None else _end_line(previous))

    def _visit(self, element: HtmlElement, depth: int) -> None:
        tag = element.tag
        if element is self.pending_title:
            self.pending_title = None
        elif tag in rules.HEADING_TAGS:
            self._heading(element, "real", heading_level(element))
        elif tag == "p" and _is_pseudo_heading(element):
            self._heading(element, "pseudo", 0)
        elif tag in {"p", "pre"} or depth > rules.MAX_WALK_DEPTH:
            self._paragraphs(text_pieces(element), start_line(element))
        elif tag in _LIST_TAGS or tag == "dl":
            self._add(_definitions(element) if tag == "dl" else _list(element, depth), element)
        elif tag == "table" and not _is_layout_table(element):
            self._add(_table(element), element)
        elif tag == "details":
            summary = element.find("summary")
            if summary is not None:
                self._heading(summary, "summary", 0)
                drop_tree(summary)
            self.container(element, depth)
        else:
            self.container(element, depth)

    def _heading(self, element: HtmlElement, kind: HeadingKind, level: int) -> None:
        title = element_text(element)
        if not title:
            return
        if self.pending_title is not None or _is_link_heading(element, title):
            rule = (
                "read.html-kicker" if self.pending_title is not None else "read.html-link-heading"
            )
            self.dropped.append(
                Drop(text=title[: rules.DROP_TEXT_CHARS], rule=rule, span=span_of(element))
            )
            return
        found = FoundHeading(
            title=title, kind=kind, level=level, span=span_of(element), anchor=_anchor(element)
        )
        self.events.append(found)

    def _paragraphs(self, raw: str, line: int) -> None:
        for first, last, text in _lines(raw):
            self._add(
                Paragraph(text=text, span=Span(start_line=line + first, end_line=line + last)), None
            )

    def _add(self, block: Block | None, element: HtmlElement | None) -> None:
        if block is None:
            return
        if self.pending_title is None:
            self.events.append(block)
            return
        drop = drop_of(element, "before-title") if element is not None else None
        text = drop.text if drop else block_text(block)[: rules.DROP_TEXT_CHARS]
        self.dropped.append(Drop(text=text, rule="read.html-before-title", span=block.span))


def _is_inline(element: HtmlElement) -> bool:
    """Say whether an element is inline: no block and holding none (unlike a card link)."""
    if element.tag in rules.BLOCK_TAGS:
        return False
    return not any(node.tag in rules.BLOCK_TAGS for node in element.iterdescendants())


def _is_link_heading(heading: HtmlElement, title: str) -> bool:
    """Say whether a heading (`title` its text) is all one link to another page: a teaser card.

    Links holding a `#` jump within the page (permalinks, accordions) and keep their heading.
    """
    links = [a for a in heading.iter("a") if "#" not in (a.get("href") or "#")]
    linked = "".join(element_text(a) for a in links).replace(" ", "")
    return bool(links) and linked == title.replace(" ", "")


def _is_pseudo_heading(paragraph: HtmlElement) -> bool:
    """Say whether a paragraph is one short bold run, a heading; `<b>Name:</b> answer` is not."""
    children = [c for c in paragraph if c.tag != "br"]  # `scan` left elements only
    if len(children) != 1 or children[0].tag not in _BOLD_TAGS:
        return False
    bold = children[0]
    if collapse((paragraph.text or "") + "".join(c.tail or "" for c in paragraph)):
        return False
    links = "".join(element_text(a) for a in bold.iter("a"))
    text = element_text(bold)
    return bool(text) and links != text and rules.is_pseudo_heading_text(text)


def _anchor(element: HtmlElement) -> str | None:
    """Return the heading's id, an id inside it, or the id of a `<section>` it opens."""
    for node in element.iter():
        if node.get("id"):
            return str(node.get("id"))
    for section in element.iterancestors("section"):
        if section.get("id"):
            first = next(section.iter(*rules.HEADING_TAGS), None)
            return str(section.get("id")) if first is element else None
    return None


def _list(element: HtmlElement, depth: int) -> BulletList | None:
    """Read a list; the items of a nested list follow their parent item."""
    items: list[ListItem] = []
    stack = [(li, depth) for li in reversed(list(element.iterchildren("li")))]
    while stack:
        li, level = stack.pop()
        text = collapse(text_pieces(li, skip=_LIST_TAGS))
        if text:
            label, rest = split_label(text)
            items.append(ListItem(text=rest, label=label, span=span_of(li)))
        if level < rules.MAX_WALK_DEPTH:
            nested = [n for n in li.iter(*_LIST_TAGS) if _parent_list(n) is _parent_list(li)]
            children = [child for n in nested for child in n.iterchildren("li")]
            stack.extend((child, level + 1) for child in reversed(children))
    if not items:
        return None
    return BulletList(items=tuple(items), ordered=element.tag == "ol", span=span_of(element))


def _parent_list(element: HtmlElement) -> HtmlElement | None:
    return next((a for a in element.iterancestors() if a.tag in _LIST_TAGS), None)


def _definitions(element: HtmlElement) -> BulletList | None:
    """Read a `<dl>`: each term labels the descriptions that follow it."""
    items: list[ListItem] = []
    label: str | None = None
    for child in element.iter("dt", "dd"):
        text = element_text(child)
        if child.tag == "dt":
            label = text or None
        elif text:
            items.append(ListItem(text=text, label=label, span=span_of(child)))
    if not items:
        return None
    return BulletList(items=tuple(items), span=span_of(element))


def _is_layout_table(table: HtmlElement) -> bool:
    """Old pages lay out whole articles in tables; a table holding headings or tables is one."""
    return any(
        node.tag in rules.HEADING_TAGS or node.tag == "table" for node in table.iterdescendants()
    )


def _table(table: HtmlElement) -> Table | None:
    """Read a data table as cell text; a leading `<th>` or `<thead>` row is the header."""
    header: tuple[str, ...] = ()
    rows: list[tuple[str, ...]] = []
    for row in table.iter("tr"):
        cells = [c for c in row if c.tag in {"td", "th"}]
        texts = tuple(element_text(c) for c in cells)
        if not any(texts):
            continue
        is_head = row.getparent().tag == "thead" or all(c.tag == "th" for c in cells)
        if is_head and not header and not rows:
            header = texts
        else:
            rows.append(texts)
    if not header and not rows:
        return None
    return Table(header=header, rows=tuple(rows), span=span_of(table))
