"""The graph as rows a person can read: node, property, value, and the section the value came from.

The build stage copies every value from a source span or config; this maps each value back to the
section whose lines hold that span, so a reviewer can check a claim against the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

    from pipeline.model import Analysis, JsonValue, Section, Value

_SKIPPED_KEYS: Final = frozenset({"@context", "@id", "@type"})
INTRODUCTION: Final = "(before the first heading)"


@dataclass(frozen=True, slots=True, kw_only=True)
class GraphRow:
    """One value of one node; `source` names the page section, config key or rule behind it."""

    node: str
    property: str
    value: str
    source: str


def graph_rows(document: Mapping[str, JsonValue], analysis: Analysis) -> tuple[GraphRow, ...]:
    """Every leaf value of the graph's nodes, in graph order, with its source."""
    sources = _Sources(analysis)
    rows: list[GraphRow] = []
    nodes = document.get("@graph")
    for node in nodes if isinstance(nodes, list) else []:
        if not isinstance(node, dict):
            continue
        label = node_label(node)
        question = sources.question_section(node)
        for path, value in _leaves(node, ""):
            source = question if question is not None else sources.for_text(value)
            rows.append(GraphRow(node=label, property=path, value=value, source=source))
    return tuple(rows)


def node_label(node: Mapping[str, JsonValue]) -> str:
    """`Type #id`, the way the report and the preview name a node."""
    types = node.get("@type")
    type_text = " + ".join(str(t) for t in types) if isinstance(types, list) else str(types or "")
    node_id = node.get("@id")
    return f"{type_text} {node_id}".strip() if isinstance(node_id, str) else type_text


def _leaves(value: JsonValue, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        if set(value) == {"@id"}:
            yield path, f"→ {value['@id']}"
            return
        for key, item in value.items():
            if key not in _SKIPPED_KEYS:
                yield from _leaves(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item, path)
    elif value is not None:
        yield path, value if isinstance(value, str) else str(value)


class _Sources:
    """Looks up where a text value came from: its Value's span, config key or inferring rule."""

    def __init__(self, analysis: Analysis) -> None:
        self.sections = analysis.document.sections
        values: list[Value] = [v for _, group in analysis.properties for v in group]
        values.extend(analysis.interacting)
        values.extend(v for v in (analysis.title, analysis.description) if v is not None)
        self.values = values
        self.by_text = {value.text: value for value in values}
        self.questions = {entry.question: entry for entry in analysis.faq}
        subject = analysis.subject
        self.subject_names = (
            {subject.name, *subject.alternate_names, *subject.active_ingredients}
            if subject
            else set()
        )
        self.subject_rule = subject.rule if subject else ""

    def question_section(self, node: Mapping[str, JsonValue]) -> str | None:
        """Return the section a Question's FAQ entry came from; all its rows share it."""
        name = node.get("name")
        entry = self.questions.get(name) if isinstance(name, str) else None
        if entry is None:
            return None
        where = self._section_title(entry.section)
        return f"derived from {where}" if entry.origin == "derived" else where

    def for_text(self, text: str) -> str:
        value = self.by_text.get(text)
        if value is not None:
            return self._describe(value)
        if text in self.subject_names:
            return f"subject ({self.subject_rule})"
        # A single-text property joins several sentences; name each one's section once.
        parts = [self._describe(v) for v in self.values if v.span and v.text in text]
        return "; ".join(dict.fromkeys(parts))

    def _describe(self, value: Value) -> str:
        if value.config_key:
            return f"config: {value.config_key}"
        if value.inferred_by:
            return f"inferred ({value.inferred_by})"
        if value.span is None:
            return "page metadata"
        return self._section_title(self._section_at(value.span.start_line))

    def _section_at(self, line: int) -> int | None:
        found = None
        for index, section in enumerate(self.sections):
            if section.span.start_line <= line <= section.span.end_line:
                found = index
        return found

    def _section_title(self, index: int | None) -> str:
        if index is None or not 0 <= index < len(self.sections):
            return INTRODUCTION
        section: Section = self.sections[index]
        return f"«{section.title}»"
