"""Layer 4, graph integrity: references resolve, ids agree, one page, FAQ lists its questions.

No other validator resolves `@id` references, so a dangling `mainEntity` passes them all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from pipeline.validate.nodes import as_list, is_reference
from pipeline.validate.rules import Issue

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence

    from pipeline.model import JsonValue
    from pipeline.validate.nodes import Node, Path
    from pipeline.validate.vocabulary import Vocabulary


@dataclass(frozen=True, slots=True, kw_only=True)
class GraphIndex:
    """The nodes of one document by @id, to resolve references.

    The FAQ pages, their mainEntity entries (`main_entity[i]` lists `faq[i]`'s: path, resolved
    node, raw value) and each listed Question with its Answer (`entries`) are resolved once here,
    since the graph, content and visibility checks all read them.
    """

    nodes: Sequence[Node]
    by_id: Mapping[str, tuple[Node, ...]]
    by_object: Mapping[int, Node]
    known_ids: Collection[str]
    faq: tuple[Node, ...]
    main_entity: tuple[tuple[tuple[Path, Node | None, JsonValue], ...], ...]
    entries: tuple[tuple[Node, Node | None], ...]

    @classmethod
    def build(cls, nodes: Sequence[Node], known_ids: Collection[str] = ()) -> GraphIndex:
        """Index nodes by @id; `known_ids` are ids declared elsewhere on the page or site."""
        by_id: dict[str, list[Node]] = {}
        for node in nodes:
            if node.node_id is not None:
                by_id.setdefault(node.node_id, []).append(node)
        ids = {k: tuple(v) for k, v in by_id.items()}
        objects = {id(node.data): node for node in nodes}
        faq = _distinct(node for node in nodes if "FAQPage" in node.types)
        main_entity = tuple(tuple(_listed(page, ids, objects)) for page in faq)
        entries = tuple(
            (question, _answer_of(question, ids, objects))
            for listed in main_entity
            for _, question, _ in listed
            if question is not None and "Question" in question.types
        )
        return cls(
            nodes=nodes,
            by_id=ids,
            by_object=objects,
            known_ids=known_ids,
            faq=faq,
            main_entity=main_entity,
            entries=entries,
        )

    def resolve(self, value: JsonValue) -> Node | None:
        """Return the node a value is or refers to; None for a literal or a dangling reference."""
        return _resolve(value, self.by_id, self.by_object)


def _resolve(
    value: JsonValue, by_id: Mapping[str, tuple[Node, ...]], by_object: Mapping[int, Node]
) -> Node | None:
    if not isinstance(value, dict):
        return None
    if is_reference(value):
        target = value["@id"]
        found = by_id.get(target) if isinstance(target, str) else None
        return found[0] if found else None
    return by_object.get(id(value))


def _listed(
    page: Node, by_id: Mapping[str, tuple[Node, ...]], by_object: Mapping[int, Node]
) -> Iterator[tuple[Path, Node | None, JsonValue]]:
    """Each mainEntity entry of a page: its path, the node it resolves to, and the raw value."""
    value = page.data.get("mainEntity")
    for index, item in enumerate(as_list(value)):
        path = (*page.path, "mainEntity", *((index,) if isinstance(value, list) else ()))
        yield path, _resolve(item, by_id, by_object), item


def _answer_of(
    question: Node, by_id: Mapping[str, tuple[Node, ...]], by_object: Mapping[int, Node]
) -> Node | None:
    """The first acceptedAnswer of a question that resolves to an Answer node."""
    for value in as_list(question.data.get("acceptedAnswer")):
        answer = _resolve(value, by_id, by_object)
        if answer and "Answer" in answer.types:
            return answer
    return None


def check_graph(
    index: GraphIndex, references: Iterable[tuple[Path, str]], vocabulary: Vocabulary
) -> Iterator[Issue]:
    """Yield node, reference, duplicate-id, page-count and FAQ-membership problems.

    `references` are the document's `{"@id": ...}` references, collected when it was flattened.
    """
    yield from _check_nodes(index)
    yield from _check_references(references, index)
    yield from _check_duplicate_ids(index)
    yield from _check_page_count(index, vocabulary)
    yield from _check_main_entity(index, vocabulary)


def _check_nodes(index: GraphIndex) -> Iterator[Issue]:
    if not any(node.raw_types for node in index.nodes):
        yield Issue(
            rule="graph.no-nodes",
            message="the JSON-LD has no node with an @type, so nothing could be checked",
        )
    for node in index.nodes:
        if node.top_level and "@type" not in node.data:
            yield Issue(
                rule="graph.untyped-node",
                message="object has no @type, so no schema or vocabulary check applies",
                path=node.path,
                node_id=node.node_id,
            )


def _check_references(references: Iterable[tuple[Path, str]], index: GraphIndex) -> Iterator[Issue]:
    for path, target in references:
        if not _resolves(target, index):
            yield Issue(
                rule="graph.dangling-reference",
                message=f'reference to "{target}" matches no node in the document',
                path=path,
                hint="add the node to the @graph or fix the @id",
            )


def _resolves(target: str, index: GraphIndex) -> bool:
    # A schema.org term (`https://schema.org/Patient`) is a vocabulary value, checked by layer 3.
    is_term = target.startswith(("https://schema.org/", "http://schema.org/"))
    return target in index.by_id or target in index.known_ids or is_term


def _check_duplicate_ids(index: GraphIndex) -> Iterator[Issue]:
    # Only an @id that several nodes share can conflict.
    for node_id, nodes in sorted(item for item in index.by_id.items() if len(item[1]) > 1):
        first = nodes[0]
        for other in nodes[1:]:
            for key in sorted(set(first.data) & set(other.data) - {"@id", "@type"}):
                if first.data[key] != other.data[key]:
                    yield Issue(
                        rule="graph.conflicting-duplicate-id",
                        message=f'two nodes with @id "{node_id}" give "{key}" different values',
                        path=(*other.path, key),
                        node_id=node_id,
                    )


def _check_page_count(index: GraphIndex, vocabulary: Vocabulary) -> Iterator[Issue]:
    pages = _distinct(
        node for node in index.nodes if any(t in vocabulary.page_types for t in node.types)
    )
    if len(pages) > 1:
        names = ", ".join(page.label() for page in pages)
        yield Issue(
            rule="graph.multiple-page-nodes",
            message=f"{len(pages)} page nodes ({names}); a document describes one page",
            path=pages[1].path,
            node_id=pages[1].node_id,
            hint="give every node that describes this page the same @id, or drop the extras",
        )


def _check_main_entity(index: GraphIndex, vocabulary: Vocabulary) -> Iterator[Issue]:
    if not index.faq:
        return
    listed: set[int] = set()
    for page, entries in zip(index.faq, index.main_entity, strict=True):
        for path, node, raw in entries:
            if node is None:
                if not is_reference(raw):
                    yield Issue(
                        rule="graph.main-entity-not-question",
                        message="mainEntity entry is not a Question node",
                        path=path,
                        node_id=page.node_id,
                    )
                continue
            listed.add(id(node.data))
            # A misspelt type is the vocabulary layer's error; saying "not a Question" adds nothing.
            known = any(t in vocabulary.lineage for t in node.types)
            if known and "Question" not in node.types:
                yield Issue(
                    rule="graph.main-entity-not-question",
                    message=f"mainEntity lists {node.label()}, which is not a Question",
                    path=path,
                    node_id=page.node_id,
                )
    for node in index.nodes:
        if "Question" in node.types and not _is_listed(node, index, listed):
            yield Issue(
                rule="graph.orphan-question",
                message=f"Question {node.label()} is not in the FAQPage's mainEntity",
                path=node.path,
                node_id=node.node_id,
            )


def _is_listed(node: Node, index: GraphIndex, listed: set[int]) -> bool:
    same = index.by_id.get(node.node_id, (node,)) if node.node_id else (node,)
    return any(id(other.data) in listed for other in same)


def _distinct(nodes: Iterator[Node]) -> tuple[Node, ...]:
    """Nodes with the same @id describe one thing; keep the first of each."""
    seen: set[str] = set()
    kept: list[Node] = []
    for node in nodes:
        if node.node_id is None or node.node_id not in seen:
            kept.append(node)
            if node.node_id is not None:
                seen.add(node.node_id)
    return tuple(kept)
