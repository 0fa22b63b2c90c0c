"""SARIF 2.1.0 for code-scanning annotations: one run, all rules described, a result per finding."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Final

from pipeline.model import Severity
from pipeline.report.path import to_json_path
from pipeline.validate.rules import RULES

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pipeline.model import Finding, JsonValue, Report

SARIF_SCHEMA: Final = "https://json.schemastore.org/sarif-2.1.0.json"
TOOL_URI: Final = "https://github.com/schemapress/schemapress"
_LEVELS: Final = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def format_sarif(reports: Sequence[tuple[str, Report]]) -> str:
    """Return a SARIF 2.1.0 log; rule order and result order are stable between runs."""
    rule_ids = sorted(RULES)
    rules: list[JsonValue] = [
        {
            "id": rule,
            "shortDescription": {"text": RULES[rule][1]},
            "defaultConfiguration": {"level": _LEVELS[RULES[rule][0]]},
        }
        for rule in rule_ids
    ]
    index = {rule: position for position, rule in enumerate(rule_ids)}
    results: list[JsonValue] = [
        _result(source, finding, index) for source, report in reports for finding in report.findings
    ]
    log: dict[str, JsonValue] = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {"name": "schemapress", "informationUri": TOOL_URI, "rules": rules}
                },
                "artifacts": [{"location": {"uri": source}} for source, _ in reports],
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _result(source: str, finding: Finding, index: dict[str, int]) -> JsonValue:
    physical: dict[str, JsonValue] = {"artifactLocation": {"uri": source}}
    if finding.line is not None:
        physical["region"] = {"startLine": finding.line}
    text = f"{finding.message} ({finding.hint})" if finding.hint else finding.message
    location: dict[str, JsonValue] = {
        "physicalLocation": physical,
        "logicalLocations": [{"fullyQualifiedName": to_json_path(finding.path), "kind": "member"}],
    }
    result: dict[str, JsonValue] = {
        "ruleId": finding.rule,
        "ruleIndex": index[finding.rule],
        "level": _LEVELS[finding.severity],
        "message": {"text": text},
        "locations": [location],
    }
    if finding.node_id:
        result["properties"] = {"nodeId": finding.node_id}
    return result
