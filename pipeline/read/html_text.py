"""An HTML element's text as a reader sees it: line breaks at block edges, weights of its ink."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, NamedTuple

import lxml.etree

from pipeline.read import html_rules as rules

if TYPE_CHECKING:
    from lxml.etree import _Element as HtmlElement

# Marks a hard line break (<br> or a block edge) in extracted text; normalise_text removes
# every control character from the page, so it cannot occur in source text.
BREAK: Final = "\x1e"


def text_pieces(element: HtmlElement, *, skip: frozenset[str] = frozenset()) -> str:
    """Return an element's text with BREAK at `<br>` and block edges; `skip` subtrees omitted.

    A skipped element still ends as a block does (a nested list ends its item's first line).
    """
    parts: list[str] = []
    _add_pieces(element, skip, parts)
    if element.tag in rules.BLOCK_TAGS:
        parts.append(BREAK)
    return "".join(parts)


def _add_pieces(element: HtmlElement, skip: frozenset[str], parts: list[str]) -> None:
    """Add an element's start and text, then each child's pieces, end and tail (nesting <= 256)."""
    tag = element.tag
    if tag == "br" or tag in rules.BLOCK_TAGS:
        parts.append(BREAK)
    parts.append(element.text or "")
    for child in element:
        tag = child.tag
        if tag not in skip:
            _add_pieces(child, skip, parts)
        if tag in rules.BLOCK_TAGS:
            parts.append(BREAK)
        parts.append(child.tail or "")


def scan(root: HtmlElement) -> tuple[str, dict[HtmlElement, int], dict[HtmlElement, int]]:
    """Read the page once: its text as `text_pieces` gives it, and each element's weights.

    The weights count an element's visible non-space characters outside links, and in all. What
    a reader never sees inside `root` (scripts, styles, hidden elements) is neither read nor
    weighed, and is removed once read past; its tail stays, as `drop_tree` keeps it.
    """
    scan = _Scan([], {}, {}, [])
    _scan_into(root, root.tag, scan, linked=False)
    if root.tag in rules.BLOCK_TAGS:
        scan.parts.append(BREAK)
    for element in scan.hidden:
        drop_tree(element)
    return "".join(scan.parts), scan.outside, scan.everywhere


class _Scan(NamedTuple):
    """What `scan` collects as it walks; `hidden` in document order."""

    parts: list[str]
    outside: dict[HtmlElement, int]
    everywhere: dict[HtmlElement, int]
    hidden: list[HtmlElement]


def is_invisible(element: HtmlElement) -> bool:
    """Say whether a reader never sees an element: a script, style or hidden element, a comment."""
    tag = element.tag
    return (
        not isinstance(tag, str)
        or tag in rules.INVISIBLE_TAGS
        or (
            not rules.HIDING_ATTRIBUTES.isdisjoint(element.keys())
            and rules.is_hidden(element.attrib)
        )
    )


def _scan_into(element: HtmlElement, tag: str, scan: _Scan, *, linked: bool) -> tuple[int, int]:
    """Add an element's pieces and weights, its children's first; return its weights.

    Recursion is bounded: lxml stops nesting at 256 levels.
    """
    linked = linked or tag == "a"
    parts = scan.parts
    if tag == "br" or tag in rules.BLOCK_TAGS:
        parts.append(BREAK)
    text = element.text
    every = 0
    if text:
        parts.append(text)
        every = ink(text)
    out = 0 if linked else every
    for child in element:
        child_tag = child.tag
        if is_invisible(child):
            scan.hidden.append(child)
        else:
            child_out, child_every = _scan_into(child, child_tag, scan, linked=linked)
            out += child_out
            every += child_every
            if child_tag in rules.BLOCK_TAGS:
                parts.append(BREAK)
        tail = child.tail
        if tail:
            parts.append(tail)
            if not tail.isspace():  # `ink`, inline: most tails are the space between tags
                tail_ink = len("".join(tail.split()))
                out += tail_ink
                every += tail_ink
    scan.outside[element] = out
    scan.everywhere[element] = every
    return out, every


def drop_tree(element: HtmlElement) -> None:
    """Remove an element and its content but keep its tail text, as `lxml.html` drop_tree does."""
    parent = element.getparent()
    if element.tail:
        previous = element.getprevious()
        if previous is None:
            parent.text = (parent.text or "") + element.tail
        else:
            previous.tail = (previous.tail or "") + element.tail
    parent.remove(element)


def ink(text: str | None) -> int:
    """Count the characters that are not white space; most tails between tags are only that."""
    return len("".join(text.split())) if text and not text.isspace() else 0


def collapse(raw: str) -> str:
    """Join broken text into one whitespace-collapsed line (BREAK and no-break spaces split too)."""
    return " ".join(raw.split())


def element_text(element: HtmlElement) -> str:
    """Return an element's visible text on one line."""
    return collapse(text_pieces(element))


def leading_text(element: HtmlElement, chars: int) -> str:
    """`element_text(element)[:chars]`, reading no further into the element than that takes.

    A dropped menu can hold a site's every link; its first words are all a drop records. The
    pieces come in `text_pieces` order, and reading stops once the words before the last one
    read (which the next piece may continue) already fill `chars`.
    """
    parts: list[str] = []
    seen = 0  # non-space characters read
    for event, node in lxml.etree.iterwalk(element, events=("start", "end")):
        tag = node.tag
        if event == "start":
            if tag == "br" or tag in rules.BLOCK_TAGS:
                parts.append(BREAK)
            piece = node.text or ""
        elif node is element:
            break
        else:
            if tag in rules.BLOCK_TAGS:
                parts.append(BREAK)
            piece = node.tail or ""
        parts.append(piece)
        seen += ink(piece)
        if seen > chars:
            words = "".join(parts).split()
            if len(" ".join(words[:-1])) >= chars:
                break
    return collapse("".join(parts))[:chars]
