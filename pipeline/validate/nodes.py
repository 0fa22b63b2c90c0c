"""Flatten a JSON-LD document into its typed nodes, keeping each node's JSON path.

A node is an object with `@type` anywhere in the document, or a top-level or `@graph` object;
`{"@id": ...}` alone is a reference and a `{"@value": ...}` object is a literal.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Iterator

    from pipeline.model import JsonValue

Path = tuple[str | int, ...]

_SCHEMA_IRI: Final = re.compile(r"^(?:https?://schema\.org/|schema:)(?P<term>[A-Za-z0-9_]+)/?$")
_FOREIGN: Final = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass(frozen=True, slots=True, kw_only=True)
class Node:
    """One node: its JSON path, its data, and its schema.org types as short names.

    `types` holds short names (`Drug`) for schema.org types; terms from other vocabularies are
    left out, so a node typed only with them has no types to check.
    """

    path: Path
    data: Mapping[str, JsonValue]
    types: tuple[str, ...]
    top_level: bool

    @property
    def node_id(self) -> str | None:
        """The node's @id when it is a string."""
        value = self.data.get("@id")
        return value if isinstance(value, str) else None

    @property
    def raw_types(self) -> tuple[str, ...]:
        """The @type values as written."""
        return tuple(_strings(self.data.get("@type")))

    def label(self) -> str:
        """Name the node in a message: its @id, else its first type."""
        return self.node_id or (self.types[0] if self.types else "node")


def schema_term(value: str) -> str | None:
    """Return the schema.org term a type or property name stands for, or None if foreign.

    `Drug`, `schema:Drug`, `https://schema.org/Drug` and `http://schema.org/Drug` all give `Drug`;
    `ex:drug` and `https://example.org/Drug` give None.
    """
    match = _SCHEMA_IRI.match(value)
    if match:
        return match.group("term")
    if _FOREIGN.match(value):
        return None
    return value


def schema_iri_term(value: str) -> str | None:
    """Return the term of a full schema.org IRI value (`https://schema.org/OTC`), else None."""
    match = _SCHEMA_IRI.match(value)
    return match.group("term") if match and not value.startswith("schema:") else None


def is_reference(value: object) -> bool:
    """Whether a value is a bare `{"@id": ...}` reference to a node elsewhere."""
    return isinstance(value, Mapping) and set(value) == {"@id"}


def flatten(doc: JsonValue) -> tuple[Node, ...]:
    """Return every node of a document, a list of documents or a `@graph`, in document order."""
    return tuple(_walk(doc, (), top_level=True))


def _walk(value: JsonValue, path: Path, *, top_level: bool) -> Iterator[Node]:
    if isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, (*path, index), top_level=top_level)
        return
    if not isinstance(value, dict) or "@value" in value or is_reference(value):
        return
    is_container = "@graph" in value and "@type" not in value
    if "@type" in value or (top_level and not is_container):
        types = tuple(t for t in map(schema_term, _strings(value.get("@type"))) if t)
        yield Node(path=path, data=value, types=types, top_level=top_level)
    for key, child in value.items():
        if key == "@context":
            continue
        yield from _walk(child, (*path, key), top_level=key == "@graph")


def _strings(value: JsonValue) -> Iterator[str]:
    items = value if isinstance(value, list) else [value]
    yield from (item for item in items if isinstance(item, str))


def as_list(value: JsonValue) -> list[JsonValue]:
    """Return a property value as a list: schema.org lets any property repeat."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
