"""Split one page graph into a medical block and an FAQ block for a CMS with two fields.

Both blocks describe the same page through the same `@id`: the medical block types it
MedicalWebPage, the FAQ block types it FAQPage and lists the questions. Each block is valid alone,
and a consumer that reads both merges them into the one node of the unsplit graph.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Mapping

    from pipeline.model import JsonObject, JsonValue

_FAQ_TYPE: Final = "FAQPage"
# Properties that say which questions the page carries; they belong to the FAQ block only.
_FAQ_KEYS: Final = frozenset({"mainEntity"})


@dataclass(frozen=True, slots=True, kw_only=True)
class SplitGraph:
    """The two blocks of a page; `faq` is None when the page has no questions."""

    medical: JsonObject
    faq: JsonObject | None


def split_graph(document: Mapping[str, JsonValue]) -> SplitGraph:
    """Split a `@context` + `@graph` document at the page node; Question nodes go to the FAQ part.

    A document with no FAQPage page node comes back whole as the medical part.
    """
    nodes = [node for node in _as_nodes(document.get("@graph")) if isinstance(node, dict)]
    page = next((node for node in nodes if _FAQ_TYPE in _types(node)), None)
    if page is None:
        return SplitGraph(medical=dict(document), faq=None)
    questions = {_reference_id(item) for item in _as_nodes(page.get("mainEntity"))}
    medical_nodes: list[JsonValue] = []
    faq_nodes: list[JsonValue] = [_faq_page(page)]
    for node in nodes:
        if node is page:
            medical_nodes.append(_medical_page(page))
        elif node.get("@id") in questions:
            faq_nodes.append(node)
        else:
            medical_nodes.append(node)
    context = document.get("@context")
    return SplitGraph(
        medical={"@context": context, "@graph": medical_nodes},
        faq={"@context": context, "@graph": faq_nodes},
    )


def _medical_page(page: JsonObject) -> JsonObject:
    types = [t for t in _types(page) if t != _FAQ_TYPE]
    node = {key: value for key, value in page.items() if key not in _FAQ_KEYS}
    node["@type"] = types[0] if len(types) == 1 else list(types)
    return node


def _faq_page(page: JsonObject) -> JsonObject:
    node: JsonObject = {"@type": _FAQ_TYPE, "@id": page.get("@id")}
    # `url` keeps the FAQ block meaningful when it is read alone; it equals the medical block's.
    if "url" in page:
        node["url"] = page["url"]
    node["mainEntity"] = page.get("mainEntity")
    return node


def _types(node: Mapping[str, JsonValue]) -> list[str]:
    return [t for t in _as_nodes(node.get("@type")) if isinstance(t, str)]


def _as_nodes(value: JsonValue) -> list[JsonValue]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _reference_id(value: JsonValue) -> JsonValue:
    return value.get("@id") if isinstance(value, dict) else None
