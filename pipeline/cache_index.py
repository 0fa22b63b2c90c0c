"""The `convert` cache index: one file per output folder, read once and written once per run.

The file is a header line (format, meta length, CRC-32 of the rest), a JSON meta part with each
page's key, its outputs' stamps and the findings that decide a run, then each page's report row
and preview summary, compressed, read only when report.json or the preview is rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import os
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from pipeline.model import Finding, Report, Severity

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

# Bumped when the file layout changes; a file of another format is read as empty.
_FORMAT: Final = b"schemapress-index 1"
# A page entry and a stamp are JSON lists; these name their fields.
_KEY, _OUTPUTS, _FINDINGS, _CHECKED, _OFFSET, _LENGTH, _HAS_PREVIEW = range(7)
_PATH, _SIZE, _MTIME, _CTIME, _DIGEST, _STATE = range(6)


@dataclass(frozen=True, slots=True, kw_only=True)
class IndexedPage:
    """What the index holds of one page: the findings that decide a run, outputs, packed body."""

    report: Report
    body: bytes
    outputs: tuple[str, ...] = ()
    has_preview: bool = False


class PageIndex:
    """The pages and run-wide files (report, preview) of one output folder as last written.

    Output files are trusted by size and times, as git trusts its index: a stamp not older than
    the index file itself is "racy" (the file may have changed within that clock tick), and a
    stamp that differs is settled by the file's digest.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.dirty = False
        self._pages: dict[str, list[Any]] = {}
        self._files: dict[str, list[Any]] = {}
        self._findings: list[list[Any]] = []
        self._bodies: bytes | memoryview = b""
        self._fresh: dict[str, bytes] = {}
        self._trusted_before = 0

    @classmethod
    def read(cls, path: Path) -> PageIndex:
        """Load an index; one that is missing, cut short, corrupt or of another format is empty."""
        index = cls(path)
        try:
            with path.open("rb") as stream:
                data = memoryview(stream.read())
                written = os.fstat(stream.fileno())
            end = bytes(data[:128]).index(b"\n")
            head, length, checksum = bytes(data[:end]).rsplit(b" ", 2)
            meta_end = end + 1 + int(length)
            if head != _FORMAT or zlib.crc32(data[end + 1 :]) != int(checksum):
                return index
            meta = json.loads(bytes(data[end + 1 : meta_end]))
            pages, files, findings = meta["pages"], meta["files"], meta["findings"]
        except (OSError, ValueError, KeyError, TypeError):
            return index
        if isinstance(pages, dict) and isinstance(files, dict) and isinstance(findings, list):
            index._pages, index._files, index._findings = pages, files, findings
            index._bodies = data[meta_end:]
            index._trusted_before = min(written.st_mtime_ns, written.st_ctime_ns)
        return index

    def find(self, page: str, key: str, *, preview: bool) -> IndexedPage | None:
        """The page's entry if it has this key (and a preview, if asked) and intact outputs."""
        entry = self._pages.get(page)
        try:
            if entry is None or entry[_KEY] != key or (preview and not entry[_HAS_PREVIEW]):
                return None
            if not all(self._is_intact(stamp) for stamp in entry[_OUTPUTS]):
                return None
            findings = tuple(_finding(self._findings[ref], page) for ref in entry[_FINDINGS])
            start = entry[_OFFSET]
            return IndexedPage(
                report=Report(findings=findings, checked_nodes=entry[_CHECKED]),
                body=bytes(self._bodies[start : start + entry[_LENGTH]]),
                outputs=tuple(stamp[_PATH] for stamp in entry[_OUTPUTS]),
                has_preview=bool(entry[_HAS_PREVIEW]),
            )
        except (TypeError, IndexError, KeyError, ValueError):
            return None

    def add(self, page: str, key: str, entry: IndexedPage, written: Mapping[str, bytes]) -> bool:
        """Enter a page converted now with the files just written for it; False if one is gone."""
        stamps = [_stamp(path, data) for path, data in written.items()]
        if any(stamp is None for stamp in stamps):
            return False
        counted = [f for f in entry.report.findings if f.severity is not Severity.INFO]
        refs = list(range(len(self._findings), len(self._findings) + len(counted)))
        self._findings.extend(_finding_json(f, page) for f in counted)
        checked = entry.report.checked_nodes
        self._pages[page] = [key, stamps, refs, checked, 0, 0, entry.has_preview]
        self._fresh[page] = entry.body
        self.dirty = True
        return True

    def is_current(self, path: str, state: str) -> bool:
        """Whether a run-wide file was written for this `state` and is unchanged since."""
        entry = self._files.get(path)
        try:
            return entry is not None and entry[_STATE] == state and self._is_intact(entry)
        except (TypeError, IndexError, ValueError):
            return False

    def add_file(self, path: str, state: str, data: bytes) -> None:
        """Enter a run-wide file just written with `data` for `state`."""
        stamp = _stamp(path, data)
        if stamp is not None:
            self._files[path] = [*stamp, state]
            self.dirty = True

    def to_bytes(self) -> bytes:
        """The whole file; pages that share a finding share one row of its findings table."""
        table: dict[str, int] = {}
        pages: dict[str, list[Any]] = {}
        bodies: list[bytes | memoryview] = []
        offset = 0
        for page, entry in self._pages.items():
            start = entry[_OFFSET]
            body = self._fresh.get(page) or self._bodies[start : start + entry[_LENGTH]]
            refs = [_intern(table, self._findings[ref]) for ref in entry[_FINDINGS]]
            pages[page] = [entry[_KEY], entry[_OUTPUTS], refs, entry[_CHECKED], offset, len(body)]
            pages[page].append(entry[_HAS_PREVIEW])
            bodies.append(body)
            offset += len(body)
        rows = [json.loads(text) for text in table]
        meta = {"findings": rows, "pages": pages, "files": self._files}
        # ASCII, so that a path with undecodable bytes (lone surrogates) still encodes.
        packed = json.dumps(meta, separators=(",", ":")).encode()  # noqa: TID251
        checksum = zlib.crc32(packed)
        for body in bodies:
            checksum = zlib.crc32(body, checksum)
        return b"".join((b"%s %d %d\n" % (_FORMAT, len(packed), checksum), packed, *bodies))

    def _is_intact(self, stamp: list[Any]) -> bool:
        """Whether a file holds what its stamp says: by size and times, else by its digest.

        A file touched but unchanged gets a fresh stamp, so the next run trusts its times again.
        """
        try:
            # A str path to os.stat, not a Path per file: this runs for every output of a rerun.
            now = os.stat(stamp[_PATH])  # noqa: PTH116
        except OSError:
            return False
        if now.st_size != stamp[_SIZE]:
            return False
        times = [now.st_mtime_ns, now.st_ctime_ns]
        if times == stamp[_MTIME:_DIGEST] and max(times) < self._trusted_before:
            return True
        if file_digest(stamp[_PATH]) != stamp[_DIGEST]:
            return False
        if times != stamp[_MTIME:_DIGEST]:
            stamp[_MTIME:_DIGEST] = times
            self.dirty = True
        return True


def file_digest(path: str) -> str | None:
    """The SHA-256 of a file's bytes, or None if it cannot be read."""
    try:
        with open(path, "rb") as stream:  # noqa: PTH123 - a str path, as stored
            return hashlib.sha256(stream.read()).hexdigest()
    except OSError:
        return None


def _stamp(path: str, data: bytes) -> list[Any] | None:
    """Path, size, modification and change times, and digest of a file just written."""
    try:
        now = os.stat(path)  # noqa: PTH116
    except OSError:
        return None
    digest = hashlib.sha256(data).hexdigest()
    return [path, now.st_size, now.st_mtime_ns, now.st_ctime_ns, digest]


def _finding_json(finding: Finding, page: str) -> list[Any]:
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


def _finding(item: list[Any], page: str) -> Finding:
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


def _intern(table: dict[str, int], item: list[Any]) -> int:
    return table.setdefault(json.dumps(item, separators=(",", ":")), len(table))  # noqa: TID251
