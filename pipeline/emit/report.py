"""The batch report (`report.json`): a contract that other tools read, so its shape is fixed."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, cast

from pipeline.model import Failure, Result, Severity

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from pipeline.model import JsonObject, JsonValue


def page_entry(item: Result | Failure, outputs: Mapping[str, str]) -> JsonObject:
    """One page of the report; `outputs` maps `jsonld`/`html`/... to the written paths."""
    if isinstance(item, Failure):
        return {
            "source": item.source.path,
            "status": "failed",
            "outputs": {},
            "title": None,
            "language": None,
            "subject": None,
            "sections": [],
            "dropped": [],
            "questions": [],
            "findings": [
                {"severity": "error", "rule": item.rule, "path": "", "message": item.message}
            ],
        }
    analysis = item.analysis
    subject = analysis.subject
    return {
        "source": item.source.path,
        "status": item.status,
        "outputs": dict(outputs),
        "title": analysis.title.text if analysis.title else None,
        "language": analysis.language,
        "subject": {"name": subject.name, "type": "/".join(subject.types)} if subject else None,
        "sections": _sections(item),
        "dropped": [{"text": drop.text, "reason": drop.rule} for drop in analysis.document.dropped],
        "questions": [{"name": e.question, "origin": e.origin} for e in analysis.faq],
        "findings": [
            {
                "severity": f.severity.value,
                "rule": f.rule,
                "path": _path(f.path),
                "message": f.message,
            }
            for f in item.report.findings
        ],
    }


def _sections(result: Result) -> list[JsonValue]:
    """Kept and dropped headings in page order, each kept one with its concept."""
    doc = result.analysis.document
    concepts = {match.section: match for match in result.analysis.concepts}
    rows: list[tuple[int, JsonObject]] = []
    for index, section in enumerate(doc.sections):
        if section.kind == "summary":
            continue
        match = concepts.get(index)
        row: JsonObject = {
            "heading": section.title,
            "level": section.level,
            "concept": match.concept if match else None,
            "dropped": False,
        }
        if match:
            row["confidence"] = round(match.confidence, 2)
            row["rule"] = match.rule
        rows.append((section.span.start_line, row))
    for drop in doc.dropped:
        if drop.heading:
            line = drop.span.start_line if drop.span else 0
            row = {"heading": drop.text, "level": drop.level, "concept": None, "dropped": True}
            rows.append((line, row))
    rows.sort(key=lambda item: item[0])
    return [row for _, row in rows]


def _path(path: Sequence[str | int]) -> str:
    from pipeline.report.path import to_json_path  # noqa: PLC0415

    return to_json_path(path) if path else ""


def build_report(pages: Sequence[JsonObject], *, version: str) -> JsonObject:
    """The whole report: tool, pages in input order, and counts."""
    statuses = [page["status"] for page in pages]
    findings = [finding for page in pages for finding in cast("list[JsonObject]", page["findings"])]
    return {
        "tool": {"name": "schemapress", "version": version},
        "pages": list(pages),
        "summary": {
            "pages": len(pages),
            "ok": statuses.count("ok"),
            "invalid": statuses.count("invalid"),
            "failed": statuses.count("failed"),
            "errors": sum(1 for f in findings if f.get("severity") == Severity.ERROR.value),
            "warnings": sum(1 for f in findings if f.get("severity") == Severity.WARNING.value),
        },
    }


def to_report_json(report: JsonObject) -> bytes:
    """Serialise the report deterministically."""
    return (json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
