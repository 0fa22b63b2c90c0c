"""Validate the JSON-LD blocks of an HTML page, each block alone, with page-wide FAQ and id checks.

A broken block is reported at its line and does not hide the others; an `@id` declared in one
block resolves references from another.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from pipeline.read.jsonld import extract_blocks, unwrap_block, visible_text
from pipeline.validate.content import has_words
from pipeline.validate.nodes import walk
from pipeline.validate.rules import Issue
from pipeline.validate.runner import check_parsed, to_report
from pipeline.validate.strict_json import parse_strict

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from pipeline.model import EmbeddedJsonLd, Report
    from pipeline.read.jsonld import Unwrapped
    from pipeline.validate.runner import Run


def check_page(html: str, run: Run) -> Report:
    """Validate every block of a page; the visible text is computed only when it will be used."""
    wants_text = run.checks.check_visibility and run.runs("content")
    page_text = visible_text(html) if wants_text else None
    return check_blocks(extract_blocks(html), run, page_text=page_text)


def check_blocks(blocks: Sequence[EmbeddedJsonLd], run: Run, *, page_text: str | None) -> Report:
    """Validate blocks already lifted out of a page (`Document.jsonld`)."""
    if not blocks:
        issue = Issue(rule="html.no-jsonld", message="no application/ld+json block on the page")
        return to_report((issue,), run, line=None, checked_nodes=0)
    issues: list[Issue] = []
    if page_text is not None and not has_words(page_text):
        issues.append(
            Issue(
                rule="content.visibility-unchecked",
                message="the page has no visible text (a fragment or a script-rendered page)",
            )
        )
        page_text = None
    # Each block is parsed and walked once: its ids resolve references in the others, then it is
    # checked.
    parts = []
    for block in blocks:
        part = unwrap_block(block.text)
        line = block.line + block.text.count("\n", 0, part.offset)
        parsed = parse_strict(part.body, line=line or 1)
        parts.append((part, line, parsed, walk(parsed.data)))
    page_ids = frozenset(
        node.node_id for *_, flat in parts for node in flat.nodes if node.node_id is not None
    )
    checked = 0
    faq_lines: list[int] = []
    for part, line, parsed, flat in parts:
        outcome = check_parsed(parsed, run, page_text=page_text, known_ids=page_ids, flat=flat)
        checked += outcome.checked_nodes
        faq_lines.extend([line] * outcome.faq_pages)
        issues.extend(dataclasses.replace(i, line=i.line or line) for i in outcome.issues)
        if run.runs("html"):
            issues.extend(_repairs(part, line))
    if len(set(faq_lines)) > 1 and run.runs("content"):
        issues.append(
            Issue(
                rule="content.multiple-faq-pages",
                message=f"{len(faq_lines)} FAQPage nodes in {len(set(faq_lines))} blocks; "
                "a page may carry one",
                line=sorted(set(faq_lines))[1],
            )
        )
    return to_report(issues, run, line=None, checked_nodes=checked)


def _repairs(part: Unwrapped, line: int) -> Iterator[Issue]:
    names = {
        "cdata": "a CDATA wrapper",
        "comment": "an HTML comment",
        "trailing-semicolon": "a trailing semicolon",
    }
    for repair in part.repairs:
        yield Issue(
            rule="html.jsonld-repaired",
            message=f"the block parses only once {names.get(repair, repair)} is removed",
            line=line,
            hint="emit bare JSON inside the script element",
        )
