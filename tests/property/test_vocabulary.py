"""The vocabulary check, asking remembered verdicts, finds what judging every term afresh finds.

The reference below judges each @type, property and value of every node with no memory, as the
checks did before verdicts were kept. Documents mix known, unknown, superseded, off-domain and
foreign terms, IRI values and references to them, nested nodes and lists. Findings must agree in
content and order with warm caches, with fresh ones, and with caches too small to hold anything.
"""

from __future__ import annotations

import dataclasses
import difflib
from typing import TYPE_CHECKING, Any
from unittest import mock

from hypothesis import given
from hypothesis import strategies as st

from pipeline.validate import load_validators, vocabulary
from pipeline.validate.nodes import is_reference, schema_iri_term, schema_term, walk
from pipeline.validate.rules import Issue

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

    from pipeline.validate.nodes import Node, Path
    from pipeline.validate.vocabulary import Vocabulary

VOCABULARY = load_validators().vocabulary


def _any_of(names: Mapping[str, object]) -> st.SearchStrategy[str]:
    """One of a vocabulary table's names (drawn by index: the table is too long to print)."""
    ordered = sorted(names)
    return st.integers(0, len(ordered) - 1).map(lambda index: ordered[index])


_NAMES = st.one_of(
    st.sampled_from(["Drug", "MedicalWebPage", "FAQPage", "Question", "Person", "name", "text"]),
    _any_of(VOCABULARY.lineage),
    _any_of(VOCABULARY.domains),
    _any_of(VOCABULARY.members),
    _any_of(VOCABULARY.superseded),
    st.sampled_from(["Questionn", "Drugg", "nmae", "activeIngredients", "Clinicain", "x", "_"]),
)
_PREFIXES = st.sampled_from(["", "", "", "schema:", "https://schema.org/", "http://schema.org/"])
_FOREIGN = st.sampled_from(["ex:Thing", "ex:rating", "https://example.org/Drug", "urn:x:y"])
# Type and property names as written: bare, prefixed, as IRIs, or from another vocabulary.
TERMS = st.one_of(st.builds("{}{}".format, _PREFIXES, _NAMES), _FOREIGN)
# Values naming terms by IRI, and near misses that do not.
IRIS = st.one_of(
    st.builds(
        "{}{}".format, st.sampled_from(["https://schema.org/", "http://schema.org/"]), _NAMES
    ),
    st.sampled_from(["https://schema.org/", "https://schema.org/OTC/", "schema:Drug", "OTC"]),
)
LEAVES = st.one_of(IRIS, IRIS.map(lambda iri: {"@id": iri}), st.text(max_size=6), st.none())
KEYS = st.one_of(TERMS, st.sampled_from(["@id", "@context", "@value", "@foo"]))


def _nodes(values: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    types = st.one_of(TERMS, st.lists(st.one_of(TERMS, st.integers()), max_size=3))
    return st.builds(
        lambda typed, data: {"@type": typed, **data} if typed is not None else data,
        st.one_of(st.none(), types),
        st.dictionaries(KEYS, values, max_size=5),
    )


VALUES = st.recursive(
    LEAVES, lambda inner: st.lists(inner, max_size=3) | _nodes(inner), max_leaves=8
)
NODES = _nodes(VALUES)
CONTEXTS = st.sampled_from(["https://schema.org", {"@vocab": "http://schema.org/"}, "ex:"])
DOCUMENTS = st.one_of(
    st.builds(lambda c, node: {"@context": c, **node}, CONTEXTS, NODES),
    st.builds(lambda c, graph: {"@context": c, "@graph": graph}, CONTEXTS, st.lists(NODES)),
    st.lists(NODES, max_size=3),
)


def _reference(doc: Any, nodes: tuple[Node, ...], vocab: Vocabulary) -> Iterator[Issue]:
    """Judge every term of every node afresh, the way the checks read before verdicts were kept."""
    yield from vocabulary.check_vocabulary(doc, (), vocab)  # with no nodes: @context alone
    for node in nodes:
        for raw in node.raw_types:
            name = schema_term(raw)
            path: Path = (*node.path, "@type")
            if name is not None and name not in vocab.lineage:
                message = f'"{raw}" is not a schema.org {vocab.release} type'
                hint = _did_you_mean(name, vocab.lineage)
                yield _issue("vocabulary.unknown-type", message, path, node, hint)
            elif name is not None and name in vocab.superseded:
                yield _superseded(name, vocab, path, node)
        for key, value in node.data.items():
            name = None if key.startswith("@") else schema_term(key)
            if name is not None:
                yield from _reference_property(key, name, value, node, vocab)


def _reference_property(
    key: str, name: str, value: Any, node: Node, vocab: Vocabulary
) -> Iterator[Issue]:
    path = (*node.path, key)
    if name not in vocab.domains:
        message = f'"{key}" is not a schema.org {vocab.release} property'
        hint = _did_you_mean(name, vocab.domains)
        yield _issue("vocabulary.unknown-property", message, path, node, hint)
        return
    if name in vocab.superseded:
        yield _superseded(name, vocab, path, node)
    domains = vocab.domains[name]
    allowed = frozenset().union(*(vocab.lineage[t] for t in node.types if t in vocab.lineage))
    if allowed and domains and domains.isdisjoint(allowed):
        message = (
            f'"{key}" is not a property of {"/".join(node.types)} '
            f"(schema.org lists it on {', '.join(sorted(domains))})"
        )
        yield _issue("vocabulary.off-domain-property", message, path, node)
    items = value if isinstance(value, list) else [] if value is None else [value]
    for index, item in enumerate(items):
        iri = item.get("@id") if isinstance(item, dict) and is_reference(item) else item
        term = schema_iri_term(iri) if isinstance(iri, str) else None
        item_path = (*path, index) if isinstance(value, list) else path
        if term is not None and not vocab.is_term(term):
            message = f'"{iri}" names no schema.org {vocab.release} term'
            hint = _did_you_mean(term, vocab.members)
            yield _issue("vocabulary.unknown-member", message, item_path, node, hint)
        elif term is not None and term in vocab.superseded:
            yield _superseded(term, vocab, item_path, node)


def _superseded(name: str, vocab: Vocabulary, path: Path, node: Node) -> Issue:
    new = vocab.superseded[name]
    message = f'"{name}" is superseded by "{new}" in schema.org {vocab.release}'
    return _issue("vocabulary.superseded", message, path, node, f'use "{new}"')


def _issue(rule: str, message: str, path: Path, node: Node, hint: str | None = None) -> Issue:
    return Issue(rule=rule, message=message, path=path, node_id=node.node_id, hint=hint)


def _did_you_mean(name: str, known: Mapping[str, object]) -> str | None:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.8)
    return f'did you mean "{close[0]}"?' if close else None


def test_the_reference_and_the_check_agree_on_every_rule() -> None:
    doc: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": ["Drug", "Questionn", "schema:Season", "ex:Thing"],
        "aspect": "https://schema.org/Dermatologic",
        "nmae": "https://schema.org/Clinicain",
        "adverseOutcome": ["x", {"@id": "http://schema.org/Clinicain"}, "https://schema.org/OTC"],
    }
    nodes = walk(doc).nodes
    expected = list(_reference(doc, nodes, VOCABULARY))

    assert list(vocabulary.check_vocabulary(doc, nodes, VOCABULARY)) == expected
    assert [(issue.rule, issue.path) for issue in expected] == [
        ("vocabulary.unknown-type", ("@type",)),
        ("vocabulary.superseded", ("@type",)),
        ("vocabulary.superseded", ("aspect",)),
        ("vocabulary.off-domain-property", ("aspect",)),
        ("vocabulary.superseded", ("aspect",)),
        ("vocabulary.unknown-property", ("nmae",)),
        ("vocabulary.off-domain-property", ("adverseOutcome",)),
        ("vocabulary.unknown-member", ("adverseOutcome", 1)),
    ]


@given(docs=st.lists(DOCUMENTS, min_size=1, max_size=3))
def test_remembered_verdicts_give_the_findings_of_judging_afresh(docs: list[Any]) -> None:
    for doc in docs:
        nodes = walk(doc).nodes
        expected = list(_reference(doc, nodes, VOCABULARY))
        fresh = dataclasses.replace(VOCABULARY)
        assert list(vocabulary.check_vocabulary(doc, nodes, VOCABULARY)) == expected
        assert list(vocabulary.check_vocabulary(doc, nodes, fresh)) == expected
        assert list(vocabulary.check_vocabulary(doc, nodes, fresh)) == expected
        with mock.patch.object(vocabulary, "_TABLE_CACHE", 0):
            cacheless = dataclasses.replace(VOCABULARY)
            assert list(vocabulary.check_vocabulary(doc, nodes, cacheless)) == expected
