"""The machine-readable report: one object per file with its findings, plus totals."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from pipeline.report.path import to_json_path

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pipeline.model import Finding, JsonValue, Report


def format_json(reports: Sequence[tuple[str, Report]]) -> str:
    """Return the reports as indented JSON with a fixed key order and a trailing newline."""
    files: list[JsonValue] = [
        {
            "source": source,
            "checked_nodes": report.checked_nodes,
            "errors": len(report.errors),
            "warnings": len(report.warnings),
            "findings": [_finding(finding) for finding in report.findings],
        }
        for source, report in reports
    ]
    document: dict[str, JsonValue] = {
        "files": files,
        "summary": {
            "files": len(reports),
            "errors": sum(len(report.errors) for _, report in reports),
            "warnings": sum(len(report.warnings) for _, report in reports),
        },
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _finding(finding: Finding) -> JsonValue:
    return {
        "rule": finding.rule,
        "severity": finding.severity.value,
        "message": finding.message,
        "json_path": to_json_path(finding.path),
        "path": list(finding.path),
        "node_id": finding.node_id,
        "line": finding.line,
        "hint": finding.hint,
    }
