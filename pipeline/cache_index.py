"""The `convert` cache index: one file per output folder, read once and written once per run.

The file is a header line (format, meta length, CRC-32 of the rest), a JSON meta part with each
page's key, its outputs' stamps and the findings that decide a run, then each page's report row
and preview summary, compressed, read only when report.json or the preview is rebuilt. A run
keeps the file it read open and parses an entry only when it needs it, the pages it adds wait in a
temporary file, and the new index is written in parts: memory does not grow with the batch.
"""

from __future__ import annotations

import array
import hashlib
import itertools
import json
import os
import tempfile
import weakref
import zlib
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any, Final

from pipeline.cache_rows import finding_from_row, finding_row, intern_row
from pipeline.model import Report, Severity

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from pathlib import Path

# Bumped when the file layout changes; a file of another format is read as empty.
_FORMAT: Final = b"schemapress-index 1"
# A page entry and a stamp are JSON lists; these name their fields.
_KEY, _OUTPUTS, _FINDINGS, _CHECKED, _OFFSET, _LENGTH, _HAS_PREVIEW = range(7)
# A page a run adds keeps its findings in its entry, and its path after the fields above.
_PAGE = 7
_PATH, _SIZE, _MTIME, _CTIME, _DIGEST, _STATE = range(6)
# Rows of the findings table kept decoded; a site's pages share a few hundred findings at most.
_KEPT_FINDINGS: Final = 1024
# Bytes read at a time when copying or hashing a file.
_CHUNK: Final = 1 << 16


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
    stamp that differs is settled by the file's digest. The file read stays open and its entries
    on disk, memory holding only where each page's entry sits; the pages a run adds wait in a
    temporary file. So neither a rerun nor a first run grows memory with the batch.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.dirty = False
        # The file read, its pages in order (each to its place in `_entry_spans`), and where each
        # entry and each row of the findings table start and end in it.
        self._stored: IO[bytes] | None = None
        self._old: dict[str, int] = {}
        self._entry_spans = array.array("Q")
        self._finding_spans = array.array("Q")
        self._bodies_at = 0
        self._finding_rows: dict[int, list[Any]] = {}
        # Pages of the file this run changed: an entry with fresh stamps, or a record it added
        # (where it starts in `_added`). A page new to the index is found by the hash of its path,
        # which costs a third of the path itself, since its record holds the path.
        self._changed: dict[str, list[Any] | int] = {}
        self._new: dict[int, int] = {}
        self._added: IO[bytes] | None = None
        self._files: dict[str, list[Any]] = {}
        self._refreshed = 0
        self._trusted_before = 0

    @classmethod
    def read(cls, path: Path) -> PageIndex:
        """Load an index; one that is missing, cut short, corrupt or of another format is empty."""
        index = cls(path)
        try:
            stream = path.open("rb")
        except OSError:
            return index
        try:
            index._load(stream)
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            stream.close()
            return cls(path)
        weakref.finalize(index, stream.close)
        return index

    def _load(self, stream: IO[bytes]) -> None:
        """Check the whole file against its header, then note where its parts are."""
        head = stream.readline(128)
        form, length, checksum = head[:-1].rsplit(b" ", 2)
        meta = stream.read(int(length))
        crc = zlib.crc32(meta)
        while chunk := stream.read(_CHUNK):
            crc = zlib.crc32(chunk, crc)
        whole = head.endswith(b"\n") and len(meta) == int(length) >= 0
        if form != _FORMAT or not whole or crc != int(checksum):
            raise ValueError(self.path)
        self._scan(meta.decode("ascii"), len(head))
        written = os.fstat(stream.fileno())
        self._stored, self._bodies_at = stream, len(head) + len(meta)
        self._trusted_before = min(written.st_mtime_ns, written.st_ctime_ns)

    def vouches(self, page: str, key: str, *, preview: bool) -> bool:
        """Whether the page has an entry with this key (and a preview, if asked) and intact outputs.

        Only the entry is parsed: its findings and packed body wait for `find`.
        """
        try:
            entry = self._meta(page)
            if entry is None or entry[_KEY] != key or (preview and not entry[_HAS_PREVIEW]):
                return False
            refreshed = self._refreshed
            if not all(self._is_intact(stamp) for stamp in entry[_OUTPUTS]):
                return False
            if self._refreshed != refreshed and page in self._old:
                self._changed.setdefault(page, entry)  # its fresh stamps, kept until saved
        except (OSError, TypeError, IndexError, KeyError, ValueError):
            return False
        return True

    def find(self, page: str, key: str) -> IndexedPage | None:
        """The page's entry if it has this key; its outputs are as `vouches` found them."""
        try:
            found = self._entry(page)
            if found is None or found[0][_KEY] != key:
                return None
            entry, findings, body = found
            return IndexedPage(
                report=Report(
                    findings=tuple(finding_from_row(item, page) for item in findings),
                    checked_nodes=entry[_CHECKED],
                ),
                body=body,
                outputs=tuple(stamp[_PATH] for stamp in entry[_OUTPUTS]),
                has_preview=bool(entry[_HAS_PREVIEW]),
            )
        except (OSError, TypeError, IndexError, KeyError, ValueError):
            return None

    def add(
        self, page: str, key: str, entry: IndexedPage, written: Iterable[tuple[str, str]]
    ) -> bool:
        """Enter a page converted now with the files just written for it, each with its SHA-256.

        False if one of them is gone already.
        """
        stamps = [_stamp(path, digest) for path, digest in written]
        if any(stamp is None for stamp in stamps):
            return False
        counted = [
            finding_row(f, page) for f in entry.report.findings if f.severity is not Severity.INFO
        ]
        meta = [key, stamps, counted, entry.report.checked_nodes, 0, len(entry.body)]
        meta += [entry.has_preview, page]
        if self._added is None:
            self._added = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the index
        start = self._added.seek(0, os.SEEK_END)
        packed = _dumps(meta)
        self._added.write(len(packed).to_bytes(4, "big") + packed + entry.body)
        earlier = self._new.get(hash(page))
        if (
            page in self._old
            or page in self._changed
            or (earlier is not None and self._record(earlier)[0][_PAGE] != page)
        ):
            self._changed[page] = start  # in the file, or another path with the same hash
        else:
            self._new[hash(page)] = start
        self.dirty = True
        return True

    def is_current(self, path: str, state: str) -> bool:
        """Whether a run-wide file was written for this `state` and is unchanged since."""
        entry = self._files.get(path)
        try:
            return entry is not None and entry[_STATE] == state and self._is_intact(entry)
        except (TypeError, IndexError, ValueError):
            return False

    def add_file(self, path: str, state: str, digest: str) -> None:
        """Enter a run-wide file just written for `state`, whose bytes have this SHA-256."""
        stamp = _stamp(path, digest)
        if stamp is not None:
            self._files[path] = [*stamp, state]
            self.dirty = True

    def parts(self) -> Iterator[bytes]:
        """The whole file in parts; pages that share a finding share one row of its findings table.

        The findings table, the pages' meta entries and their bodies are staged in temporary files,
        since the checksum in front of them is known only once every page has been seen; the file
        read is closed then, so the index can no longer find its pages.
        """
        places: dict[bytes, int] = {}
        with (
            tempfile.TemporaryFile() as table,
            tempfile.TemporaryFile() as pages,
            tempfile.TemporaryFile() as bodies,
        ):
            offset = 0
            for page, (entry, findings, body) in self._entries():
                refs = [intern_row(places, table, item) for item in findings]
                row = [entry[_KEY], entry[_OUTPUTS], refs, entry[_CHECKED], offset, len(body)]
                row.append(entry[_HAS_PREVIEW])
                pages.write((b"," if pages.tell() else b"") + _dumps(page) + b":" + _dumps(row))
                bodies.write(body)
                offset += len(body)
            head, middle = b'{"findings":[', b'],"pages":{'
            tail = b'},"files":' + _dumps(self._files) + b"}"
            length = len(head) + table.tell() + len(middle) + pages.tell() + len(tail)
            checksum = 0
            for part in _staged(head, table, middle, pages, tail, bodies):
                checksum = zlib.crc32(part, checksum)
            if self._stored is not None:
                self._stored.close()  # copied: the new file may take its place, on Windows too
                self._stored = None
            yield b"%s %d %d\n" % (_FORMAT, length, checksum)
            yield from _staged(head, table, middle, pages, tail, bodies)

    def _meta(self, page: str) -> list[Any] | None:
        """A page's meta entry, wherever it is, without its findings or body."""
        changed = self._changed.get(page)
        if isinstance(changed, list):
            return changed
        if changed is None and page in self._old:
            entry: list[Any] = self._stored_json(self._entry_spans, self._old[page])
            return entry
        found = self._entry(page)
        return None if found is None else found[0]

    def _entry(self, page: str) -> tuple[list[Any], list[list[Any]], bytes] | None:
        """A page's meta entry, the findings it names and its packed body, wherever they are."""
        changed = self._changed.get(page)
        if changed is None and page not in self._old:
            start = self._new.get(hash(page))
            if start is None:
                return None
            meta, body = self._record(start)
            return (meta, meta[_FINDINGS], body) if meta[_PAGE] == page else None
        if isinstance(changed, int):
            meta, body = self._record(changed)
            return meta, meta[_FINDINGS], body
        entry = changed or self._stored_json(self._entry_spans, self._old[page])
        findings = [self._stored_finding(ref) for ref in entry[_FINDINGS]]
        return entry, findings, self._read_stored(self._bodies_at + entry[_OFFSET], entry[_LENGTH])

    def _stored_finding(self, ref: int) -> list[Any]:
        """A row of the findings table; rows are shared by many pages, so the last few are kept."""
        row = self._finding_rows.get(ref)
        if row is None:
            if len(self._finding_rows) >= _KEPT_FINDINGS:
                self._finding_rows.clear()
            row = self._finding_rows[ref] = self._stored_json(self._finding_spans, ref)
        return row

    def _entries(self) -> Iterator[tuple[str, tuple[list[Any], list[list[Any]], bytes]]]:
        """Every page in index order, as `_entry` gives it: those from the file, then new ones."""
        for page in itertools.chain(self._old, (p for p in self._changed if p not in self._old)):
            found = self._entry(page)
            if found is not None:
                yield page, found
        for start in self._new.values():
            meta, body = self._record(start)
            yield meta[_PAGE], (meta, meta[_FINDINGS], body)

    def _scan(self, text: str, base: int) -> None:
        """Note where each row of the findings table and each page's entry sit in the file read.

        The meta part is ours, written compactly in one order (findings, pages, files); each part
        is parsed once here to check it, and again only when it is needed.
        """
        decode = json.JSONDecoder().raw_decode
        position = _after(text, 0, '{"findings":[')
        while text[position] != "]":
            end = decode(text, position)[1]
            self._finding_spans.extend((base + position, base + end))
            position = _after(text, end, ",", optional=True)
        position = _after(text, position, '],"pages":{')
        while text[position] != "}":
            page, position = decode(text, position)
            start = _after(text, position, ":")
            entry, end = decode(text, start)
            if not isinstance(page, str) or not isinstance(entry, list):
                raise TypeError(page)
            self._old[page] = len(self._entry_spans) // 2
            self._entry_spans.extend((base + start, base + end))
            position = _after(text, end, ",", optional=True)
        files, end = decode(text, _after(text, position, '},"files":'))
        if not isinstance(files, dict) or text[end:] != "}":
            raise TypeError(files)
        self._files = files

    def _stored_json(self, spans: array.array[int], number: int) -> Any:  # noqa: ANN401 - JSON
        """The JSON value at one of the spans of the file read."""
        start, end = spans[2 * number], spans[2 * number + 1]
        return json.loads(self._read_stored(start, end - start))

    def _read_stored(self, start: int, length: int) -> bytes:
        if self._stored is None:
            raise KeyError(start)
        self._stored.seek(start)
        data = self._stored.read(length)
        if len(data) != length:
            raise ValueError(self.path)
        return data

    def _record(self, start: int) -> tuple[list[Any], bytes]:
        """The meta entry and body of a page this run added."""
        if self._added is None:
            raise KeyError(start)
        self._added.seek(start)
        length = int.from_bytes(self._added.read(4), "big")
        meta: list[Any] = json.loads(self._added.read(length))
        return meta, self._added.read(meta[_LENGTH])

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
            self._refreshed += 1
        return True


def file_digest(path: str) -> str | None:
    """The SHA-256 of a file's bytes, or None if it cannot be read; read a chunk at a time."""
    try:
        with open(path, "rb") as stream:  # noqa: PTH123 - a str path, as stored
            return hashlib.file_digest(stream, "sha256").hexdigest()
    except OSError:
        return None


def _stamp(path: str, digest: str) -> list[Any] | None:
    """Path, size, modification and change times, and digest of a file just written."""
    try:
        now = os.stat(path)  # noqa: PTH116
    except OSError:
        return None
    return [path, now.st_size, now.st_mtime_ns, now.st_ctime_ns, digest]


def _staged(*parts: bytes | IO[bytes]) -> Iterator[bytes]:
    """Bytes given as they are and staged files from their start, in order."""
    for part in parts:
        yield from (part,) if isinstance(part, bytes) else _read(part)


def _read(stream: IO[bytes]) -> Iterator[bytes]:
    """A staged file's bytes from its start, a chunk at a time."""
    stream.seek(0)
    while chunk := stream.read(_CHUNK):
        yield chunk


def _after(text: str, position: int, token: str, *, optional: bool = False) -> int:
    """Where `token` ends if `text` has it at `position`; else `position` if it is optional."""
    if text.startswith(token, position):
        return position + len(token)
    if optional:
        return position
    raise ValueError(token)


def _dumps(value: object) -> bytes:
    # ASCII, so that a path with undecodable bytes (lone surrogates) still encodes.
    return json.dumps(value, separators=(",", ":")).encode()  # noqa: TID251
