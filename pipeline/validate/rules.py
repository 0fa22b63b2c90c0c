"""The rule table: every rule id the validate stage can report, its severity and what it means.

Layers yield `Issue`s that know only their local problem; the runner looks the rule up here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from pipeline.model import Severity

Layer = Literal["json", "html", "schema", "vocabulary", "graph", "content"]
LAYERS: Final[tuple[Layer, ...]] = ("json", "html", "schema", "vocabulary", "graph", "content")

_E, _W, _I = Severity.ERROR, Severity.WARNING, Severity.INFO

RULES: Final[dict[str, tuple[Severity, str]]] = {
    "json.syntax": (_E, "The block is not valid JSON (a trailing comma, or a literal </script>)."),
    "json.duplicate-key": (
        _E,
        "An object repeats a key; parsers silently keep only the last value.",
    ),
    "json.non-finite-number": (_E, "NaN or Infinity appears; JSON has no such numbers."),
    "html.jsonld-repaired": (
        _W,
        "A JSON-LD block parsed only once a CDATA wrapper, HTML comment or trailing ; was removed.",
    ),
    "html.no-jsonld": (_W, "The page has no application/ld+json block."),
    "schema.required": (_E, "A property a consumer requires is missing."),
    "schema.type": (
        _E,
        "A value has the wrong JSON type (for example a number where text belongs).",
    ),
    "schema.format": (_E, "A value is not in its format (an ISO 8601 date, an absolute IRI)."),
    "schema.min-length": (_E, "A text value is empty."),
    "schema.min-items": (_E, "A list is empty."),
    "schema.pattern": (_E, "A value does not match its pattern (for example a non-numeric count)."),
    "schema.minimum": (_E, "A number is below its minimum (for example a negative count)."),
    "schema.any-of": (
        _E,
        "A value has none of the shapes its property allows (or a node no name).",
    ),
    "schema.unique-items": (_E, "A list repeats an item (for example the same @type twice)."),
    "schema.invalid": (_E, "A value breaks another rule of our JSON Schema for its type."),
    "vocabulary.missing-context": (
        _E,
        "A top-level object has no @context, so no term is schema.org.",
    ),
    "vocabulary.unknown-context": (
        _W,
        "The @context is not schema.org; terms are read as schema.org.",
    ),
    "vocabulary.unknown-type": (_E, "An @type is not a schema.org 30.0 type."),
    "vocabulary.unknown-property": (_W, "A property is not in schema.org 30.0."),
    "vocabulary.off-domain-property": (
        _W,
        "A property exists but not on the node's type or its ancestors (schema.org tolerates it).",
    ),
    "vocabulary.superseded": (_W, "A type, property or enumeration member is superseded."),
    "vocabulary.unknown-member": (_W, "A schema.org IRI value names no schema.org term."),
    "graph.no-nodes": (_E, "The JSON-LD holds no typed node, so nothing was checked."),
    "graph.untyped-node": (_W, "A top-level or @graph object has no @type."),
    "graph.dangling-reference": (_E, 'An {"@id": ...} reference names no node in the document.'),
    "graph.conflicting-duplicate-id": (
        _E,
        "Two nodes share an @id but give a property different values.",
    ),
    "graph.multiple-page-nodes": (
        _E,
        "More than one WebPage node (of any WebPage type) in one document.",
    ),
    "graph.main-entity-not-question": (
        _E,
        "An FAQPage's mainEntity lists something that is not a Question.",
    ),
    "graph.orphan-question": (
        _E,
        "A Question in a document with an FAQPage is missing from mainEntity.",
    ),
    "content.question-name-missing": (_E, "An FAQ Question has no name, or its name is blank."),
    "content.answer-missing": (_E, "An FAQ Question has no acceptedAnswer Answer node."),
    "content.answer-empty": (_E, "An FAQ answer's text has no words once HTML tags are removed."),
    "content.answer-html-tag": (
        _W,
        "Answer HTML has a tag outside h1-h6, br, ol, ul, li, a, p, div, b, strong, i, em.",
    ),
    "content.date-in-future": (_W, "A publication or review date lies in the future."),
    "content.multiple-faq-pages": (_E, "More than one FAQPage on one page."),
    "content.question-not-visible": (_W, "An FAQ question is not in the page's visible text."),
    "content.answer-not-visible": (_W, "An FAQ answer is not in the page's visible text."),
    "content.visibility-unchecked": (
        _I,
        "The page has no visible text, so visibility was not checked.",
    ),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Issue:
    """What a check found, before the runner adds severity, source and line."""

    rule: str
    message: str
    path: tuple[str | int, ...] = ()
    node_id: str | None = None
    hint: str | None = None
    line: int | None = None


def layer_of(rule: str) -> str:
    """Return the layer part of a rule id (`graph` for `graph.dangling-reference`)."""
    return rule.partition(".")[0]


def is_ignored(rule: str, ignore: tuple[str, ...]) -> bool:
    """Whether `ignore` names the rule itself or its whole layer."""
    return rule in ignore or layer_of(rule) in ignore
