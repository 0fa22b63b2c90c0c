"""Bounds on one page, so that a hostile or broken file fails alone, fast, with a clear message.

Every limit and its default lives here; a `[limits]` table in schemapress.toml overrides them.
Deep nesting needs no limit of its own: lxml stops nesting HTML at 256 levels and markdown-it
stops nesting Markdown blocks at 20, and the readers stop descending before either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Final, NoReturn

from pipeline.errors import ConfigError, InputError
from pipeline.model import block_text

if TYPE_CHECKING:
    from pipeline.model import Document

_MIB: Final = 1024 * 1024
# Markdown ATX headings and HTML heading tags, counted on the raw bytes before any parser runs:
# a cheap upper bound that spares parsing a page the heading limit refuses anyway.
_HEADING_MARK: Final = re.compile(
    rb"^[ ]{0,3}#{1,6}(?:[ \t]|$)|<h[1-6][\s>/]", re.MULTILINE | re.IGNORECASE
)
_HINT: Final = "split the page, or raise limits.{name} in schemapress.toml"


@dataclass(frozen=True, slots=True, kw_only=True)
class Limits:
    """Per-page bounds; a page beyond one becomes an InputError that names the limit.

    Analysis takes about 4 s per million characters of prose, so `max_text_chars` bounds the time
    a page can take; the other two refuse early what would only get slower.
    """

    # The largest real page in tests/eval is 240 KB of HTML; 20 MB leaves room for inline assets.
    max_page_bytes: int = 20 * _MIB
    # About 150,000 words: fifteen times the longest article or leaflet we have seen.
    max_text_chars: int = 1_000_000
    # Long guides and leaflets have a few hundred headings; FAQ pages a few dozen questions.
    max_headings: int = 5_000

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ConfigError(None, f"limits.{item.name}", "must be a positive whole number")


DEFAULT_LIMITS: Final = Limits()


def check_bytes(data: bytes, path: str, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse a page too large to read, or with more heading marks than the heading limit.

    Raises InputError.
    """
    if len(data) > limits.max_page_bytes:
        raise InputError(
            path,
            f"the page is {_size(len(data))}, more than the limit of "
            f"{_size(limits.max_page_bytes)}",
            hint=_HINT.format(name="max_page_bytes"),
        )
    # Each mark holds its own "#" or "<h": counting those bytes is a bound that spares the regex.
    bound = data.count(b"#") + data.count(b"<h") + data.count(b"<H")
    if bound <= limits.max_headings:
        return
    marks = sum(1 for _ in _HEADING_MARK.finditer(data))
    if marks > limits.max_headings:
        _too_many_headings(path, marks, limits)


def check_document(document: Document, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse a read page with more headings or text than the limits allow.

    Raises InputError.
    """
    path = document.source.path
    if len(document.sections) > limits.max_headings:
        _too_many_headings(path, len(document.sections), limits)
    chars = sum(len(block_text(block)) for block in document.lead)
    for section in document.sections:
        chars += len(section.title) + sum(len(block_text(block)) for block in section.blocks)
    if chars > limits.max_text_chars:
        raise InputError(
            path,
            f"the page has {chars:,} characters of text, more than the limit of "
            f"{limits.max_text_chars:,}",
            hint=_HINT.format(name="max_text_chars"),
        )


def _too_many_headings(path: str, count: int, limits: Limits) -> NoReturn:
    raise InputError(
        path,
        f"the page has {count:,} headings, more than the limit of {limits.max_headings:,}",
        hint=_HINT.format(name="max_headings"),
    )


def _size(count: int) -> str:
    return f"{count / _MIB:.1f} MB" if count >= _MIB else f"{count:,} bytes"
