"""Bytes to text (BOM, declared charset, then detection) and the one normalisation readers share."""

from __future__ import annotations

import codecs
import re
import unicodedata
from typing import Final

from pipeline.errors import InputError

_BOMS: Final = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Zero-width and bidi-control characters carry no text; chat copies end paragraphs with U+200B.
_INVISIBLE: Final = re.compile(
    "[\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
# Control characters other than tab and newline never belong in page text (NUL, form feed...).
_CONTROL: Final = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
_ASCII_CONTROLS: Final = bytes([*range(0x09), *range(0x0B, 0x20), 0x7F])
_ASCII_TAB_TO_SPACE: Final = bytes.maketrans(b"\t", b" ")
# A binary file has NULs early on; a text file in UTF-16 without a BOM is rare enough to refuse.
_BINARY_SNIFF: Final = 8192


def decode(data: bytes, path: str, *, declared: str | None = None) -> str:
    """Decode page bytes: a BOM wins, then the declared charset, then UTF-8, then detection.

    Raises InputError for empty, binary or undecodable input.
    """
    if not data or data.isspace():
        raise InputError(path, "the file is empty", hint="give a page with some text")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode_as(data[len(bom) :], encoding, path)
    if data.find(b"\x00", 0, _BINARY_SNIFF) >= 0:
        raise InputError(
            path,
            "the file looks binary (it contains NUL bytes)",
            hint="give a text, Markdown or HTML page",
        )
    if declared:
        try:
            codecs.lookup(declared)
        except LookupError:
            declared = None
    if declared:
        try:
            return data.decode(_windows_superset(declared))
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return _detect(data, path)


def _windows_superset(encoding: str) -> str:
    """Browsers read ISO-8859-1 as windows-1252 (WHATWG Encoding); so do we."""
    name = codecs.lookup(encoding).name
    return "cp1252" if name in {"latin-1", "iso8859-1", "ascii"} else name


def _decode_as(data: bytes, encoding: str, path: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise InputError(path, f"the file is not valid {encoding}: {error.reason}") from error


def _detect(data: bytes, path: str) -> str:
    from charset_normalizer import from_bytes  # noqa: PLC0415 - only undeclared pages pay for it

    best = from_bytes(data).best()
    if best is None:
        raise InputError(
            path,
            "the text encoding could not be detected",
            hint="save the file as UTF-8 or declare its charset",
        )
    return str(best)


def normalise_text(text: str) -> str:
    """Unify line endings, drop invisible and control characters, and apply NFC once.

    ASCII text holds no invisible character and is already NFC; one byte-table pass does the rest.
    """
    if "\r" in text:  # a search for one character is far cheaper than a replace that finds none
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_TAB_TO_SPACE, _ASCII_CONTROLS).decode("ascii")
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub("", text.replace("\t", " "))
    return unicodedata.normalize("NFC", text)


_SPACES: Final = re.compile(r"[ \u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_WIDE_SPACES: Final = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000]")


def collapse_spaces(text: str) -> str:
    """Collapse runs of spaces (including no-break spaces) and trim.

    Most text has only single plain spaces, which the regex pass would leave as they are.
    """
    if "  " in text or (not text.isascii() and _WIDE_SPACES.search(text)):
        text = _SPACES.sub(" ", text)
    return text.strip()
