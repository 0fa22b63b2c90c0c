"""A finding as the cache index keeps it: a compact JSON list, with 0 for its page's own path."""

from __future__ import annotations

import json
from typing import Any

from pipeline.model import Finding, Severity


def finding_row(finding: Finding, page: str) -> list[Any]:
    """A finding as a list; its source is 0 when it is the page itself, as nearly all are."""
    source = 0 if finding.source == page else finding.source
    return [
        finding.rule,
        finding.severity.value,
        finding.message,
        list(finding.path),
        finding.node_id,
        finding.line,
        finding.hint,
        source,
    ]


def finding_from_row(item: list[Any], page: str) -> Finding:
    """The finding `finding_row` wrote for this page."""
    rule, severity, message, path, node_id, line, hint, source = item
    return Finding(
        rule=rule,
        severity=Severity(severity),
        message=message,
        path=tuple(path),
        node_id=node_id,
        line=line,
        hint=hint,
        source=page if source == 0 else source,
    )


def intern_row(table: dict[str, int], item: list[Any]) -> int:
    """A row's place in the findings table, added at its end if new: pages share their rows."""
    return table.setdefault(json.dumps(item, separators=(",", ":")), len(table))  # noqa: TID251
