"""The validate stage: check JSON-LD in five layers and return a sorted Report of findings.

Layers (each with its own rule ids, each skipped by naming it in `CheckConfig.ignore`):
`json` strict JSON, `schema` our JSON Schemas per @type, `vocabulary` schema.org 30.0,
`graph` @id integrity, `content` FAQ completeness, answer HTML, dates and visibility;
`html` covers how blocks sit in a page.

>>> report = validate_json_text('{"@context": "https://schema.org", "@type": "Drug", "name": "X"}')
>>> report.exit_code(), report.checked_nodes
(0, 1)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipeline.settings import CheckConfig
from pipeline.validate.page import check_blocks, check_page
from pipeline.validate.rules import LAYERS, RULES, Layer
from pipeline.validate.runner import Run, check_document, check_text, to_report
from pipeline.validate.toolkit import Validators, load_validators

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from pipeline.model import EmbeddedJsonLd, JsonValue, Report

__all__ = [
    "LAYERS",
    "RULES",
    "Layer",
    "Validators",
    "load_validators",
    "validate_blocks",
    "validate_html",
    "validate_json_text",
    "validate_jsonld",
]

_DEFAULT_CHECKS = CheckConfig()


def validate_jsonld(
    doc: Mapping[str, JsonValue] | Sequence[JsonValue],
    *,
    page_text: str | None = None,
    checks: CheckConfig = _DEFAULT_CHECKS,
    toolkit: Validators | None = None,
) -> Report:
    """Check a parsed document (a `@graph` document, one node, or a list of nodes): layers 2-5.

    With `page_text` (the page's visible text), FAQ questions and answers missing from it warn.
    """
    run = Run.create(toolkit, checks)
    outcome = check_document(doc, run, page_text=page_text)  # type: ignore[arg-type]
    return to_report(outcome.issues, run, line=None, checked_nodes=outcome.checked_nodes)


def validate_json_text(
    text: str,
    *,
    source: str | None = None,
    line: int | None = None,
    checks: CheckConfig = _DEFAULT_CHECKS,
    toolkit: Validators | None = None,
) -> Report:
    """Check JSON-LD text: strict JSON first, then layers 2-5 if it parses.

    `line` is where the text starts in its file; findings then carry file lines.
    """
    run = Run.create(toolkit, checks, source)
    outcome = check_text(text, run, line=line)
    return to_report(outcome.issues, run, line=line, checked_nodes=outcome.checked_nodes)


def validate_html(
    html: str,
    *,
    source: str | None = None,
    checks: CheckConfig = _DEFAULT_CHECKS,
    toolkit: Validators | None = None,
) -> Report:
    """Check each JSON-LD block of an HTML page alone, at its line, against the visible text."""
    return check_page(html, Run.create(toolkit, checks, source))


def validate_blocks(
    blocks: Sequence[EmbeddedJsonLd],
    *,
    source: str | None = None,
    page_text: str | None = None,
    checks: CheckConfig = _DEFAULT_CHECKS,
    toolkit: Validators | None = None,
) -> Report:
    """Check blocks a reader already lifted out of a page (`Document.jsonld` and `visible_text`)."""
    return check_blocks(blocks, Run.create(toolkit, checks, source), page_text=page_text)
