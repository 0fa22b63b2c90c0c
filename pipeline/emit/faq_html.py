"""The visible FAQ block: the questions and answers of the JSON-LD as an HTML fragment to show.

Search engines require marked-up FAQ content to be visible on the page. The fragment is built from
the graph itself, so what it shows is exactly what the markup claims, word for word.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Mapping

    from pipeline.model import JsonObject, JsonValue

DEFAULT_HEADING: Final = "Frequently asked questions"
# Stable class names, one per part, so a site styles the block without touching its markup.
CLASS_BLOCK: Final = "schemapress-faq"
CLASS_HEADING: Final = "schemapress-faq__heading"
CLASS_ITEM: Final = "schemapress-faq__item"
CLASS_QUESTION: Final = "schemapress-faq__question"
CLASS_ANSWER: Final = "schemapress-faq__answer"


def faq_html(document: Mapping[str, JsonValue], *, heading: str = DEFAULT_HEADING) -> str | None:
    """Return the fragment for the FAQPage's questions in mainEntity order; None without questions.

    Each item's `id` is the fragment of its Question `@id`, so `#faq-...` links land on it. Answer
    text is the graph's answer HTML, already limited to the allowed tags with its text escaped.
    """
    questions = faq_questions(document)
    if not questions:
        return None
    items = "".join(_item(question) for question in questions)
    return (
        f'<section class="{CLASS_BLOCK}">\n'
        f'<h2 class="{CLASS_HEADING}">{html.escape(heading)}</h2>\n'
        f"{items}</section>\n"
    )


def faq_questions(document: Mapping[str, JsonValue]) -> list[JsonObject]:
    """Return the Question nodes the FAQPage lists, in mainEntity order."""
    graph = document.get("@graph")
    nodes = [
        n for n in _as_list(graph if graph is not None else dict(document)) if isinstance(n, dict)
    ]
    by_id = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str)}
    page = next((n for n in nodes if "FAQPage" in _as_list(n.get("@type"))), None)
    if page is None:
        return []
    found: list[JsonObject] = []
    for entry in _as_list(page.get("mainEntity")):
        if not isinstance(entry, dict):
            continue
        target = entry.get("@id")
        node = by_id.get(target) if isinstance(target, str) and "name" not in entry else entry
        if node is not None:
            found.append(node)
    return found


def fragment_of(node_id: JsonValue) -> str | None:
    """Return the part of an `@id` after `#`: the element id a link to the question lands on."""
    if not isinstance(node_id, str) or "#" not in node_id:
        return None
    return node_id.rsplit("#", 1)[1] or None


def _item(question: JsonObject) -> str:
    fragment = fragment_of(question.get("@id"))
    anchor = f' id="{html.escape(fragment)}"' if fragment else ""
    name = question.get("name")
    answer = question.get("acceptedAnswer")
    text = answer.get("text") if isinstance(answer, dict) else None
    return (
        f'<details class="{CLASS_ITEM}"{anchor}>\n'
        f'<summary class="{CLASS_QUESTION}">{html.escape(str(name or ""), quote=False)}</summary>\n'
        f'<div class="{CLASS_ANSWER}">{text if isinstance(text, str) else ""}</div>\n'
        "</details>\n"
    )


def _as_list(value: JsonValue) -> list[JsonValue]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
