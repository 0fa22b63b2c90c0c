"""Our page node beside the page node a theme already emits: warn, or link the two by `@id`.

JSON-LD processors merge every node that shares an `@id` into one, so giving our page node the
`@id` of the theme's node makes both blocks describe one page instead of two competing ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from pipeline.model import Finding, JsonObject, JsonValue, Severity

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable, Iterator, Sequence

    from pipeline.model import EmbeddedJsonLd

_SCHEMA_PREFIXES: Final = ("schema:", "https://schema.org/", "http://schema.org/")


@dataclass(frozen=True, slots=True, kw_only=True)
class PageNode:
    """A top-level node of a page's own JSON-LD whose type is a kind of WebPage."""

    types: tuple[str, ...]
    node_id: str | None
    line: int


def find_page_nodes(
    blocks: Iterable[EmbeddedJsonLd], page_types: Collection[str]
) -> tuple[PageNode, ...]:
    """Return page-typed nodes at the top level of each block or its `@graph`, in page order.

    Nested nodes are left out: a breadcrumb's `item` or an `isPartOf` names another page.
    """
    found = []
    for block in blocks:
        for node in _top_nodes(block.data):
            types = tuple(_term(t) for t in _as_list(node.get("@type")) if isinstance(t, str))
            if any(t in page_types for t in types):
                node_id = node.get("@id")
                found.append(
                    PageNode(
                        types=types,
                        node_id=node_id if isinstance(node_id, str) and node_id else None,
                        line=block.line,
                    )
                )
    return tuple(found)


def merge_page_node(
    jsonld: JsonObject, existing: Sequence[PageNode], *, merge: bool
) -> tuple[JsonObject, tuple[Finding, ...]]:
    """Return our graph, relinked to the first existing node with an `@id` when `merge` is set.

    Without `merge` each existing page node is a warning. With it, our page node (the first node
    of our `@graph`) takes that `@id`, and every reference to our old id follows.
    """
    target = next((node for node in existing if node.node_id), None) if merge else None
    findings = [_finding(node, merge=merge) for node in existing if node is not target]
    if target is None or target.node_id is None:
        return jsonld, tuple(findings)
    graph = jsonld.get("@graph")
    first = graph[0] if isinstance(graph, list) and graph else None
    old_id = first.get("@id") if isinstance(first, dict) else None
    if not isinstance(old_id, str):
        return jsonld, tuple(findings)
    findings.append(
        Finding(
            rule="inject.merged-page-node",
            severity=Severity.INFO,
            message=f"our page node takes the @id {target.node_id} of the page's own "
            f"{'/'.join(target.types)} node (line {target.line}), so both describe one page",
            node_id=target.node_id,
            line=target.line,
        )
    )
    relinked = _with_id(jsonld, old_id, target.node_id)
    return (relinked if isinstance(relinked, dict) else jsonld), tuple(findings)


def _finding(node: PageNode, *, merge: bool) -> Finding:
    kind = "/".join(node.types)
    if merge and node.node_id is None:
        return Finding(
            rule="inject.merge-without-id",
            severity=Severity.WARNING,
            message=f"the page's own {kind} node (line {node.line}) has no @id to merge with",
            line=node.line,
            hint="give the theme's node an @id, or leave out --merge",
        )
    named = f" {node.node_id}" if node.node_id else ""
    return Finding(
        rule="inject.existing-page-node",
        severity=Severity.WARNING,
        message=f"the page's own JSON-LD (line {node.line}) already has a {kind} node{named}; "
        "with ours, search engines see two page nodes",
        node_id=node.node_id,
        line=node.line,
        hint="pass --merge to link ours to it by @id, or remove the theme's block",
    )


def _with_id(value: JsonValue, old: str, new: str) -> JsonValue:
    """Replace `old` wherever it is an `@id`, in node ids and references alike."""
    if isinstance(value, dict):
        return {
            key: new if key == "@id" and item == old else _with_id(item, old, new)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_with_id(item, old, new) for item in value]
    return value


def _top_nodes(data: JsonValue) -> Iterator[JsonObject]:
    for item in _as_list(data):
        if isinstance(item, dict):
            yield item
            yield from (node for node in _as_list(item.get("@graph")) if isinstance(node, dict))


def _as_list(value: JsonValue) -> list[JsonValue]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _term(name: str) -> str:
    for prefix in _SCHEMA_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name
