"""The read stage: bytes and a Source in, a Document out; the format picks the reader."""

from __future__ import annotations

import importlib
import re
from typing import TYPE_CHECKING, Final, Protocol

from pipeline.limits import DEFAULT_LIMITS, check_bytes, check_document

if TYPE_CHECKING:
    from pipeline.limits import Limits
    from pipeline.model import Document, Format, Source


class Reader(Protocol):
    """Turns one page's bytes into a Document; raises InputError when it cannot."""

    def __call__(self, data: bytes, source: Source) -> Document:
        """Read one page."""
        ...


_EXTENSIONS: Final[dict[str, Format]] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
}
# Module and function per format, imported on first use so `--help` loads no parser.
_READERS: Final[dict[Format, tuple[str, str]]] = {
    "text": ("pipeline.read.text", "read_text"),
    "markdown": ("pipeline.read.markdown", "read_markdown"),
    "html": ("pipeline.read.html", "read_html"),
}
_HTML_SNIFF: Final = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL
)
_FRONT_MATTER_SNIFF: Final = re.compile(rb"^(?:\xef\xbb\xbf)?---\r?\n")


def detect_format(data: bytes, source: Source) -> Format:
    """Pick a format: an explicit media hint, then the extension, then a sniff of the bytes."""
    if source.media is not None:
        return source.media
    suffix = source.path.lower().rpartition(".")[2]
    by_extension = _EXTENSIONS.get(f".{suffix}") if "." in source.path else None
    if by_extension is not None:
        return by_extension
    head = data[:1024]
    if _HTML_SNIFF.match(head):
        return "html"
    if _FRONT_MATTER_SNIFF.match(head):
        return "markdown"
    return "text"


def reader_for(page_format: Format) -> Reader:
    """Return the reader function for a format."""
    module_name, function = _READERS[page_format]
    reader: Reader = getattr(importlib.import_module(module_name), function)
    return reader


def read(data: bytes, source: Source, *, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read one page into a Document with its heading tree, metadata and embedded JSON-LD.

    Raises InputError for a page beyond `limits`, checked before and after parsing.
    """
    check_bytes(data, source.path, limits)
    document = reader_for(detect_format(data, source))(data, source)
    check_document(document, limits)
    return document
