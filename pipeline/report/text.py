"""The default report: findings grouped by file, one line each, then a summary line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipeline.report.path import to_json_path

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pipeline.model import Finding, Report


def format_text(reports: Sequence[tuple[str, Report]]) -> str:
    """Return a human-readable report; a file with no findings gets one `ok` line."""
    lines: list[str] = []
    for source, report in reports:
        counts = _counts(report)
        if not report.findings:
            lines.append(f"{source}: ok ({_plural(report.checked_nodes, 'node')} checked)")
            continue
        lines.append(f"{source}: {counts} ({_plural(report.checked_nodes, 'node')} checked)")
        lines.extend(_finding_lines(finding) for finding in report.findings)
    errors = sum(len(report.errors) for _, report in reports)
    warnings = sum(len(report.warnings) for _, report in reports)
    total = f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}"
    lines.append(f"{_plural(len(reports), 'file')}: {total}")
    return "\n".join(lines) + "\n"


def _finding_lines(finding: Finding) -> str:
    where = f"line {finding.line} " if finding.line is not None else ""
    node = f" [{finding.node_id}]" if finding.node_id else ""
    text = (
        f"  {finding.severity.value:<7} {finding.rule}  {where}{to_json_path(finding.path)}{node}: "
        f"{finding.message}"
    )
    return f"{text}\n          hint: {finding.hint}" if finding.hint else text


def _counts(report: Report) -> str:
    return f"{_plural(len(report.errors), 'error')}, {_plural(len(report.warnings), 'warning')}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
