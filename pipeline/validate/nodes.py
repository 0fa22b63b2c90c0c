"""Flatten a JSON-LD document into its typed nodes, keeping each node's JSON path.

A node is an object with `@type` anywhere in the document, or a top-level or `@graph` object;
`{"@id": ...}` alone is a reference and a `{"@value": ...}` object is a literal.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, NamedTuple

if TYPE_CHECKING:
    from pipeline.model import JsonValue

Path = tuple[str | int, ...]

_SCHEMA_IRI: Final = re.compile(r"^(?:https?://schema\.org/|schema:)(?P<term>[A-Za-z0-9_]+)/?$")
# How a schema.org IRI value starts (`schema:` names a term only in a key or @type).
_SCHEMA_IRI_PREFIXES: Final = ("https://schema.org/", "http://schema.org/")
_FOREIGN: Final = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
# Type and property names come from a vocabulary, so a few thousand cover any site.
_TERM_CACHE: Final = 4096


class Node(NamedTuple):
    """One node: its JSON path, its data, and its schema.org types as short names.

    `types` holds short names (`Drug`) for schema.org types; terms from other vocabularies are
    left out, so a node typed only with them has no types to check. `node_id` (the @id when it is
    a string) and `raw_types` (the @type strings as written) are read once, when flattening.
    A named tuple, because every page builds one per node and a tuple is the cheapest to build.
    """

    path: Path
    data: Mapping[str, JsonValue]
    types: tuple[str, ...]
    top_level: bool
    node_id: str | None
    raw_types: tuple[str, ...]

    def label(self) -> str:
        """Name the node in a message: its @id, else its first type."""
        return self.node_id or (self.types[0] if self.types else "node")


@functools.lru_cache(maxsize=_TERM_CACHE)
def schema_term(value: str) -> str | None:
    """Return the schema.org term a type or property name stands for, or None if foreign.

    `Drug`, `schema:Drug`, `https://schema.org/Drug` and `http://schema.org/Drug` all give `Drug`;
    `ex:drug` and `https://example.org/Drug` give None. Cached: every page repeats the same names.
    """
    match = _SCHEMA_IRI.match(value)
    if match:
        return match.group("term")
    if _FOREIGN.match(value):
        return None
    return value


def schema_iri_term(value: str) -> str | None:
    """Return the term of a full schema.org IRI value (`https://schema.org/OTC`), else None."""
    if not value.startswith(_SCHEMA_IRI_PREFIXES):
        return None
    match = _SCHEMA_IRI.match(value)
    return match.group("term") if match else None


def is_reference(value: object) -> bool:
    """Whether a value is a bare `{"@id": ...}` reference to a node elsewhere."""
    if isinstance(value, dict):  # the usual case, without the slower abstract-class check
        return len(value) == 1 and "@id" in value
    return isinstance(value, Mapping) and len(value) == 1 and "@id" in value


@dataclass(frozen=True, slots=True, kw_only=True)
class Flat:
    """A document's nodes and its `{"@id": ...}` references, both in document order."""

    nodes: tuple[Node, ...]
    references: tuple[tuple[Path, str], ...]


def flatten(doc: JsonValue) -> tuple[Node, ...]:
    """Return every node of a document, a list of documents or a `@graph`, in document order."""
    return walk(doc).nodes


def walk(doc: JsonValue) -> Flat:
    """Collect nodes and references in one pass, so no layer walks the document again."""
    nodes: list[Node] = []
    references: list[tuple[Path, str]] = []
    if isinstance(doc, list):
        _walk_list(doc, (), nodes, references, top_level=True)
    elif isinstance(doc, dict):
        _walk_object(doc, (), nodes, references, top_level=True)
    return Flat(nodes=tuple(nodes), references=tuple(references))


def _walk_list(
    items: list[JsonValue],
    path: Path,
    nodes: list[Node],
    references: list[tuple[Path, str]],
    *,
    top_level: bool,
) -> None:
    for index, item in enumerate(items):
        if isinstance(item, dict):
            _walk_object(item, (*path, index), nodes, references, top_level=top_level)
        elif isinstance(item, list):
            _walk_list(item, (*path, index), nodes, references, top_level=top_level)


def _walk_object(
    value: dict[str, JsonValue],
    path: Path,
    nodes: list[Node],
    references: list[tuple[Path, str]],
    *,
    top_level: bool,
) -> None:
    if "@value" in value or (len(value) == 1 and "@id" in value):
        # A literal or a reference is no node, but a reference may sit inside either.
        _references(value, path, references)
        return
    if "@type" in value or (top_level and "@graph" not in value):
        raw_types = _type_strings(value.get("@type"))
        node_id = value.get("@id")
        nodes.append(
            Node(
                path,
                value,
                _short_types(raw_types),
                top_level,
                node_id if isinstance(node_id, str) else None,
                raw_types,
            )
        )
    for key, child in value.items():
        if isinstance(child, dict):
            if key != "@context":
                _walk_object(child, (*path, key), nodes, references, top_level=key == "@graph")
        elif isinstance(child, list) and key != "@context":
            _walk_list(child, (*path, key), nodes, references, top_level=key == "@graph")


def _references(value: JsonValue, path: Path, references: list[tuple[Path, str]]) -> None:
    """Collect the references in a part of the document that holds no node."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            _references(item, (*path, index), references)
    elif isinstance(value, dict):
        target = value.get("@id")
        if len(value) == 1 and isinstance(target, str):
            references.append((path, target))
        for key, item in value.items():
            if key != "@context":
                _references(item, (*path, key), references)


def _type_strings(value: JsonValue) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(item for item in value if isinstance(item, str))
    return ()


@functools.lru_cache(maxsize=_TERM_CACHE)
def _short_types(raw_types: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(t for t in map(schema_term, raw_types) if t)


def as_list(value: JsonValue) -> list[JsonValue]:
    """Return a property value as a list: schema.org lets any property repeat."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
