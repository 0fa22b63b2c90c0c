"""Lift every JSON-LD block out of an HTML page on its own, so one broken block hides no other."""

from __future__ import annotations

import json
import re
from typing import Final

from pipeline.model import EmbeddedJsonLd

_SCRIPT: Final = re.compile(
    r"<script\b(?P<attrs>[^>]*)>(?P<body>.*?)</script\s*>", re.IGNORECASE | re.DOTALL
)
_JSONLD_TYPE: Final = re.compile(r"""\btype\s*=\s*(["']?)\s*application/ld\+json\s*\1""", re.I)
_CDATA: Final = re.compile(r"^\s*(?://\s*)?<!\[CDATA\[(?P<body>.*?)(?://\s*)?\]\]>\s*$", re.DOTALL)
_COMMENT: Final = re.compile(r"^\s*<!--(?P<body>.*?)-->\s*$", re.DOTALL)


def extract_blocks(html: str) -> tuple[EmbeddedJsonLd, ...]:
    """Return each `<script type="application/ld+json">` block with its 1-based line.

    Wrappers that browsers and Google tolerate are undone and named in `repairs`; a block that still
    fails to parse keeps its text and gets an `error`.
    """
    blocks = []
    for match in _SCRIPT.finditer(html):
        if not _JSONLD_TYPE.search(match.group("attrs")):
            continue
        text = match.group("body")
        line = html.count("\n", 0, match.start("body")) + 1
        blocks.append(parse_block(text, line))
    return tuple(blocks)


def parse_block(text: str, line: int) -> EmbeddedJsonLd:
    """Parse one block's text, undoing a CDATA wrapper, an HTML comment or a trailing semicolon."""
    body = text
    repairs: list[str] = []
    for name, pattern in (("cdata", _CDATA), ("comment", _COMMENT)):
        wrapped = pattern.match(body)
        if wrapped:
            body = wrapped.group("body")
            repairs.append(name)
    stripped = body.strip()
    if stripped.endswith(";"):
        body = stripped[:-1]
        repairs.append("trailing-semicolon")
    try:
        data = json.loads(body)
    except json.JSONDecodeError as error:
        return EmbeddedJsonLd(
            text=text,
            line=line + _line_offset(text, body) + error.lineno - 1,
            error=f"{error.msg} at line {error.lineno} column {error.colno}",
            repairs=tuple(repairs),
        )
    return EmbeddedJsonLd(text=text, line=line, data=data, repairs=tuple(repairs))


def _line_offset(text: str, body: str) -> int:
    start = text.find(body[:40]) if body else -1
    return text.count("\n", 0, start) if start > 0 else 0
