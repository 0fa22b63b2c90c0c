"""The incremental cache: a page whose bytes, place, settings and tool are unchanged is not redone.

A key hashes the page bytes, the page's path, relative path and URL, the settings, and a
fingerprint of the tool: its version and every code and data file it reads, which pins the
schema.org vocabulary release too. `convert` keeps one index per output folder, read once and
replaced atomically by the run's parent process at the end, so an unchanged rerun opens one cache
file. `inject` and the MkDocs plugin store one small JSON file per key, which a worker can write.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import itertools
import json
import os
import stat
import zlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

from pipeline.api import convert_each, page_url_for
from pipeline.cache_index import IndexedPage, PageIndex
from pipeline.emit.files import write_atomic, write_atomic_parts
from pipeline.emit.preview import (
    findings_from_json,
    findings_json,
    preview_from_json,
    preview_json,
)
from pipeline.emit.report import ReportRow, report_row
from pipeline.model import Report, Source, sorted_report
from pipeline.spool import Spool

if TYPE_CHECKING:
    from _hashlib import HASH
    from collections.abc import Callable, Iterable, Iterator, Mapping

    from pipeline.emit.preview import PreviewPage
    from pipeline.model import Failure, JsonObject, Result
    from pipeline.pool import Outcome
    from pipeline.settings import Settings

# Bumped when the entry or index layout changes, so old entries are never misread.
_LAYOUT: Final = "3"
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
    has_preview: bool = False

    @classmethod
    def from_row(
        cls, *, source: Source, row: JsonObject, report: Report, preview: PreviewPage | None
    ) -> CachedPage:
        """Pack a freshly converted page's report row and preview summary for the index."""
        outputs = row.get("outputs")
        paths = tuple(str(p) for p in outputs.values()) if isinstance(outputs, dict) else ()
        body = pack_page(row, preview)
        return cls(
            source=source, report=report, body=body, outputs=paths, has_preview=bool(preview)
        )

    @property
    def row(self) -> JsonObject:
        """The page's report.json row."""
        return page_row(self.body)

    @property
    def preview(self) -> PreviewPage | None:
        """The page's preview summary, if the run that stored it wrote a preview."""
        return page_preview(self.body)

    @property
    def status(self) -> Literal["ok", "invalid"]:
        """As for `Result`: `invalid` when validation found errors."""
        return "invalid" if self.report.errors else "ok"


def pack_page(row: JsonObject, preview: PreviewPage | None) -> bytes:
    """A page's report row, as the text report.json gives it, and preview summary, compressed."""
    body = [report_row(row), preview_json(preview) if preview else None]
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return zlib.compress(text.encode("utf-8", "surrogatepass"), 1)


def page_report_row(body: bytes) -> ReportRow:
    """The report row `pack_page` packed, as report.json holds it."""
    return ReportRow(*json.loads(zlib.decompress(body))[0])


def page_row(body: bytes) -> JsonObject:
    """The report row `pack_page` packed."""
    row: JsonObject = json.loads(page_report_row(body).text)
    return row


def page_preview(body: bytes, *, detail: bool = True) -> PreviewPage | None:
    """The preview summary `pack_page` packed, if there was one; `detail` as in `preview_entry`."""
    return preview_from_json(json.loads(zlib.decompress(body))[1], detail=detail)


@dataclass(frozen=True, slots=True, kw_only=True)
class CachedBlock:
    """The block `inject` made for a page, and what it reported."""

    block: str
    report: Report


class Cache:
    """Entries in one folder; a `read_only` cache (for `--check`) looks up but never stores.

    With `preview`, a page entry is a hit only if it also holds the page's preview summary.
    The pages a run records wait in a temporary file until `save`.
    """

    def __init__(self, folder: Path, *, read_only: bool = False, preview: bool = False) -> None:
        self.folder = folder
        self.read_only = read_only
        self.preview = preview
        self._keys: dict[str, str] = {}
        self._index: PageIndex | None = None
        self._settings: tuple[Settings, HASH] | None = None

    def key(self, kind: str, data: bytes, parts: Iterable[str]) -> str:
        """Hash the page bytes with everything else the result depends on."""
        digest = hashlib.sha256()
        _frame(digest, (_LAYOUT, kind, tool_fingerprint(), *parts))
        digest.update(data)
        return digest.hexdigest()

    def probe(self, source: Source, data: bytes, settings: Settings) -> tuple[str, bool]:
        """The page's key, and whether it has an entry whose outputs are on disk unchanged."""
        digest = self._settings_digest(settings).copy()
        _frame(digest, _source_parts(source))
        digest.update(data)
        key = digest.hexdigest()
        return key, self._load_index(settings).vouches(source.path, key, preview=self.preview)

    def recall_page(self, source: Source, key: str) -> CachedPage | None:
        """The entry `probe` vouched for a moment ago, taken without checking its outputs again."""
        if self._index is None:
            return None
        found = self._index.find(source.path, key)
        return None if found is None else _cached(source, key, found)

    @contextlib.contextmanager
    def expecting(self, path: str, key: str) -> Iterator[None]:
        """Let `record_page` find the key of a page converted now, while its result is handled."""
        self._keys[path] = key
        try:
            yield
        finally:
            self._keys.pop(path, None)

    def convert(
        self,
        sources: Iterable[Source],
        settings: Settings,
        finish: Callable[[Result | Failure, int], Outcome],
        *,
        jobs: int = 1,
        stdin: bytes | None = None,
    ) -> Iterator[Outcome | CachedPage]:
        """`convert_each` that first looks each page up here and converts only the misses.

        A hit runs no stage at all: its report row comes from the cache once the outputs it names
        are found on disk unchanged. Every page is looked up before the first miss is converted,
        so a run of hits starts no worker process. The pages then wait in a spool with their keys,
        and `sources` is let go, so the batch costs no memory; a hit is taken from the index again
        as its turn comes. Items still come back in input order.
        """
        base_url, limit = settings.site.base_url, settings.limits.max_page_bytes
        pages = Spool()  # each page's key and source, flagged if the cache vouches for it
        for source in sources:
            page = (
                source
                if source.url or not base_url
                else replace(source, url=page_url_for(source, base_url))
            )
            data = None if page.path == "-" else _read_page(page.path, limit)
            key, found = ("", False) if data is None else self.probe(page, data, settings)
            fields = [key, page.path, page.relative, page.url, page.media]
            pages.append(json.dumps(fields).encode(), flag=found)
        del sources  # the pages wait in the spool; a caller that let go of its list frees it here
        misses = (_page(record)[1] for hit, record in pages if not hit)
        converted = convert_each(misses, settings, finish, jobs=jobs, stdin=stdin)
        for hit, record in pages:
            key, page = _page(record)
            if hit:
                # Taken again, not kept since the lookup; converted after all should that fail.
                yield self.recall_page(page, key) or next(
                    convert_each([page], settings, finish, stdin=stdin)
                )
                continue
            with self.expecting(page.path, key):
                yield next(converted)

    def record_page(self, page: CachedPage, files: Iterable[tuple[str, str]]) -> str | None:
        """Note a converted page's entry and its written files, each with the SHA-256 of its bytes.

        Return the page's key; None if it has none, or a file is gone already.
        """
        key = self._keys.get(page.source.path)
        entry = IndexedPage(report=page.report, body=page.body, has_preview=page.has_preview)
        if (
            not key
            or self._index is None
            or not self._index.add(page.source.path, key, entry, files)
        ):
            return None
        return key

    def lookup_file(self, path: Path, state: str) -> bool:
        """Whether a run-wide file (report, preview) on disk was written for this `state`."""
        return self._index is not None and self._index.is_current(path.as_posix(), state)

    def record_file(self, path: Path, state: str, digest: str) -> None:
        """Note a run-wide file just written for `state`, whose bytes have this SHA-256."""
        if self._index is not None:
            self._index.add_file(path.as_posix(), state, digest)

    def save(self) -> None:
        """Replace the index if this run changed it; of two overlapping runs, the last one wins."""
        if self.read_only or self._index is None or not self._index.dirty:
            return
        self._write_folder_files()
        write_atomic_parts(self._index.path, self._index.parts())

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

    def _load_index(self, settings: Settings) -> PageIndex:
        if self._index is None:
            folder = settings.output.out_dir.encode("utf-8", "surrogatepass")
            name = hashlib.sha256(folder).hexdigest()[:16]
            self._index = PageIndex.read(self.folder / f"convert-{name}.index")
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
        # Not synced: an entry a power cut leaves short is not JSON, so `_load` misses it.
        write_atomic(self._path(key), text.encode("utf-8"), durable=False)

    def _write_folder_files(self) -> None:
        if not (self.folder / "CACHEDIR.TAG").exists():
            for name, content in _FOLDER_FILES.items():
                write_atomic(self.folder / name, content)


def _frame(digest: HASH, parts: Iterable[str]) -> None:
    """Feed each part with its length first, so that shifted boundaries give other keys."""
    for part in parts:
        encoded = part.encode("utf-8", "surrogatepass")
        digest.update(b"%d:%s" % (len(encoded), encoded))


def run_state(keys: Iterable[str], *parts: str) -> str:
    """Name what a run-wide file was made from: the pages' keys in order, and `parts`."""
    digest = hashlib.sha256()
    for part in itertools.chain(parts, keys):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()


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


def _report_json(report: Report) -> JsonObject:
    return {"findings": findings_json(report.findings), "checked_nodes": report.checked_nodes}


def _report(entry: Mapping[str, Any]) -> Report | None:
    """Rebuild a stored report; None when the entry is not one `_report_json` wrote."""
    findings, checked = findings_from_json(entry.get("findings")), entry.get("checked_nodes")
    if findings is None or not isinstance(checked, int):
        return None
    return sorted_report(findings, checked_nodes=checked)


def _page(record: bytes) -> tuple[str, Source]:
    """A spooled page's key ("" if it has none) and source."""
    key, path, relative, url, media = json.loads(record)
    return key, Source(path=path, relative=relative, url=url, media=media)


def _cached(source: Source, key: str, found: IndexedPage) -> CachedPage:
    return CachedPage(
        source=source,
        report=found.report,
        body=found.body,
        key=key,
        outputs=found.outputs,
        has_preview=found.has_preview,
    )


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
