"""Deterministic JSON-LD bytes: the one place our output JSON is serialised."""

from __future__ import annotations

import json
import math
from json.encoder import encode_basestring, encode_basestring_ascii
from typing import TYPE_CHECKING, Final, cast

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from pipeline.model import JsonValue

# Keys every reader looks for first; the rest keep the order the build stage gave them.
_LEADING_KEYS: Final = ("@context", "@type", "@id")
_INDENT: Final = 2
_STEP: Final = " " * _INDENT
_CONSTANT_TYPES: Final = (bool, type(None))
_CONSTANTS: Final = {None: "null", True: "true", False: "false"}


def ordered(value: JsonValue) -> JsonValue:
    """Return the value with `@context`, `@type`, `@id` first in every object."""
    if isinstance(value, dict):
        keys = [k for k in _LEADING_KEYS if k in value] + [
            k for k in value if k not in _LEADING_KEYS
        ]
        return {key: ordered(value[key]) for key in keys}
    if isinstance(value, list):
        return [ordered(item) for item in value]
    return value


def to_json(
    document: Mapping[str, JsonValue], *, minify: bool = False, ascii_only: bool = False
) -> str:
    """Serialise JSON-LD: fixed key order, arrays in document order, no NaN, LF line ends."""
    value = ordered(dict(document))
    if minify:
        return json.dumps(value, ensure_ascii=ascii_only, allow_nan=False, separators=(",", ":"))
    return indented_json(value, ascii_only=ascii_only)


def indented_json(value: object, *, ascii_only: bool = False, margin: str = "") -> str:
    """`json.dumps(value, indent=2, ensure_ascii=ascii_only, allow_nan=False)`, to the character.

    The standard library writes indented JSON in pure Python, a generator per object, which cost
    more than building the graph; plain dicts, lists and scalars are written here instead, with
    its C string quoting, and anything else goes to `json.dumps`. Every line after the first
    starts with `margin`, for text nested in an indented document.
    """
    quote = encode_basestring_ascii if ascii_only else encode_basestring
    try:
        return _indented(value, "\n" + margin, quote)
    except _UnusualValueError:
        text = json.dumps(value, ensure_ascii=ascii_only, allow_nan=False, indent=_INDENT)
        return text.replace("\n", "\n" + margin)


class _UnusualValueError(Exception):
    """A value `_indented` leaves to `json.dumps`: to convert (a tuple, a number key) or refuse."""


def _indented(value: object, newline: str, quote: Callable[[str], str]) -> str:
    kind = type(value)
    if kind is str:
        return quote(cast("str", value))
    if kind is dict and value:
        inner = newline + _STEP
        members = []
        for key, member in cast("dict[object, object]", value).items():
            if type(key) is not str:
                raise _UnusualValueError
            members.append(quote(key) + ": " + _indented(member, inner, quote))
        return "{" + inner + ("," + inner).join(members) + newline + "}"
    if kind is list and value:
        inner = newline + _STEP
        items = [_indented(item, inner, quote) for item in cast("list[object]", value)]
        return "[" + inner + ("," + inner).join(items) + newline + "]"
    return _scalar(value, kind)


def _scalar(value: object, kind: type) -> str:
    """An empty object or array, a constant, an int or a finite float, as `json.dumps` writes it."""
    if kind is int:
        return int.__repr__(cast("int", value))
    if kind is float and math.isfinite(cast("float", value)):
        return float.__repr__(cast("float", value))
    if kind in _CONSTANT_TYPES:
        return _CONSTANTS[cast("bool | None", value)]
    if kind is dict or kind is list:
        return "{}" if kind is dict else "[]"
    raise _UnusualValueError


def to_jsonld(document: Mapping[str, JsonValue]) -> bytes:
    """The `.jsonld` file: pretty JSON, UTF-8, with a trailing newline."""
    return jsonld_bytes(to_json(document))


def jsonld_bytes(json_text: str) -> bytes:
    """The `.jsonld` file from JSON text `to_json` gave with its default options."""
    return (json_text + "\n").encode("utf-8")
