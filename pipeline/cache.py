"""The incremental cache: a page whose bytes, place, settings and tool are unchanged is not redone.

A key hashes the page bytes, the page's path, relative path and URL, the settings, and a
fingerprint of the tool: its version and every code and data file it reads, which pins the
schema.org vocabulary release too. `convert` keeps one index per output folder, read once and
replaced atomically by the run's parent process at the end, so an unchanged rerun opens one cache
file. `inject` and the MkDocs plugin store one small JSON file per key, which a worker can write.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import stat
import zlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

from pipeline.api import convert_many, page_url_for
from pipeline.emit.files import write_atomic
from pipeline.model import Finding, Report, Severity, sorted_report

if TYPE_CHECKING:
    from _hashlib import HASH
    from collections.abc import Iterable, Iterator, Mapping, Sequence

    from pipeline.emit.preview import PreviewPage
    from pipeline.model import Failure, JsonObject, JsonValue, Result, Source
    from pipeline.settings import Settings

CACHE_DIR_NAME: Final = ".schemapress-cache"
# Bumped when the entry or index layout changes, so old entries are never misread.
_LAYOUT: Final = "2"
_INDEX_MAGIC: Final = b"schemapress-index"
# The preview's template, style and script count too: a rerun may reuse the page they made.
_FINGERPRINT_SUFFIXES: Final = frozenset({".py", ".toml", ".json", ".html", ".css", ".js"})
# Written into the cache folder so that git and backup tools leave it alone.
_FOLDER_FILES: Final = {
    ".gitignore": b"# written by schemapress\n*\n",
    "CACHEDIR.TAG": b"Signature: 8a477f597d28d172789f06886806bc55\n"
    b"# This folder is the schemapress cache; it can be deleted at any time.\n",
}
# Opening a FIFO for reading would wait for a writer; non-blocking, it opens and fails the check.
_OPEN_FLAGS: Final = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
# Page and aside entries are JSON lists; these name their fields.
_KEY, _OUTPUTS, _FINDINGS, _CHECKED, _OFFSET, _LENGTH, _HAS_PREVIEW = range(7)
_PATH, _SIZE, _MTIME, _CTIME, _DIGEST, _STATE = range(6)


@dataclass(frozen=True, slots=True, kw_only=True)
class CachedPage:
    """A converted page whose outputs on disk already hold what converting it again would write.

    `report` holds the findings that decide a run, its errors and warnings; the row holds all of
    them. The row and preview summary are kept compressed and decoded only when asked for, since
    a rerun that rewrites neither report.json nor the preview never needs them.
    """

    source: Source
    report: Report
    body: bytes = dataclasses.field(repr=False)
    key: str = ""
    outputs: tuple[str, ...] = ()

    @classmethod
    def from_row(
        cls, *, source: Source, row: JsonObject, report: Report, preview: PreviewPage | None
    ) -> CachedPage:
        """Pack a freshly converted page's report row and preview summary for the index."""
        body: JsonObject = {"row": row, "preview": _preview_json(preview) if preview else None}
        text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
        outputs = row.get("outputs")
        paths = tuple(str(p) for p in outputs.values()) if isinstance(outputs, dict) else ()
        return cls(
            source=source, report=report, body=zlib.compress(text.encode(), 1), outputs=paths
        )

    @property
    def row(self) -> JsonObject:
        """The page's report.json row."""
        row: JsonObject = self._body()["row"]
        return row

    @property
    def preview(self) -> PreviewPage | None:
        """The page's preview summary, if the run that stored it wrote a preview."""
        return _preview(self._body().get("preview"))

    @property
    def status(self) -> Literal["ok", "invalid"]:
        """As for `Result`: `invalid` when validation found errors."""
        return "invalid" if self.report.errors else "ok"

    def _body(self) -> dict[str, Any]:
        body: dict[str, Any] = json.loads(zlib.decompress(self.body))
        return body


@dataclass(frozen=True, slots=True, kw_only=True)
class CachedBlock:
    """The block `inject` made for a page, and what it reported."""

    block: str
    report: Report


@dataclass(slots=True, kw_only=True)
class _Index:
    """One output folder's pages and aside files (report, preview) as the last run left them.

    A stamp whose times are not older than the index file itself is "racy" (the git term): the
    file may have changed within the clock tick it was stamped in, so it is re-hashed.
    """

    path: Path
    pages: dict[str, list[Any]] = dataclasses.field(default_factory=dict)
    files: dict[str, list[Any]] = dataclasses.field(default_factory=dict)
    findings: list[list[Any]] = dataclasses.field(default_factory=list)
    bodies: bytes | memoryview = b""
    fresh: dict[str, bytes] = dataclasses.field(default_factory=dict)
    trusted_before: int = 0
    dirty: bool = False


class Cache:
    """Entries in one folder; a `read_only` cache (for `--check`) looks up but never stores.

    With `preview`, a page entry is a hit only if it also holds the page's preview summary.
    Page entries are kept in memory until `save`.
    """

    def __init__(self, folder: Path, *, read_only: bool = False, preview: bool = False) -> None:
        self.folder = folder
        self.read_only = read_only
        self.preview = preview
        self._keys: dict[str, str] = {}
        self._index: _Index | None = None
        self._settings: tuple[Settings, HASH] | None = None

    def key(self, kind: str, data: bytes, parts: Iterable[str]) -> str:
        """Hash the page bytes with everything else the result depends on."""
        digest = hashlib.sha256()
        _frame(digest, (_LAYOUT, kind, tool_fingerprint(), *parts))
        digest.update(data)
        return digest.hexdigest()

    def lookup_page(self, source: Source, data: bytes, settings: Settings) -> CachedPage | None:
        """Return the page's cached entry if every output it names is on disk unchanged."""
        digest = self._settings_digest(settings).copy()
        _frame(digest, _source_parts(source))
        digest.update(data)
        key = digest.hexdigest()
        self._keys[source.path] = key
        index = self._load_index(settings)
        entry = index.pages.get(source.path)
        try:
            if entry is None or entry[_KEY] != key or (self.preview and not entry[_HAS_PREVIEW]):
                return None
            if not all(_is_intact(index, stamp) for stamp in entry[_OUTPUTS]):
                return None
            findings = tuple(_finding(index.findings[ref], source.path) for ref in entry[_FINDINGS])
            start = entry[_OFFSET]
            return CachedPage(
                source=source,
                key=key,
                report=Report(findings=findings, checked_nodes=entry[_CHECKED]),
                outputs=tuple(stamp[_PATH] for stamp in entry[_OUTPUTS]),
                body=bytes(index.bodies[start : start + entry[_LENGTH]]),
            )
        except (TypeError, IndexError, KeyError, ValueError):
            return None

    def record_page(self, page: CachedPage, outputs: Mapping[str, bytes]) -> str | None:
        """Note a converted page's entry and its written files; return its key, None if unkeyed."""
        key = self._keys.get(page.source.path)
        index = self._index
        if key is None or index is None:
            return None
        stamps = [_stamp(path, data) for path, data in outputs.items()]
        if any(stamp is None for stamp in stamps):
            return None
        refs = [len(index.findings) + n for n in range(len(_counted(page.report)))]
        index.findings.extend(_finding_json(f, page.source.path) for f in _counted(page.report))
        index.pages[page.source.path] = [
            key,
            stamps,
            refs,
            page.report.checked_nodes,
            0,
            0,
            page.preview is not None,
        ]
        index.fresh[page.source.path] = page.body
        index.dirty = True
        return key

    def lookup_file(self, path: Path, state: str) -> bool:
        """Whether a run-wide file (report, preview) on disk was written for this `state`."""
        index = self._index
        entry = index.files.get(path.as_posix()) if index else None
        try:
            return (
                index is not None
                and entry is not None
                and entry[_STATE] == state
                and (_is_intact(index, entry))
            )
        except (TypeError, IndexError, ValueError):
            return False

    def record_file(self, path: Path, state: str, data: bytes) -> None:
        """Note a run-wide file just written with `data` for `state`."""
        stamp = _stamp(path.as_posix(), data)
        if self._index is not None and stamp is not None:
            self._index.files[path.as_posix()] = [*stamp, state]
            self._index.dirty = True

    def save(self) -> None:
        """Replace the index if this run changed it; of two overlapping runs, the last one wins."""
        index = self._index
        if self.read_only or index is None or not index.dirty:
            return
        table: dict[str, int] = {}
        pages: dict[str, list[Any]] = {}
        bodies: list[bytes | memoryview] = []
        offset = 0
        for path, entry in index.pages.items():
            start = entry[_OFFSET]
            body = index.fresh.get(path) or index.bodies[start : start + entry[_LENGTH]]
            refs = [_intern(table, index.findings[ref]) for ref in entry[_FINDINGS]]
            pages[path] = [
                entry[_KEY],
                entry[_OUTPUTS],
                refs,
                entry[_CHECKED],
                offset,
                len(body),
                entry[_HAS_PREVIEW],
            ]
            bodies.append(body)
            offset += len(body)
        meta = {
            "findings": [json.loads(text) for text in table],
            "pages": pages,
            "files": index.files,
        }
        self._write_folder_files()
        write_atomic(index.path, _pack(json.dumps(meta, separators=(",", ":")).encode(), bodies))

    def lookup_block(self, key: str) -> CachedBlock | None:
        """Return the block stored for an inject key."""
        entry = self._load(key) or {}
        block, report = entry.get("block"), _report(entry)
        if not isinstance(block, str) or report is None:
            return None
        return CachedBlock(block=block, report=report)

    def record_block(self, key: str, block: str, report: Report) -> None:
        """Store the block made for an inject key."""
        self._store(key, {"block": block, **_report_json(report)})

    def _settings_digest(self, settings: Settings) -> HASH:
        """The key hashed as far as the parts every page of a run shares, worked out once."""
        if self._settings is None or self._settings[0] is not settings:
            digest = hashlib.sha256()
            _frame(digest, (_LAYOUT, "convert", tool_fingerprint(), repr(settings)))
            self._settings = (settings, digest)
        return self._settings[1]

    def _load_index(self, settings: Settings) -> _Index:
        if self._index is None:
            name = _digest(settings.output.out_dir.encode("utf-8", "surrogatepass"))[:16]
            self._index = _read_index(self.folder / f"convert-{name}.index")
        return self._index

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key[2:]}.json"

    def _load(self, key: str) -> dict[str, Any] | None:
        try:
            entry = json.loads(self._path(key).read_bytes())
        except (OSError, ValueError):
            return None
        return entry if isinstance(entry, dict) else None

    def _store(self, key: str, entry: JsonObject) -> None:
        if self.read_only:
            return
        self._write_folder_files()
        text = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
        write_atomic(self._path(key), text.encode("utf-8"))

    def _write_folder_files(self) -> None:
        if not (self.folder / "CACHEDIR.TAG").exists():
            for name, content in _FOLDER_FILES.items():
                write_atomic(self.folder / name, content)


def _frame(digest: HASH, parts: Iterable[str]) -> None:
    """Feed each part with its length first, so that shifted boundaries give other keys."""
    for part in parts:
        encoded = part.encode("utf-8", "surrogatepass")
        digest.update(b"%d:%s" % (len(encoded), encoded))


def run_state(keys: Sequence[str], *parts: str) -> str:
    """Name what a run-wide file was made from: the pages' keys in order, and `parts`."""
    digest = hashlib.sha256()
    for part in (*parts, *keys):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()


def _pack(meta: bytes, bodies: Sequence[bytes | memoryview]) -> bytes:
    """The index file: a header line with the meta length and a checksum, the meta, the bodies."""
    checksum = zlib.crc32(meta)
    for body in bodies:
        checksum = zlib.crc32(body, checksum)
    header = b"%s %s %d %d\n" % (_INDEX_MAGIC, _LAYOUT.encode(), len(meta), checksum)
    return b"".join((header, meta, *bodies))


def _read_index(path: Path) -> _Index:
    """Load an index; one that is missing, cut short, corrupt or of another layout is empty."""
    empty = _Index(path=path)
    try:
        with path.open("rb") as stream:
            data = memoryview(stream.read())
            written = os.fstat(stream.fileno())
    except OSError:
        return empty
    end = bytes(data[:128]).find(b"\n")
    fields = bytes(data[:end]).split(b" ")
    if end < 0 or len(fields) != 4 or fields[:2] != [_INDEX_MAGIC, _LAYOUT.encode()]:  # noqa: PLR2004
        return empty
    try:
        meta_end = end + 1 + int(fields[2])
        if zlib.crc32(data[end + 1 :]) != int(fields[3]) or meta_end > len(data):
            return empty
        meta = json.loads(bytes(data[end + 1 : meta_end]))
        pages, files, findings = meta["pages"], meta["files"], meta["findings"]
    except (ValueError, KeyError, TypeError):
        return empty
    if not (isinstance(pages, dict) and isinstance(files, dict) and isinstance(findings, list)):
        return empty
    return _Index(
        path=path,
        pages=pages,
        files=files,
        findings=findings,
        bodies=data[meta_end:],
        trusted_before=min(written.st_mtime_ns, written.st_ctime_ns),
    )


def _is_intact(index: _Index, stamp: list[Any]) -> bool:
    """Whether a file still holds what its stamp says: by size and times, else by its digest.

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
    if times == stamp[_MTIME : _CTIME + 1] and max(times) < index.trusted_before:
        return True
    if _file_digest(Path(stamp[_PATH])) != stamp[_DIGEST]:
        return False
    if times != stamp[_MTIME : _CTIME + 1]:
        stamp[_MTIME : _CTIME + 1] = times
        index.dirty = True
    return True


def _stamp(path: str, data: bytes) -> list[Any] | None:
    """Size, modification and change times and digest of a file just written with `data`."""
    try:
        now = os.stat(path)  # noqa: PTH116
    except OSError:
        return None
    return [path, now.st_size, now.st_mtime_ns, now.st_ctime_ns, _digest(data)]


def _counted(report: Report) -> tuple[Finding, ...]:
    return tuple(f for f in report.findings if f.severity is not Severity.INFO)


def _finding_json(finding: Finding, page: str) -> list[Any]:
    """A finding as a list; its source is 0 when it is the page itself, which most are."""
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
    """The finding's place in the index's table; pages that share a finding share one row."""
    return table.setdefault(json.dumps(item, separators=(",", ":")), len(table))


@functools.cache
def tool_fingerprint() -> str:
    """Hash the tool version and every code, profile, schema and vocabulary file it reads.

    A release pins these, but an editable install changes them without a new version, and a stale
    cache there would hide the change being worked on.
    """
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

    package = Path(__file__).resolve().parent
    try:
        digest = hashlib.sha256(version("schemapress").encode())
    except PackageNotFoundError:
        digest = hashlib.sha256(b"0+unknown")
    for folder in (package, package.parent / "schemas"):
        for path in sorted(folder.rglob("*")):
            if path.suffix in _FINGERPRINT_SUFFIXES and "__pycache__" not in path.parts:
                digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _source_parts(source: Source) -> tuple[str, ...]:
    return (source.path, source.relative, source.url or "", source.media or "")


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_digest(path: Path) -> str | None:
    try:
        return _digest(path.read_bytes())
    except OSError:
        return None


def _findings_json(findings: Iterable[Finding]) -> list[JsonValue]:
    return [
        {
            "rule": f.rule,
            "severity": f.severity.value,
            "message": f.message,
            "path": list(f.path),
            "node_id": f.node_id,
            "line": f.line,
            "hint": f.hint,
            "source": f.source,
        }
        for f in findings
    ]


def _report_json(report: Report) -> JsonObject:
    return {"findings": _findings_json(report.findings), "checked_nodes": report.checked_nodes}


def _report(entry: Mapping[str, Any]) -> Report | None:
    """Rebuild a stored report; None when the entry is not one `_report_json` wrote."""
    findings, checked = _findings(entry.get("findings")), entry.get("checked_nodes")
    if findings is None or not isinstance(checked, int):
        return None
    return sorted_report(findings, checked_nodes=checked)


def _findings(data: object) -> tuple[Finding, ...] | None:
    if not isinstance(data, list):
        return None
    try:
        return tuple(
            Finding(
                rule=str(item["rule"]),
                severity=Severity(item["severity"]),
                message=str(item["message"]),
                path=tuple(item["path"]),
                node_id=item["node_id"],
                line=item["line"],
                hint=item["hint"],
                source=item["source"],
            )
            for item in data
        )
    except (KeyError, TypeError, ValueError):
        return None


def _preview_json(page: PreviewPage) -> JsonObject:
    entry = {f.name: getattr(page, f.name) for f in dataclasses.fields(page)}
    entry["findings"] = _findings_json(page.findings)
    entry["snippets"] = [dataclasses.asdict(snippet) for snippet in page.snippets]
    entry["rows"] = [dataclasses.asdict(row) for row in page.rows]
    return entry


def _preview(data: object) -> PreviewPage | None:
    """Rebuild a stored preview summary; None if absent or written by another layout."""
    from pipeline.emit.graph_table import GraphRow  # noqa: PLC0415
    from pipeline.emit.preview import PreviewPage, PreviewSnippet  # noqa: PLC0415

    if not isinstance(data, dict):
        return None
    findings = _findings(data.get("findings"))
    if findings is None:
        return None
    try:
        return PreviewPage(
            **{
                **data,
                "findings": findings,
                "snippets": tuple(PreviewSnippet(**item) for item in data["snippets"]),
                "rows": tuple(GraphRow(**item) for item in data["rows"]),
            }
        )
    except (KeyError, TypeError):
        return None


def convert_cached(
    sources: Iterable[Source],
    settings: Settings,
    cache: Cache,
    *,
    jobs: int = 1,
    stdin: bytes | None = None,
) -> Iterator[Result | Failure | CachedPage]:
    """`convert_many` that first looks each page up in the cache and converts only the misses.

    A hit runs no stage at all: its report row comes from the cache once the outputs it names are
    found on disk unchanged. Every page is looked up before the first miss is converted, so a run
    of hits starts no worker process. Items still come back in input order.
    """
    base_url = settings.site.base_url
    pages = [
        s if s.url or not base_url else replace(s, url=page_url_for(s, base_url)) for s in sources
    ]
    limit = settings.limits.max_page_bytes
    hits = [_cached_page(cache, source, settings, limit) for source in pages]
    misses = [source for source, hit in zip(pages, hits, strict=True) if hit is None]
    converted = convert_many(misses, settings, jobs=jobs, stdin=stdin)
    for hit in hits:
        yield hit or next(converted)


def _cached_page(cache: Cache, source: Source, settings: Settings, limit: int) -> CachedPage | None:
    if source.path == "-":
        return None
    data = _read_page(source.path, limit)
    return None if data is None else cache.lookup_page(source, data, settings)


def _read_page(path: str, limit: int) -> bytes | None:
    """A regular file's bytes, read without a file object; None for what the pipeline refuses."""
    try:
        handle = os.open(path, _OPEN_FLAGS)
    except OSError:
        return None
    try:
        found = os.fstat(handle)
        if not stat.S_ISREG(found.st_mode) or found.st_size > limit:
            return None
        chunks = []
        while chunk := os.read(handle, found.st_size + 1):
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(handle)
