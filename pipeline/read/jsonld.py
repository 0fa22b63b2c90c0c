"""Lift every JSON-LD block out of an HTML page on its own, so one broken block hides no other.

extruct parses the page's blocks together and loses them all when one is broken; this reader
parses each `<script type="application/ld+json">` alone. It also gives the page's visible text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Final

from pipeline.model import EmbeddedJsonLd

# A script runs from its start tag to the first end tag; with no end tag after a start tag, no
# later script ends either. Two searches: a lazy `.*?` up to the end tag tests every character.
_SCRIPT_START: Final = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
_SCRIPT_END: Final = re.compile(r"</script\s*>", re.IGNORECASE)
_JSONLD_TYPE: Final = re.compile(
    r"""\btype\s*=\s*(["']?)\s*application/ld\+json\s*\1""", re.IGNORECASE
)
_CDATA: Final = re.compile(r"^\s*(?://\s*)?<!\[CDATA\[(?P<body>.*?)(?://\s*)?\]\]>\s*$", re.DOTALL)
_COMMENT: Final = re.compile(r"^\s*<!--(?P<body>.*?)-->\s*$", re.DOTALL)
# Text inside these elements is never shown to a reader.
_INVISIBLE: Final = ("script", "style", "template", "noscript", "head")


@dataclass(frozen=True, slots=True, kw_only=True)
class Unwrapped:
    """A block's JSON text once tolerated wrappers are removed; `offset` is where it starts."""

    body: str
    offset: int
    repairs: tuple[str, ...]


def extract_blocks(html: str) -> tuple[EmbeddedJsonLd, ...]:
    """Return each `<script type="application/ld+json">` block with its 1-based line.

    Wrappers that browsers and Google tolerate are undone and named in `repairs`; a block that still
    fails to parse keeps its text and gets an `error`.
    """
    blocks = []
    position = 0
    while (start := _SCRIPT_START.search(html, position)) and (
        end := _SCRIPT_END.search(html, start.end())
    ):
        position = end.end()
        if _JSONLD_TYPE.search(start.group(1)):
            line = html.count("\n", 0, start.end()) + 1
            blocks.append(parse_block(html[start.end() : end.start()], line))
    return tuple(blocks)


def unwrap_block(text: str) -> Unwrapped:
    """Remove a CDATA wrapper, an HTML comment and a trailing semicolon, naming each one removed."""
    body = text
    offset = 0
    repairs: list[str] = []
    for name, pattern in (("cdata", _CDATA), ("comment", _COMMENT)):
        wrapped = pattern.match(body)
        if wrapped:
            offset += wrapped.start("body")
            body = wrapped.group("body")
            repairs.append(name)
    stripped = body.rstrip()
    if stripped.endswith(";"):
        body = stripped[:-1]
        repairs.append("trailing-semicolon")
    return Unwrapped(body=body, offset=offset, repairs=tuple(repairs))


def parse_block(text: str, line: int) -> EmbeddedJsonLd:
    """Parse one block's text, undoing a CDATA wrapper, an HTML comment or a trailing semicolon.

    `line` stays the block's line; a parse error names the page line it points at.
    """
    unwrapped = unwrap_block(text)
    try:
        data = json.loads(unwrapped.body)
    except json.JSONDecodeError as error:
        error_line = line + text.count("\n", 0, unwrapped.offset) + error.lineno - 1
        return EmbeddedJsonLd(
            text=text,
            line=line,
            error=f"{error.msg} at line {error_line} column {error.colno}",
            repairs=unwrapped.repairs,
        )
    return EmbeddedJsonLd(text=text, line=line, data=data, repairs=unwrapped.repairs)


def visible_text(html: str) -> str:
    """Return the text a reader of the page sees: no head, scripts, styles or `hidden` elements."""
    import lxml.html  # noqa: PLC0415 - parsers load on first use so `--help` stays fast

    if not html.strip():
        return ""
    root = lxml.html.document_fromstring(html)
    for element in root.xpath("//*[@hidden] | " + " | ".join(f"//{tag}" for tag in _INVISIBLE)):
        element.drop_tree()
    return " ".join(root.text_content().split())
