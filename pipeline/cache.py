"""The incremental cache: a page whose bytes, place, settings and tool are unchanged is not redone.

A key hashes the page bytes, the page's path, relative path and URL, the settings, and a
fingerprint of the tool: its version and every code and data file it reads, which pins the
schema.org vocabulary release too. Entries are small JSON files, one per key, written atomically,
so parallel workers and concurrent runs never see half an entry.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

from pipeline.api import convert_many, page_url_for, read_page_bytes
from pipeline.emit.files import write_atomic
from pipeline.errors import InputError
from pipeline.model import Finding, Report, Severity, sorted_report

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping

    from pipeline.emit.preview import PreviewPage
    from pipeline.model import Failure, JsonObject, JsonValue, Result, Source
    from pipeline.settings import Settings

CACHE_DIR_NAME: Final = ".schemapress-cache"
# Bumped when the entry layout changes, so old entries are never misread.
_LAYOUT: Final = "1"
_FINGERPRINT_SUFFIXES: Final = frozenset({".py", ".toml", ".json"})
# Written into the cache folder so that git and backup tools leave it alone.
_FOLDER_FILES: Final = {
    ".gitignore": b"# written by schemapress\n*\n",
    "CACHEDIR.TAG": b"Signature: 8a477f597d28d172789f06886806bc55\n"
    b"# This folder is the schemapress cache; it can be deleted at any time.\n",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class CachedPage:
    """A converted page whose outputs on disk already hold what converting it again would write."""

    source: Source
    row: JsonObject
    report: Report
    preview: PreviewPage | None = None

    @property
    def status(self) -> Literal["ok", "invalid"]:
        """As for `Result`: `invalid` when validation found errors."""
        return "invalid" if self.report.errors else "ok"


@dataclass(frozen=True, slots=True, kw_only=True)
class CachedBlock:
    """The block `inject` made for a page, and what it reported."""

    block: str
    report: Report


class Cache:
    """Entries in one folder; a `read_only` cache (for `--check`) looks up but never stores.

    With `preview`, a page entry is a hit only if it also holds the page's preview summary.
    """

    def __init__(self, folder: Path, *, read_only: bool = False, preview: bool = False) -> None:
        self.folder = folder
        self.read_only = read_only
        self.preview = preview
        self._keys: dict[str, str] = {}

    def key(self, kind: str, data: bytes, parts: Iterable[str]) -> str:
        """Hash the page bytes with everything else the result depends on."""
        digest = hashlib.sha256()
        for part in (_LAYOUT, kind, tool_fingerprint(), *parts):
            encoded = part.encode("utf-8", "surrogatepass")
            digest.update(f"{len(encoded)}:".encode() + encoded)
        digest.update(data)
        return digest.hexdigest()

    def lookup_page(self, source: Source, data: bytes, settings: Settings) -> CachedPage | None:
        """Return the page's cached row if every output it names is on disk unchanged."""
        key = self.key("convert", data, (*_source_parts(source), repr(settings)))
        self._keys[source.path] = key
        entry = self._load(key)
        if entry is None:
            return None
        outputs = entry.get("outputs")
        if not isinstance(outputs, dict) or not all(
            isinstance(digest, str) and _file_digest(Path(path)) == digest
            for path, digest in outputs.items()
        ):
            return None
        row, report = entry.get("row"), _report(entry)
        preview = _preview(entry.get("preview"))
        if not isinstance(row, dict) or report is None or (self.preview and preview is None):
            return None
        return CachedPage(source=source, row=row, report=report, preview=preview)

    def record_page(self, page: CachedPage, outputs: Mapping[str, bytes]) -> None:
        """Store a converted page's row and the digests of the files written for it."""
        key = self._keys.get(page.source.path)
        if key is None:
            return
        entry: JsonObject = {
            "row": page.row,
            "outputs": {path: _digest(data) for path, data in outputs.items()},
            **_report_json(page.report),
        }
        if page.preview is not None:
            entry["preview"] = _preview_json(page.preview)
        self._store(key, entry)

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
        if not (self.folder / "CACHEDIR.TAG").exists():
            for name, content in _FOLDER_FILES.items():
                write_atomic(self.folder / name, content)
        text = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
        write_atomic(self._path(key), text.encode("utf-8"))


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
    found on disk unchanged. Items still come back in input order.
    """
    pages = [replace(s, url=s.url or page_url_for(s, settings.site.base_url)) for s in sources]
    hits = [_cached_page(cache, source, settings) for source in pages]
    misses = (source for source, hit in zip(pages, hits, strict=True) if hit is None)
    converted = convert_many(misses, settings, jobs=jobs, stdin=stdin)
    for hit in hits:
        yield hit or next(converted)


def _cached_page(cache: Cache, source: Source, settings: Settings) -> CachedPage | None:
    if source.path == "-":
        return None
    try:
        data = read_page_bytes(Path(source.path))
    except InputError:
        return None
    return cache.lookup_page(source, data, settings)
