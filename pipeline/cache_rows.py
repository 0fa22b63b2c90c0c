"""A finding as the cache index keeps it: a compact JSON list, with 0 for its page's own path."""

from __future__ import annotations

import hashlib
import json
from typing import IO, Any

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


def intern_row(places: dict[bytes, int], table: IO[bytes], item: list[Any]) -> int:
    """A row's place in the findings table, written at its end if new: pages share their rows.

    The table is staged in a file and a row is known by its digest, so memory stays flat on a
    batch whose findings all differ (each names its page's drug).
    """
    text = json.dumps(item, separators=(",", ":")).encode()  # noqa: TID251
    digest = hashlib.blake2b(text, digest_size=16).digest()
    place = places.get(digest)
    if place is None:
        place = places[digest] = len(places)
        table.write(b"," + text if place else text)
    return place
