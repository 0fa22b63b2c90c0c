"""Layer 3, the bundled schema.org 30.0 vocabulary: types, property domains, superseded terms.

Lenient where schema.org is: an unknown type is an error, but an unknown or off-domain property is
a warning, because schema.org's data model treats domains as guidance.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from pipeline.validate.nodes import (
    SCHEMA_IRI_PREFIXES,
    as_list,
    is_reference,
    schema_iri_term,
    schema_term,
)
from pipeline.validate.rules import Issue

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

    from pipeline.model import JsonValue
    from pipeline.validate.nodes import Node, Path

_SCHEMA_CONTEXTS: Final = frozenset(
    f"{scheme}://schema.org{suffix}"
    for scheme in ("http", "https")
    for suffix in ("", "/", "/docs/jsonldcontext.json", "/docs/jsonldcontext.jsonld")
)
# Distinct @type combinations (and properties of each) remembered; real sites use a handful.
_TABLE_CACHE: Final = 1024
# What a property name means on a node of given types, before its value is looked at.
_SKIP, _CLEAN, _DIRTY = 0, 1, 2


@dataclass(frozen=True, slots=True, kw_only=True)
class Vocabulary:
    """The parts of a schema.org release the checks read, indexed for lookup."""

    release: str
    lineage: Mapping[str, frozenset[str]]
    domains: Mapping[str, frozenset[str]]
    members: Mapping[str, tuple[str, ...]]
    superseded: Mapping[str, str]
    page_types: frozenset[str]
    _allowed: dict[tuple[str, ...], frozenset[str]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _clean_types: dict[tuple[str, ...], bool] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _keys: dict[tuple[str, ...], dict[str, int]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @classmethod
    def from_compact(cls, data: Mapping[str, JsonValue]) -> Vocabulary:
        """Index the compact file written by scripts/build_vocabulary.py."""
        parents = _table(data["types"])
        lineage = {name: _lineage(name, parents) for name in parents}
        return cls(
            release=str(data["release"]),
            lineage=lineage,
            domains={name: frozenset(items) for name, items in _table(data["properties"]).items()},
            members=_table(data["members"]),
            superseded={str(k): str(v) for k, v in _mapping(data["superseded"]).items()},
            page_types=frozenset(name for name, types in lineage.items() if "WebPage" in types),
        )

    def is_term(self, name: str) -> bool:
        """Whether a name is any schema.org type, property or enumeration member."""
        return name in self.lineage or name in self.domains or name in self.members

    def allowed(self, types: tuple[str, ...]) -> frozenset[str]:
        """The types whose properties a node of these types may use: each type and its ancestors.

        Remembered per combination of types, since every page repeats the same few.
        """
        found = self._allowed.get(types)
        if found is None:
            found = frozenset().union(*(self.lineage[t] for t in types if t in self.lineage))
            if len(self._allowed) < _TABLE_CACHE:
                self._allowed[types] = found
        return found

    def is_clean(self, node: Node) -> bool:
        """Whether `_check_types` and `_check_properties` would find nothing on this node.

        A True answer is exact; False only means the node takes the full checks. The verdicts on
        @type values and property names are remembered, so a page of known terms costs a lookup
        per property and a glance at its values.
        """
        if not self._types_are_clean(node.raw_types):
            return False
        table = self._keys.get(node.types)
        if table is None:
            table = {}
            if len(self._keys) < _TABLE_CACHE:
                self._keys[node.types] = table
        for key, value in node.data.items():
            verdict = table.get(key)
            if verdict is None:
                verdict = self._key_verdict(key, self.allowed(node.types))
                if len(table) < _TABLE_CACHE:
                    table[key] = verdict
            if verdict == _DIRTY or (verdict == _CLEAN and _may_name_terms(value)):
                return False
        return True

    def _types_are_clean(self, raw_types: tuple[str, ...]) -> bool:
        clean = self._clean_types.get(raw_types)
        if clean is None:
            clean = all(self._is_clean_type(raw) for raw in raw_types)
            if len(self._clean_types) < _TABLE_CACHE:
                self._clean_types[raw_types] = clean
        return clean

    def _is_clean_type(self, raw: str) -> bool:
        name = schema_term(raw)
        return name is None or (name in self.lineage and name not in self.superseded)

    def _key_verdict(self, key: str, allowed: frozenset[str]) -> int:
        name = None if key.startswith("@") else schema_term(key)
        if name is None:
            return _SKIP
        if name not in self.domains or name in self.superseded:
            return _DIRTY
        domains = self.domains[name]
        return _DIRTY if allowed and domains and domains.isdisjoint(allowed) else _CLEAN


def _may_name_terms(value: JsonValue) -> bool:
    """Whether `_check_values` could report on a value: some item is a schema.org IRI."""
    if isinstance(value, str):
        return value.startswith(SCHEMA_IRI_PREFIXES)
    for item in value if isinstance(value, list) else (value,):
        iri = item.get("@id") if isinstance(item, dict) and is_reference(item) else item
        if isinstance(iri, str) and iri.startswith(SCHEMA_IRI_PREFIXES):
            return True
    return False


def check_vocabulary(
    doc: JsonValue, nodes: Sequence[Node], vocabulary: Vocabulary
) -> Iterator[Issue]:
    """Yield context, type, property and enumeration-value problems for every node."""
    for path, root in _roots(doc):
        yield from _check_context(root, path)
    for node in nodes:
        if not vocabulary.is_clean(node):
            yield from _check_types(node, vocabulary)
            yield from _check_properties(node, vocabulary)


def _roots(doc: JsonValue) -> Iterator[tuple[Path, Mapping[str, JsonValue]]]:
    if isinstance(doc, list):
        yield from (((index,), item) for index, item in enumerate(doc) if isinstance(item, dict))
    elif isinstance(doc, dict):
        yield (), doc


def _check_context(root: Mapping[str, JsonValue], path: Path) -> Iterator[Issue]:
    if "@context" not in root:
        yield Issue(
            rule="vocabulary.missing-context",
            message="no @context, so no property is a schema.org term",
            path=path,
            hint='add "@context": "https://schema.org"',
        )
    elif not _is_schema_context(root["@context"]):
        yield Issue(
            rule="vocabulary.unknown-context",
            message="@context is not schema.org; terms are checked as schema.org terms",
            path=(*path, "@context"),
        )


def _is_schema_context(context: JsonValue) -> bool:
    if isinstance(context, str):
        return context in _SCHEMA_CONTEXTS
    if isinstance(context, list):
        return any(_is_schema_context(item) for item in context)
    if isinstance(context, dict):
        vocab = context.get("@vocab")
        return isinstance(vocab, str) and vocab.rstrip("/") + "/" in _SCHEMA_CONTEXTS
    return False


def _check_types(node: Node, vocabulary: Vocabulary) -> Iterator[Issue]:
    path = (*node.path, "@type")
    for raw in node.raw_types:
        name = schema_term(raw)
        if name is None:
            continue
        if name not in vocabulary.lineage:
            yield Issue(
                rule="vocabulary.unknown-type",
                message=f'"{raw}" is not a schema.org {vocabulary.release} type',
                path=path,
                node_id=node.node_id,
                hint=_did_you_mean(name, vocabulary.lineage),
            )
        elif name in vocabulary.superseded:
            yield _superseded(name, vocabulary, path, node)


def _check_properties(node: Node, vocabulary: Vocabulary) -> Iterator[Issue]:
    allowed = vocabulary.allowed(node.types)
    for key, value in node.data.items():
        name = None if key.startswith("@") else schema_term(key)
        if name is None:
            continue
        path = (*node.path, key)
        if name not in vocabulary.domains:
            yield Issue(
                rule="vocabulary.unknown-property",
                message=f'"{key}" is not a schema.org {vocabulary.release} property',
                path=path,
                node_id=node.node_id,
                hint=_did_you_mean(name, vocabulary.domains),
            )
            continue
        if name in vocabulary.superseded:
            yield _superseded(name, vocabulary, path, node)
        domains = vocabulary.domains[name]
        if allowed and domains and domains.isdisjoint(allowed):
            expected = ", ".join(sorted(domains))
            yield Issue(
                rule="vocabulary.off-domain-property",
                message=f'"{key}" is not a property of {"/".join(node.types)} '
                f"(schema.org lists it on {expected})",
                path=path,
                node_id=node.node_id,
            )
        yield from _check_values(value, path, node, vocabulary)


def _check_values(
    value: JsonValue, path: Path, node: Node, vocabulary: Vocabulary
) -> Iterator[Issue]:
    """Check enumeration members and classes written as schema.org IRIs (`https://schema.org/OTC`)."""
    for index, item in enumerate(as_list(value)):
        iri = item.get("@id") if isinstance(item, dict) and is_reference(item) else item
        term = schema_iri_term(iri) if isinstance(iri, str) else None
        if term is None:
            continue
        item_path = (*path, index) if isinstance(value, list) else path
        if not vocabulary.is_term(term):
            yield Issue(
                rule="vocabulary.unknown-member",
                message=f'"{iri}" names no schema.org {vocabulary.release} term',
                path=item_path,
                node_id=node.node_id,
                hint=_did_you_mean(term, vocabulary.members),
            )
        elif term in vocabulary.superseded:
            yield _superseded(term, vocabulary, item_path, node)


def _superseded(name: str, vocabulary: Vocabulary, path: Path, node: Node) -> Issue:
    replacement = vocabulary.superseded[name]
    return Issue(
        rule="vocabulary.superseded",
        message=f'"{name}" is superseded by "{replacement}" in schema.org {vocabulary.release}',
        path=path,
        node_id=node.node_id,
        hint=f'use "{replacement}"',
    )


def _did_you_mean(name: str, known: Mapping[str, object]) -> str | None:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.8)
    return f'did you mean "{close[0]}"?' if close else None


def _lineage(name: str, parents: Mapping[str, tuple[str, ...]]) -> frozenset[str]:
    seen: set[str] = set()
    stack = [name]
    while stack:
        current = stack.pop()
        if current not in seen:
            seen.add(current)
            stack.extend(parents.get(current, ()))
    return frozenset(seen)


def _mapping(value: JsonValue) -> Mapping[str, JsonValue]:
    if not isinstance(value, dict):
        raise TypeError("the compact vocabulary file has a non-object table")
    return value


def _table(value: JsonValue) -> dict[str, tuple[str, ...]]:
    return {
        str(key): tuple(str(item) for item in as_list(items))
        for key, items in _mapping(value).items()
    }
