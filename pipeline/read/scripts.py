"""Find script elements the way a browser parses them, and script markup that never became one.

`verify` needs what a browser sees after a paste: the exact script text (html5lib follows the HTML
standard's script states), where the element sits, and blocks that a CMS turned into a comment,
text area content or visible text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from collections.abc import Iterator

# Elements whose contents a browser neither shows as page content nor runs as script.
_INERT_ELEMENTS: Final = frozenset({"template", "textarea", "title", "xmp", "noembed", "noframes"})
_STRAY_SCRIPT: Final = re.compile(
    r"<script\b(?P<attrs>[^>]*)>(?P<body>.*?)(?:</script\s*>|\Z)", re.IGNORECASE | re.DOTALL
)
_NOSCRIPT_OPEN: Final = re.compile(r"<noscript\b", re.IGNORECASE)
_NOSCRIPT_CLOSE: Final = re.compile(r"</noscript\s*>", re.IGNORECASE)


@dataclass(frozen=True, slots=True, kw_only=True)
class ScriptElement:
    """A script as parsed, or script markup found where no script element runs.

    `container` is `head` or `body` for a live element; otherwise what holds the markup:
    `comment`, `text` (entity-encoded, shown on the page), or an element name (`noscript`,
    `template`, `textarea`). `offset` is where `text` starts in the source, or -1 if unknown.
    """

    text: str
    attributes: tuple[tuple[str, str], ...]
    container: str
    line: int | None
    offset: int = -1

    @property
    def is_live(self) -> bool:
        """Whether a browser and a search engine read this script."""
        return self.container in {"head", "body"}

    def attribute(self, name: str) -> str | None:
        """Return the value of an attribute, or None when it is absent."""
        return next((value for key, value in self.attributes if key == name), None)


def find_scripts(html: str) -> tuple[ScriptElement, ...]:
    """Return the page's scripts and stray script markup in document order."""
    import html5lib  # noqa: PLC0415 - parsers load on first use so `--help` stays fast

    root = html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)
    locator = _Locator(html)
    return tuple(_walk(root, "head", locator))


def _walk(element: Any, container: str, locator: _Locator) -> Iterator[ScriptElement]:  # noqa: ANN401 - an ElementTree node
    tag = element.tag
    if not isinstance(tag, str):
        yield from _strays(element.text or "", "comment", locator)
    elif tag == "script" and container in {"head", "body"}:
        text = element.text or ""
        offset = locator.find(text)
        yield ScriptElement(
            text=text,
            attributes=tuple((str(k), str(v)) for k, v in element.attrib.items()),
            container="noscript" if locator.in_noscript(offset) else container,
            line=locator.line(offset),
            offset=offset,
        )
    else:
        if tag in {"head", "body"} or tag in _INERT_ELEMENTS:
            container = tag
        inner = "text" if container in {"head", "body"} else container
        yield from _strays(element.text or "", inner, locator)
        for child in element:
            yield from _walk(child, container, locator)
    outer = "text" if container in {"head", "body"} else container
    yield from _strays(element.tail or "", outer, locator)


def _strays(text: str, container: str, locator: _Locator) -> Iterator[ScriptElement]:
    """Script markup inside a comment or text: a paste that never became an element."""
    if "<script" not in text.lower():
        return
    for match in _STRAY_SCRIPT.finditer(text):
        body = match.group("body")
        offset = locator.find(body) if container != "text" else -1
        yield ScriptElement(
            text=body,
            attributes=_attributes(match.group("attrs")),
            container=container,
            line=locator.line(offset),
            offset=offset,
        )


_ATTRIBUTE: Final = re.compile(r"""([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")


def _attributes(text: str) -> tuple[tuple[str, str], ...]:
    return tuple(
        (m.group(1).lower(), m.group(2) or m.group(3) or m.group(4) or "")
        for m in _ATTRIBUTE.finditer(text)
    )


class _Locator:
    """Finds texts in the raw source in order, for line numbers and the text that follows them."""

    def __init__(self, html: str) -> None:
        self.html = html
        self.cursor = 0

    def find(self, text: str) -> int:
        if not text:
            return -1
        offset = self.html.find(text, self.cursor)
        if offset >= 0:
            self.cursor = offset + len(text)
        return offset

    def line(self, offset: int) -> int | None:
        return self.html.count("\n", 0, offset) + 1 if offset >= 0 else None

    def in_noscript(self, offset: int) -> bool:
        # With scripting on, as in browsers and Google's renderer, <noscript> content is raw text;
        # html5lib parses as if scripting were off, so the raw source decides.
        if offset < 0:
            return False
        before = self.html[:offset]
        opened = [m.start() for m in _NOSCRIPT_OPEN.finditer(before)]
        return bool(opened) and not _NOSCRIPT_CLOSE.search(before, opened[-1])
