"""Layer 3, the bundled schema.org 30.0 vocabulary: types, property domains, superseded terms.

Lenient where schema.org is: an unknown type is an error, but an unknown or off-domain property is
a warning, because schema.org's data model treats domains as guidance.
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final, NamedTuple, TypeAlias

from pipeline.validate.nodes import as_list, is_reference, schema_iri_term, schema_term
from pipeline.validate.rules import Issue

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

    from pipeline.model import JsonValue
    from pipeline.validate.nodes import Node, Path

_SCHEMA_CONTEXTS: Final = frozenset(
    f"{scheme}://schema.org{suffix}"
    for scheme in ("http", "https")
    for suffix in ("", "/", "/docs/jsonldcontext.json", "/docs/jsonldcontext.jsonld")
)
# Distinct @type combinations (and properties of each) remembered; real sites use a handful.
_TABLE_CACHE: Final = 1024


class _Problem(NamedTuple):
    """A finding about a term that holds wherever the term is written, so it is worked out once."""

    rule: str
    message: str
    hint: str | None = None

    def at(self, path: Path, node: Node) -> Issue:
        """The finding on one node, at one place."""
        return Issue(
            rule=self.rule, message=self.message, path=path, node_id=node.node_id, hint=self.hint
        )


# What a property name means on a node of given types, before its value is looked at: its
# problems, and whether its value's items are judged. A plain tuple, the fastest to unpack.
_Verdict: TypeAlias = tuple[tuple[_Problem, ...], bool]


class _Verdicts(dict[str, _Verdict]):
    """The verdicts on property names for one combination of types, each judged on first use."""

    __slots__ = ("_judge",)

    def __init__(self, judge: Callable[[str], _Verdict]) -> None:
        super().__init__()
        self._judge = judge

    def __missing__(self, key: str) -> _Verdict:
        verdict = self._judge(key)
        if len(self) < _TABLE_CACHE:
            self[key] = verdict
        return verdict


@dataclass(frozen=True, slots=True, kw_only=True)
class Vocabulary:
    """The parts of a schema.org release the checks read, indexed for lookup.

    It also judges terms, and its verdicts are the checks' only statement of the rules: those on
    @type values and property names are remembered, since every page repeats the same few.
    """

    release: str
    lineage: Mapping[str, frozenset[str]]
    domains: Mapping[str, frozenset[str]]
    members: Mapping[str, tuple[str, ...]]
    superseded: Mapping[str, str]
    page_types: frozenset[str]
    _allowed: dict[tuple[str, ...], frozenset[str]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _types: dict[tuple[str, ...], tuple[_Problem, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _verdicts: dict[tuple[str, ...], _Verdicts] = field(
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

    def type_problems(self, raw_types: tuple[str, ...]) -> tuple[_Problem, ...]:
        """What is wrong with @type values as written: unknown or superseded types."""
        found = self._types.get(raw_types)
        if found is None:
            found = tuple(filter(None, map(self._type_problem, raw_types)))
            if len(self._types) < _TABLE_CACHE:
                self._types[raw_types] = found
        return found

    def verdicts(self, types: tuple[str, ...]) -> _Verdicts:
        """The verdicts on property names for nodes of these (short) types, by name."""
        table = self._verdicts.get(types)
        if table is None:
            table = _Verdicts(functools.partial(self._property_verdict, types))
            if len(self._verdicts) < _TABLE_CACHE:
                self._verdicts[types] = table
        return table

    def value_problems(self, value: JsonValue) -> tuple[tuple[int | None, _Problem], ...]:
        """Problems with a value's items, with each item's index if the value is a list.

        Values vary from page to page, so these verdicts are not remembered.
        """
        if not isinstance(value, list):
            problem = self._item_problem(value)
            return () if problem is None else ((None, problem),)
        found: tuple[tuple[int | None, _Problem], ...] = ()
        for index, item in enumerate(value):
            problem = self._item_problem(item)
            if problem is not None:
                found += ((index, problem),)
        return found

    def _item_problem(self, item: JsonValue) -> _Problem | None:
        """Judge an enumeration member or class written as an IRI: `https://schema.org/OTC`."""
        iri = item.get("@id") if isinstance(item, dict) and is_reference(item) else item
        term = schema_iri_term(iri) if isinstance(iri, str) else None
        if term is None:
            return None
        if not self.is_term(term):
            return _Problem(
                "vocabulary.unknown-member",
                f'"{iri}" names no schema.org {self.release} term',
                _did_you_mean(term, self.members),
            )
        return self._superseded(term)

    def _type_problem(self, raw: str) -> _Problem | None:
        name = schema_term(raw)
        if name is None:
            return None
        if name not in self.lineage:
            return _Problem(
                "vocabulary.unknown-type",
                f'"{raw}" is not a schema.org {self.release} type',
                _did_you_mean(name, self.lineage),
            )
        return self._superseded(name)

    def _property_verdict(self, types: tuple[str, ...], key: str) -> _Verdict:
        name = None if key.startswith("@") else schema_term(key)
        if name is None:
            return (), False
        if name not in self.domains:
            unknown = _Problem(
                "vocabulary.unknown-property",
                f'"{key}" is not a schema.org {self.release} property',
                _did_you_mean(name, self.domains),
            )
            return (unknown,), False
        domains = self.domains[name]
        allowed = self.allowed(types)
        off_domain = None
        if allowed and domains and domains.isdisjoint(allowed):
            off_domain = _Problem(
                "vocabulary.off-domain-property",
                f'"{key}" is not a property of {"/".join(types)} '
                f"(schema.org lists it on {', '.join(sorted(domains))})",
            )
        return tuple(filter(None, (self._superseded(name), off_domain))), True

    def _superseded(self, name: str) -> _Problem | None:
        replacement = self.superseded.get(name)
        if replacement is None:
            return None
        return _Problem(
            "vocabulary.superseded",
            f'"{name}" is superseded by "{replacement}" in schema.org {self.release}',
            f'use "{replacement}"',
        )


def check_vocabulary(
    doc: JsonValue, nodes: Sequence[Node], vocabulary: Vocabulary
) -> Iterator[Issue]:
    """Yield context, type, property and enumeration-value problems for every node.

    The vocabulary's remembered verdicts decide each term, so a node of clean terms costs a
    lookup per property and a glance at its values.
    """
    for path, root in _roots(doc):
        yield from _check_context(root, path)
    for node in nodes:
        if wrong_types := vocabulary.type_problems(node.raw_types):
            yield from _issues(node, (*node.path, "@type"), wrong_types)
        verdicts = vocabulary.verdicts(node.types)
        for key, value in node.data.items():
            problems, checks_values = verdicts[key]
            in_values = vocabulary.value_problems(value) if checks_values else ()
            if problems or in_values:
                yield from _issues(node, (*node.path, key), problems, in_values)


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


def _issues(
    node: Node,
    path: Path,
    problems: Iterable[_Problem],
    in_values: Iterable[tuple[int | None, _Problem]] = (),
) -> list[Issue]:
    """Place a node's problems: on its @type or a property, then on the items of its value."""
    issues = [problem.at(path, node) for problem in problems]
    issues += (problem.at(path if i is None else (*path, i), node) for i, problem in in_values)
    return issues


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
