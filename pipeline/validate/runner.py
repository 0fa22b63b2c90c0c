"""Run the layers on one document and turn their issues into findings with severity and place.

The runner is the only place that knows the rule table, `CheckConfig.ignore` and the source name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from itertools import chain
from typing import TYPE_CHECKING

from pipeline.model import Finding, Report, sorted_report
from pipeline.settings import CheckConfig
from pipeline.validate.content import check_content, check_visibility
from pipeline.validate.graph import GraphIndex, check_graph
from pipeline.validate.nodes import walk
from pipeline.validate.rules import RULES, Issue, is_ignored
from pipeline.validate.schemas import check_schemas
from pipeline.validate.strict_json import Parsed, parse_strict
from pipeline.validate.toolkit import Validators, load_validators
from pipeline.validate.vocabulary import check_vocabulary

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable, Iterator

    from pipeline.model import JsonValue
    from pipeline.validate.nodes import Flat


@dataclass(frozen=True, slots=True, kw_only=True)
class Run:
    """What one validation call needs besides the document: toolkit, options, place and date."""

    toolkit: Validators
    checks: CheckConfig = field(default_factory=CheckConfig)
    source: str | None = None
    today: dt.date = field(default_factory=lambda: dt.datetime.now(dt.UTC).date())

    @classmethod
    def create(
        cls, toolkit: Validators | None, checks: CheckConfig, source: str | None = None
    ) -> Run:
        """Fill in the shared toolkit when the caller brings none."""
        return cls(toolkit=toolkit or load_validators(), checks=checks, source=source)

    def runs(self, layer: str) -> bool:
        """Whether a layer runs at all; ignoring a layer's name skips its work."""
        return layer not in self.checks.ignore


@dataclass(frozen=True, slots=True, kw_only=True)
class Outcome:
    """The issues of one document and how many typed nodes were checked."""

    issues: tuple[Issue, ...]
    checked_nodes: int
    faq_pages: int = 0


def check_document(
    doc: JsonValue,
    run: Run,
    *,
    page_text: str | None,
    known_ids: Collection[str] = (),
    flat: Flat | None = None,
) -> Outcome:
    """Run layers 2-5 on a parsed document; `flat` is its walk, if the caller made it already."""
    flat = walk(doc) if flat is None else flat
    nodes = flat.nodes
    index = GraphIndex.build(nodes, known_ids)
    toolkit = run.toolkit
    layers: list[Iterable[Issue]] = []
    if run.runs("schema"):
        layers.append(check_schemas(nodes, toolkit))
    if run.runs("vocabulary"):
        layers.append(check_vocabulary(doc, nodes, toolkit.vocabulary))
    if run.runs("graph"):
        layers.append(check_graph(index, flat.references, toolkit.vocabulary))
    if run.runs("content"):
        layers.append(check_content(index, allowed_tags=toolkit.answer_tags, today=run.today))
        if page_text is not None and run.checks.check_visibility:
            layers.append(check_visibility(index, page_text))
    return Outcome(
        issues=tuple(chain.from_iterable(layers)),
        checked_nodes=sum(1 for node in nodes if node.raw_types),
        faq_pages=len(index.faq),
    )


def check_text(
    text: str,
    run: Run,
    *,
    line: int | None,
    page_text: str | None = None,
    known_ids: Collection[str] = (),
) -> Outcome:
    """Run layer 1 on JSON text, then layers 2-5 when it parses."""
    return check_parsed(
        parse_strict(text, line=line or 1), run, page_text=page_text, known_ids=known_ids
    )


def check_parsed(
    parsed: Parsed,
    run: Run,
    *,
    page_text: str | None,
    known_ids: Collection[str] = (),
    flat: Flat | None = None,
) -> Outcome:
    """Report what the strict parse found, then run layers 2-5 when the text parsed."""
    strict = parsed.issues if run.runs("json") else ()
    if not parsed.ok:
        return Outcome(issues=strict, checked_nodes=0)
    outcome = check_document(parsed.data, run, page_text=page_text, known_ids=known_ids, flat=flat)
    if not strict:
        return outcome
    return Outcome(
        issues=strict + outcome.issues,
        checked_nodes=outcome.checked_nodes,
        faq_pages=outcome.faq_pages,
    )


def to_report(issues: Iterable[Issue], run: Run, *, line: int | None, checked_nodes: int) -> Report:
    """Add severity, source and line to each kept issue, drop repeats, and sort."""
    return sorted_report(
        tuple(dict.fromkeys(_findings(issues, run, line))), checked_nodes=checked_nodes
    )


def _findings(issues: Iterable[Issue], run: Run, line: int | None) -> Iterator[Finding]:
    for issue in issues:
        if is_ignored(issue.rule, run.checks.ignore):
            continue
        severity, _ = RULES[issue.rule]
        yield Finding(
            rule=issue.rule,
            severity=severity,
            message=issue.message,
            path=issue.path,
            node_id=issue.node_id,
            line=issue.line or line,
            hint=issue.hint,
            source=run.source,
        )
