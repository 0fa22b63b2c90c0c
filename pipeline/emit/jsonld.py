"""Deterministic JSON-LD bytes: the one place our output JSON is serialised."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Mapping

    from pipeline.model import JsonValue

# Keys every reader looks for first; the rest keep the order the build stage gave them.
_LEADING_KEYS: Final = ("@context", "@type", "@id")
_INDENT: Final = 2


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
    return json.dumps(
        ordered(dict(document)),
        ensure_ascii=ascii_only,
        allow_nan=False,
        indent=None if minify else _INDENT,
        separators=(",", ":") if minify else (",", ": "),
    )


def to_jsonld(document: Mapping[str, JsonValue]) -> bytes:
    """The `.jsonld` file: pretty JSON, UTF-8, with a trailing newline."""
    return jsonld_bytes(to_json(document))


def jsonld_bytes(json_text: str) -> bytes:
    """The `.jsonld` file from JSON text `to_json` gave with its default options."""
    return (json_text + "\n").encode("utf-8")
