"""The batch report (`report.json`): a contract that other tools read, so its shape is fixed."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple, cast

from pipeline.emit.jsonld import indented_json
from pipeline.model import Failure, Result, Severity

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping, Sequence

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


class ReportRow(NamedTuple):
    """A page's row as report.json holds it, and what the report's summary counts of it.

    A row is encoded once, when its page is written; the report is then written from these
    without decoding and encoding every row again.
    """

    text: str
    status: str
    errors: int
    warnings: int


def report_row(page: JsonObject) -> ReportRow:
    """A page of the report (`page_entry`) as the text it has in report.json, and its counts."""
    findings = cast("list[JsonObject]", page.get("findings", []))
    severities = [finding.get("severity") for finding in findings]
    return ReportRow(
        text="    " + indented_json(page, margin="    "),
        status=str(page.get("status")),
        errors=severities.count(Severity.ERROR.value),
        warnings=severities.count(Severity.WARNING.value),
    )


def report_parts(pages: Iterable[ReportRow], *, version: str) -> Iterator[str]:
    """The whole report, one row at a time: tool, pages in input order, counts.

    Joined, the parts are the text of `json.dumps(report, indent=2)`; a caller writes them as they
    come, so no more than one row is held however many pages the batch has.
    """
    head = indented_json({"name": "schemapress", "version": version}, margin="  ")
    yield f'{{\n  "tool": {head},\n  "pages": '
    counts = dict.fromkeys(("pages", "ok", "invalid", "failed", "errors", "warnings"), 0)
    for page in pages:
        yield ",\n" if counts["pages"] else "[\n"
        counts["pages"] += 1
        counts[page.status] += 1
        counts["errors"] += page.errors
        counts["warnings"] += page.warnings
        yield page.text
    close = "\n  ]" if counts["pages"] else "[]"
    summary = indented_json(counts, ascii_only=True, margin="  ")
    yield f'{close},\n  "summary": {summary}\n}}\n'
