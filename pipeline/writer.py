"""What the CLI does with a run's results: files, report rows, counts and one-line messages.

Messages go through the `echo` the CLI passes in (click's), so nothing here prints on its own.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Final, Protocol

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from pipeline.cache import Cache, CachedPage
    from pipeline.emit.outputs import PageOutput
    from pipeline.emit.preview import PreviewPage
    from pipeline.injector import InjectOutcome
    from pipeline.model import Failure, Result
    from pipeline.settings import Settings

EXIT_OK: Final = 0
EXIT_FINDINGS: Final = 1
# A cache key's bytes (SHA-256), kept raw for each page of a run.
_KEY_BYTES: Final = 32
# A spooled record's head: its length, and its flag.
_RECORD: Final = struct.Struct(">I?")


class Echo(Protocol):
    """click.echo's shape: a line to stdout, or to stderr with `err=True`."""

    def __call__(self, message: str, *, err: bool = False, nl: bool = True) -> object:
        """Show one message."""


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteMode:
    """Where a convert run's results go: stdout, or files (with a preview, or only compared)."""

    to_stdout: bool = False
    preview: bool = False
    check: bool = False


class Writer:
    """Writes each page's files as results arrive and spools its report row and preview summary.

    Nothing of a page stays in memory but its cache key: report.json and the preview are written
    at the end from the spool, so a batch of any size runs in the same memory.
    Under `check` nothing is written: each file that would change is echoed and counted.
    """

    def __init__(
        self, *, settings: Settings, mode: WriteMode, cache: Cache | None = None, echo: Echo
    ) -> None:
        self.settings = settings
        self.echo = echo
        self.to_stdout = mode.to_stdout
        self.check = mode.check
        self.preview = mode.preview
        self.cache = cache
        self.changed = 0
        self.counts = {"ok": 0, "invalid": 0, "failed": 0}
        self.errors = self.warnings = 0
        # Each page's report row and preview summary, packed; flagged if the preview lists it.
        self._pages = Spool()
        self._listed = 0  # pages in the preview so far; the first DETAIL_PAGES show details
        # OUT as `Path` writes it in front of a name inside it ("" for "."): a page's output paths
        # are this and their names, which are clean, so no `Path` is parsed to name them.
        self._out = (Path(settings.output.out_dir) / "_").as_posix()[:-1]
        # The preview is OUT/index.html unless a page's output took that name.
        self._index_html = f"{self._out}index.html"
        self._index_taken = False
        # Every page's cache key in order, while each page has one: with the same keys, the
        # report and preview written last time are what this run would write.
        self._keys: bytearray | None = bytearray() if cache is not None else None

    def add(self, item: Result | Failure | CachedPage) -> None:
        """Write (or compare) one page's files, echo its errors and spool its report row."""
        from pipeline.cache import CachedPage, pack_page  # noqa: PLC0415
        from pipeline.emit.report import page_entry  # noqa: PLC0415
        from pipeline.model import Failure  # noqa: PLC0415

        self.counts[item.status] += 1
        if isinstance(item, Failure):
            self.echo(f"error: {item.message}", err=True)
            self._keys = None
            body = pack_page(page_entry(item, {}), self._preview_of(item, ()))
            self._spool(body, listed=self.preview)
            return
        self.errors += len(item.report.errors)
        self.warnings += len(item.report.warnings)
        for finding in item.report.errors:
            self.echo(f"{item.source.path}: error: {finding.message} [{finding.rule}]", err=True)
        if isinstance(item, CachedPage):
            self._add_cached(item)
            return
        from pipeline.emit.outputs import page_outputs  # noqa: PLC0415

        files = page_outputs(item, self.settings.output)
        preview = None
        if self.to_stdout:
            for file in files:
                if file.is_snippet:
                    self.echo(file.data.decode("utf-8"), nl=False)
            outputs: dict[str, str] = {}
        else:
            try:
                outputs, named = self._write(item, files)
            except OSError as error:
                self._unwritten(item, error)
                return
            preview = self._preview_of(item, named)
        page = CachedPage.from_row(
            source=item.source, row=page_entry(item, outputs), report=item.report, preview=preview
        )
        self._spool(page.body, listed=preview is not None)
        if self.cache is not None and outputs:
            self._remember(page, {outputs[file.kind]: file.data for file in files})

    def _unwritten(self, result: Result, error: OSError) -> None:
        """Count a page whose files could not be written (disk full, no permission) as failed."""
        from pipeline.cache import pack_page  # noqa: PLC0415
        from pipeline.emit.report import page_entry  # noqa: PLC0415
        from pipeline.model import Failure  # noqa: PLC0415

        where = error.filename or self.settings.output.out_dir
        reason = error.strerror or str(error)
        message = f"{where}: cannot write the output of {result.source.path}: {reason}"
        self.counts[result.status] -= 1
        self.counts["failed"] += 1
        self.echo(f"error: {message}", err=True)
        self._keys = None
        failure = Failure(source=result.source, message=message, rule="output.unwritable")
        self._spool(pack_page(page_entry(failure, {}), None), listed=False)

    def _add_cached(self, page: CachedPage) -> None:
        """Count a page the cache vouches for: its outputs on disk are what this run would write.

        Its row and preview stay packed until the report or preview has to be rewritten.
        """
        self._index_taken |= self._index_html in page.outputs
        self._spool(page.body, listed=self.preview)
        if self._keys is not None:
            self._keys += bytes.fromhex(page.key)

    def _spool(self, body: bytes, *, listed: bool) -> None:
        """Keep a page's packed row and preview summary on disk until the report and preview."""
        self._pages.append(body, flag=listed)
        self._listed += listed

    def _remember(self, page: CachedPage, outputs: dict[str, bytes]) -> None:
        key = self.cache.record_page(page, outputs) if self.cache is not None else None
        if key is None or self._keys is None:
            self._keys = None
        else:
            self._keys += bytes.fromhex(key)

    def _write(
        self, result: Result, files: tuple[PageOutput, ...]
    ) -> tuple[dict[str, str], list[tuple[PageOutput, str]]]:
        """Write a page's files; return their paths by kind, and each file with its name."""
        from pipeline.emit.files import output_name  # noqa: PLC0415

        written: dict[str, str] = {}
        named: list[tuple[PageOutput, str]] = []
        for file in files:
            name = output_name(result.source.relative, file.suffix)
            path = written[file.kind] = self._out + name
            self._put(Path(path), file.data)
            self._index_taken |= path == self._index_html
            named.append((file, name))
        return written, named

    def _put(self, path: Path, data: bytes) -> None:
        """Write a file; under --check, print its path instead if writing would change it."""
        from pipeline.emit.files import write_atomic  # noqa: PLC0415

        if not self.check:
            write_atomic(path, data, durable=False)  # derived files; see `write_atomic`
            return
        try:
            unchanged = path.read_bytes() == data
        except OSError:
            unchanged = False
        if not unchanged:
            self.changed += 1
            self.echo(path.as_posix())

    def _preview_of(
        self, item: Result | Failure, named: Iterable[tuple[PageOutput, str]]
    ) -> PreviewPage | None:
        from pipeline.emit.preview import DETAIL_PAGES, preview_entry  # noqa: PLC0415

        if not self.preview:
            return None
        return preview_entry(item, tuple(named), detail=self._listed < DETAIL_PAGES)

    def write_preview(self) -> str:
        """Write OUT/index.html, or a name no page output took, and return its path."""
        from pipeline.emit.preview import preview_parts  # noqa: PLC0415

        out_dir = Path(self.settings.output.out_dir)
        path = out_dir / ("schemapress-preview.html" if self._index_taken else "index.html")
        if not self._is_current(path, "preview"):
            self._put_aside(path, preview_parts(self._previews()), "preview")
        return path.as_posix()

    def _previews(self) -> Iterator[PreviewPage]:
        """The preview's pages read back in order; past the first DETAIL_PAGES, without details."""
        from pipeline.cache import page_preview  # noqa: PLC0415
        from pipeline.emit.preview import DETAIL_PAGES  # noqa: PLC0415

        listed = (body for shown, body in self._pages if shown)
        for number, body in enumerate(listed):
            page = page_preview(body, detail=number < DETAIL_PAGES)
            if page is not None:
                yield page

    def write_report(self, path: Path, version: str) -> None:
        """Write report.json atomically, unless the one on disk is from a run of the same pages."""
        from pipeline.cache import page_report_row  # noqa: PLC0415
        from pipeline.emit.report import report_parts  # noqa: PLC0415

        if not self._is_current(path, "report", version):
            rows = (page_report_row(body) for _, body in self._pages)
            self._put_aside(path, report_parts(rows, version=version), "report", version)

    def _is_current(self, path: Path, *parts: str) -> bool:
        """Whether the cache vouches that a run-wide file holds what this run would write."""
        from pipeline.cache import run_state  # noqa: PLC0415

        if self.cache is None or self._keys is None:
            return False
        return self.cache.lookup_file(path, run_state(self._hex_keys(), *parts))

    def _put_aside(self, path: Path, text: Iterable[str], *parts: str) -> None:
        """Write a run-wide file atomically, a part at a time, and let the cache vouch for it."""
        from pipeline.cache import run_state  # noqa: PLC0415

        digest = write_atomic_parts(path, (part.encode("utf-8") for part in text))
        if self.cache is not None and self._keys is not None:
            self.cache.record_file(path, run_state(self._hex_keys(), *parts), digest)

    def _hex_keys(self) -> Iterator[str]:
        keys = self._keys or b""
        return (keys[i : i + _KEY_BYTES].hex() for i in range(0, len(keys), _KEY_BYTES))

    def summary(self) -> str:
        """Return the one-line summary of the run."""
        total = sum(self.counts.values())
        return (
            f"{total} page{'s' if total != 1 else ''}: {self.counts['ok']} ok, "
            f"{self.counts['invalid']} invalid, {self.counts['failed']} failed; "
            f"{self.errors} error{'s' if self.errors != 1 else ''}, "
            f"{self.warnings} warning{'s' if self.warnings != 1 else ''}"
        ) + (
            f"; {self.changed} file{'s' if self.changed != 1 else ''} would change"
            if self.check
            else ""
        )

    def exit_code(self, *, strict: bool) -> int:
        """Return 1 for failed pages, errors (warnings if strict) or changes under check."""
        if self.changed or self.counts["failed"] or self.errors or (strict and self.warnings):
            return EXIT_FINDINGS
        return EXIT_OK


class Spool:
    """Byte records in an unnamed temporary file, each with a flag, read back in order.

    What grows with a batch (its pages waiting their turn, their report rows and preview summaries)
    waits here rather than in memory. Each reading keeps its own place, so two can go side by side.
    """

    def __init__(self) -> None:
        self._file: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - lives with the spool
        # Whether the file's position is its end; a seek flushes the write buffer, so appends in a
        # row skip it and go out together.
        self._at_end = True

    def append(self, record: bytes, *, flag: bool = False) -> None:
        """Add a record after the last one."""
        if not self._at_end:
            self._file.seek(0, os.SEEK_END)
            self._at_end = True
        self._file.write(_RECORD.pack(len(record), flag) + record)

    def __iter__(self) -> Iterator[tuple[bool, bytes]]:
        """Each record with its flag, in the order they were added."""
        position = 0
        while True:
            self._at_end = False
            self._file.seek(position)
            head = self._file.read(_RECORD.size)
            if len(head) < _RECORD.size:
                return
            size, flag = _RECORD.unpack(head)
            yield flag, self._file.read(size)
            position += _RECORD.size + size


def write_atomic_parts(path: Path, parts: Iterable[bytes]) -> str:
    """Write `parts` to `path` through a temporary file and a rename; return their SHA-256.

    As `write_atomic`, but a part at a time, for files that grow with the batch; a file that
    already holds these bytes is left alone, so its modification time stays.
    """
    from pipeline.emit.files import replace_keeping_mode, temporary_beside  # noqa: PLC0415

    handle, temporary = temporary_beside(path)
    digest = hashlib.sha256()
    try:
        with os.fdopen(handle, "wb") as stream:
            for part in parts:
                digest.update(part)
                stream.write(part)
            stream.flush()
            os.fsync(stream.fileno())
            size = stream.tell()
        if _holds(path, size, digest.hexdigest()):
            temporary.unlink()
        else:
            replace_keeping_mode(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    return digest.hexdigest()


def _holds(path: Path, size: int, digest: str) -> bool:
    """Whether a file holds bytes of this size and SHA-256, read a chunk at a time."""
    try:
        if path.stat().st_size != size:
            return False
        with path.open("rb") as stream:
            return hashlib.file_digest(stream, "sha256").hexdigest() == digest
    except OSError:
        return False


class InjectTally:
    """Counts page outcomes and reports failures, errors and injection warnings as they come."""

    def __init__(self, *, check: bool, remove: bool, echo: Echo) -> None:
        self.echo = echo
        self.check = check
        self.remove = remove
        self.counts = {"changed": 0, "unchanged": 0, "failed": 0}
        self.errors = self.warnings = 0

    def add(self, outcome: InjectOutcome) -> None:
        """Count one page's outcome and echo its failure, errors and injection findings."""
        self.counts[outcome.status] += 1
        self.errors += len(outcome.report.errors)
        self.warnings += len(outcome.report.warnings)
        if outcome.message:
            self.echo(f"error: {outcome.message}", err=True)
        for finding in outcome.report.findings:
            if finding.severity.value == "error" or finding.rule.startswith("inject."):
                severity = finding.severity.value
                self.echo(
                    f"{outcome.path}: {severity}: {finding.message} [{finding.rule}]", err=True
                )
        if self.check and outcome.status == "changed":
            self.echo(outcome.path)

    def summary(self) -> str:
        """Return the one-line summary of the run."""
        total = sum(self.counts.values())
        verb = "would change" if self.check else "blocks removed" if self.remove else "changed"
        return (
            f"{total} page{'s' if total != 1 else ''}: {self.counts['changed']} {verb}, "
            f"{self.counts['unchanged']} unchanged, {self.counts['failed']} failed; "
            f"{self.errors} error{'s' if self.errors != 1 else ''}, "
            f"{self.warnings} warning{'s' if self.warnings != 1 else ''}"
        )

    def exit_code(self, *, strict: bool) -> int:
        """Return 1 for failed pages, errors (warnings if strict) or changes under check."""
        failed = self.counts["failed"] or (self.check and self.counts["changed"])
        if failed or self.errors or (strict and self.warnings):
            return EXIT_FINDINGS
        return EXIT_OK
