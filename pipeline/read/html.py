"""The HTML reader: main content, heading tree, page metadata and embedded JSON-LD from one page.

Only plain model values leave this module; the lxml tree is built, pruned and dropped here.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from typing import TYPE_CHECKING, Final

import lxml.etree

from pipeline.errors import InputError
from pipeline.model import Document, Drop, Section, Span
from pipeline.read import html_meta
from pipeline.read import html_rules as rules
from pipeline.read.encoding import decode, normalise_text
from pipeline.read.html_blocks import (
    FoundHeading,
    HeadingKind,
    Walk,
    drop_of,
    heading_level,
)
from pipeline.read.html_text import collapse, drop_tree, element_text, ink, is_invisible, scan
from pipeline.read.jsonld import extract_blocks

if TYPE_CHECKING:
    from collections.abc import Sequence

    from lxml.etree import _Element as HtmlElement

    from pipeline.model import Block, SectionKind, Source

_TITLE_WORD: Final = re.compile(r"\w{3,}")
# A heading is the page title when it holds this share of the words of a `<title>` part.
_TITLE_MATCH_SHARE: Final = 0.6
_LANDMARK_TAGS: Final = frozenset({"main", "article"})


def read_html(data: bytes, source: Source) -> Document:
    """Read an HTML page into sections, lead, metadata, dropped chrome and embedded JSON-LD.

    Raises InputError for empty, binary or undecodable input, or a page with no markup.
    """
    text = normalise_text(decode(data, source.path, declared=_declared_charset(data)))
    root = _parse(text, source.path)
    metas = html_meta.meta_values(root)
    jsonld = extract_blocks(text)
    meta = html_meta.read_meta(root, metas, jsonld, source.url)
    titles = html_meta.head_titles(root, metas)
    body = _prune_invisible(root)
    raw, weights, everywhere = scan(body)
    visible = collapse(raw)
    title = _match_title(body, titles)
    dropped: list[Drop] = []
    weights = _drop_chrome(body, title, dropped, weights, everywhere)
    main = _main_root(body, title, dropped, weights)
    if title is None:
        title = next(main.iter("h1"), None)
    walk = Walk(pending_title=title if _opens_content(main, title) else None)
    walk.container(main, 0)
    lead, sections = _assemble(walk.events, heading_level(title))
    title_text = element_text(title) if title is not None else None
    return Document(
        source=source,
        format="html",
        meta=replace(meta, title=title_text or _fallback_title(titles)),
        lead=lead,
        sections=sections,
        dropped=tuple(sorted([*dropped, *walk.dropped], key=_drop_line)),
        jsonld=jsonld,
        visible_text=visible or None,
    )


def _declared_charset(data: bytes) -> str | None:
    """Return the charset a `<meta>` declares; UTF-16 and UTF-32 there mean UTF-8 (WHATWG)."""
    sniffed = rules.CHARSET_SNIFF.search(data[: rules.CHARSET_SNIFF_BYTES])
    declared = sniffed.group(1).decode("ascii", "replace") if sniffed else None
    if declared and declared.lower().replace("-", "").startswith(("utf16", "utf32")):
        return "utf-8"
    return declared


def _parse(text: str, path: str) -> HtmlElement:
    """Parse with lxml, whose nesting cap (256 levels) keeps hostile pages bounded.

    Plain `lxml.etree` elements: `lxml.html`'s own classes cost a Python lookup per element.
    """
    declaration = rules.XML_DECLARATION.match(text)
    if declaration:
        text = "\n" * declaration.group(0).count("\n") + text[declaration.end() :]
    parser = lxml.etree.HTMLParser(remove_comments=True, remove_pis=True)
    try:
        root: HtmlElement | None = lxml.etree.fromstring(text, parser)
    except (lxml.etree.ParserError, ValueError) as error:
        raise InputError(path, f"the HTML could not be parsed: {error}") from error
    if root is None:
        raise InputError(path, "the HTML could not be parsed: Document is empty")
    return root


def _prune_invisible(root: HtmlElement) -> HtmlElement:
    """Return the body, taken out of the page when it is itself hidden; `scan` prunes inside it.

    A hidden body is still read: it holds the whole page.
    """
    body = root.find("body")
    if body is None:
        body = root
    if body.getparent() is not None and is_invisible(body):
        drop_tree(body)
    return body


def _contains(ancestor: HtmlElement, element: HtmlElement | None) -> bool:
    return element is not None and (element is ancestor or ancestor in element.iterancestors())


def _opens_content(main: HtmlElement, title: HtmlElement | None) -> bool:
    """Say whether the title heading opens the main content, so what precedes it is furniture.

    A matched heading that follows real prose is a content heading, and nothing before it drops.
    """
    if title is None or not _contains(main, title):
        return False
    for element in main.iter():
        if element is title:
            break
        prose = element.tag in {"p", "li", "td", "dd"} and not _contains(element, title)
        if prose and len(element_text(element)) >= rules.SUBSTANTIVE_CHARS:
            return False
    return True


def _drop_line(drop: Drop) -> int:
    return drop.span.start_line if drop.span else 0


def _match_title(body: HtmlElement, titles: Sequence[str]) -> HtmlElement | None:
    """Find the heading the head's titles name: the page's only `<h1>` may be chrome."""
    parts = [
        words
        for title in titles
        for part in _title_parts(title)
        if (words := set(_TITLE_WORD.findall(part.casefold())))
    ]
    best: tuple[float, HtmlElement] | None = None
    for heading in body.iter("h1", "h2", "h3"):
        words = set(_TITLE_WORD.findall(element_text(heading).casefold()))
        share = max((len(words & part) / len(part) for part in parts), default=0.0)
        # Among equal matches the higher-ranked heading wins, then the earlier one.
        score = share - heading_level(heading) / 100
        if share >= _TITLE_MATCH_SHARE and (best is None or score > best[0]):
            best = (score, heading)
    return best[1] if best else None


def _title_parts(title: str) -> tuple[str, ...]:
    """Return the whole title and its parts less the last, the site in `Page | Site`."""
    segments = html_meta.title_segments(title)
    return segments[:-1] if len(segments) > 1 else segments


def _fallback_title(titles: Sequence[str]) -> str | None:
    """With no title heading, the first head title less a trailing site name."""
    if not titles:
        return None
    parts = _title_parts(titles[0])
    return parts[1] if len(parts) > 1 else parts[0]


def _prose_mass(root: HtmlElement, weights: dict[HtmlElement, int]) -> dict[HtmlElement, int]:
    """Return each element's substantive prose: paragraph-like text long enough to be content.

    A prose element counts its own text, so what lies inside it adds only up to it; an element
    missing from the result has none.
    """
    mass: dict[HtmlElement, int] = {}
    for element in root.iter(*rules.PROSE_TAGS):
        weight = weights.get(element, 0)
        if weight < rules.SUBSTANTIVE_CHARS:
            continue
        mass[element] = weight
        for ancestor in element.iterancestors():
            if ancestor.tag in rules.PROSE_TAGS:
                break
            mass[ancestor] = mass.get(ancestor, 0) + weight
    return mass


def _chrome_kind(element: HtmlElement, title: HtmlElement | None) -> tuple[str, bool] | None:
    """Return the chrome kind of an element and whether its tag alone decided it."""
    tag = element.tag
    if tag in rules.CHROME_TAGS:
        # An article's own <header> holds the title, kicker, byline and dek; a section's
        # header holds a content heading and stays.
        in_landmark = next(element.iterancestors("article", "main", "section"), None) is not None
        if tag == "header" and in_landmark and not _contains(element, title):
            return None
        return rules.CHROME_TAGS[tag], tag not in {"form", "header"}
    role = element.get("role")
    if tag in {"main", "body", "html"} or role == "main":
        return None
    kind = rules.CHROME_ROLES.get(role.strip().lower()) if role else None
    if kind is not None:
        return kind, False
    classes, ident = element.get("class"), element.get("id")
    if not classes and not ident:  # most elements: no names to read a kind from
        return None
    kind = rules.chrome_kind_of_names(f"{classes or ''} {ident or ''}")
    return (kind, False) if kind else None


def _is_link_box(
    element: HtmlElement, weights: dict[HtmlElement, int], everywhere: dict[HtmlElement, int]
) -> bool:
    """Say whether a headed box is mostly link text: a related-articles or author box."""
    if element.tag not in rules.LINK_BOX_TAGS:
        return False
    outside_links, total = weights.get(element, 0), everywhere.get(element, 0)
    if not total:
        return False
    if next(element.iter(*rules.HEADING_TAGS), None) is None:
        return False
    links = sum(1 for _ in element.iter("a"))
    return links >= rules.LINK_BOX_MIN_LINKS and 1 - outside_links / total >= rules.LINK_BOX_DENSITY


def _drop_chrome(
    body: HtmlElement,
    title: HtmlElement | None,
    dropped: list[Drop],
    weights: dict[HtmlElement, int],
    everywhere: dict[HtmlElement, int],
) -> dict[HtmlElement, int]:
    """Remove site chrome in document order, recording each piece that had text.

    Return the weights outside links as they are once the chrome is gone (see `_less`).
    """
    after = dict(weights)
    limit = rules.CHROME_MAX_SHARE * weights.get(body, 0)
    # Only elements without a `<main>` inside are dropped, so these stay its ancestors throughout.
    holds_main = {a for main in body.iter("main") for a in main.iterancestors()}
    stack = list(reversed(body))  # `scan` left elements only
    while stack:
        element = stack.pop()
        found = _chrome_kind(element, title)
        if found is None and _is_link_box(element, weights, everywhere):
            found = ("related", False)
        wrapper = found is not None and not found[1] and weights.get(element, 0) > limit
        if found is None or wrapper or element in holds_main:
            stack.extend(reversed(element))
            continue
        drop = drop_of(element, found[0])
        if drop is not None:
            dropped.append(drop)
        _less(after, element, weights.get(element, 0))
        drop_tree(element)
    return after


def _less(weights: dict[HtmlElement, int], element: HtmlElement, weight: int) -> None:
    """Take an element about to be dropped out of its ancestors' weights outside links.

    Its tail stays with its parent, but counts no longer when it joins the text of a parent
    inside a link (`drop_tree` moves it there when the element has no previous sibling).
    """
    parent = element.getparent()
    if element.getprevious() is None and (
        parent.tag == "a" or next(parent.iterancestors("a"), None) is not None
    ):
        weight += ink(element.tail)
    for node in itertools.chain((parent,), parent.iterancestors()):
        if node in weights:
            weights[node] -= weight


def _main_root(
    body: HtmlElement,
    title: HtmlElement | None,
    dropped: list[Drop],
    weights: dict[HtmlElement, int],
) -> HtmlElement:
    """Pick the main content: a landmark holding most prose, else the densest block."""
    mass = _prose_mass(body, weights)
    total = mass.get(body, 0)
    # An iteration, not the XPath union it equals: compiling and running XPath costs more.
    landmarks = [
        e for e in body.iterdescendants() if e.tag in _LANDMARK_TAGS or e.get("role") == "main"
    ]
    best = max(landmarks, key=lambda e: mass.get(e, 0), default=None)
    if best is not None and mass.get(best, 0) >= rules.LANDMARK_MIN_SHARE * total:
        root: HtmlElement = best
    else:
        root = body
        while total:
            child = max(root, key=lambda e: mass.get(e, 0), default=None)
            if child is None or mass.get(child, 0) < rules.DENSE_SHARE * total:
                break
            root = child
        # A product page keeps its title and intro beside, not inside, the densest block.
        common = next((a for a in root.iterancestors() if _contains(a, title)), body)
        if not _contains(root, title) and common is not body:
            root = common
    _drop_outside(root, body, dropped)
    return root


def _drop_outside(root: HtmlElement, body: HtmlElement, dropped: list[Drop]) -> None:
    """Record what lies beside the main content on the way up to the body."""
    node = root
    while node is not body and (parent := node.getparent()) is not None:
        for sibling in parent:
            drop = drop_of(sibling, "outside-main") if sibling is not node else None
            if drop is not None:
                dropped.append(drop)
        node = parent


def _assemble(
    events: Sequence[FoundHeading | Block], title_level: int
) -> tuple[tuple[Block, ...], tuple[Section, ...]]:
    """Group blocks under headings; bold and summary headings take levels from what precedes."""
    lead: list[Block] = []
    found: list[tuple[FoundHeading, list[Block]]] = []
    last_real = section_level = title_level
    for event in events:
        if not isinstance(event, FoundHeading):
            (found[-1][1] if found else lead).append(event)
            continue
        if event.kind == "real":
            last_real = section_level = event.level
        elif event.kind == "pseudo":
            event.level = section_level = min(last_real + 1, 6)
        else:
            event.level = min(section_level + 1, 6)
        found.append((event, []))
    return tuple(lead), tuple(_section(heading, blocks) for heading, blocks in found)


_KINDS: Final[dict[HeadingKind, SectionKind]] = {
    "real": "heading",
    "pseudo": "bold",
    "summary": "summary",
}


def _section(heading: FoundHeading, blocks: Sequence[Block]) -> Section:
    end = max([heading.span.end_line, *(b.span.end_line for b in blocks)])
    span = Span(start_line=heading.span.start_line, end_line=end)
    return Section(
        title=heading.title,
        level=heading.level,
        blocks=tuple(blocks),
        span=span,
        anchor=heading.anchor,
        kind=_KINDS[heading.kind],
    )
