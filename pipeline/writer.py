"""What the CLI does with a run's results: files, report rows, counts and one-line messages.

Messages go through the `echo` the CLI passes in (click's), so nothing here prints on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Protocol

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pipeline.cache import Cache, CachedPage
    from pipeline.emit.outputs import PageOutput
    from pipeline.emit.preview import PreviewPage
    from pipeline.injector import InjectOutcome
    from pipeline.model import Failure, Report, Result
    from pipeline.settings import Settings

EXIT_OK: Final = 0
EXIT_FINDINGS: Final = 1


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
    """Writes each page's files as results arrive and remembers the report rows.

    Under `check` nothing is written: each file that would change is echoed and counted.
    """

    def __init__(
        self, *, settings: Settings, mode: WriteMode, cache: Cache | None = None, echo: Echo
    ) -> None:
        self.settings = settings
        self.echo = echo
        self.to_stdout = mode.to_stdout
        self.check = mode.check
        self.cache = cache
        self.changed: list[str] = []
        self.previews: list[PreviewPage | CachedPage] | None = [] if mode.preview else None
        self.written: set[str] = set()
        self.pages: list[bytes | CachedPage] = []  # rows packed until the report
        # Every page's cache key in order, while each page has one: with the same keys, the
        # report and preview written last time are what this run would write.
        self.keys: list[str] | None = [] if cache is not None else None
        self.counts = {"ok": 0, "invalid": 0, "failed": 0}
        self.reports: list[Report] = []

    def add(self, item: Result | Failure | CachedPage) -> None:
        """Write (or compare) one page's files, echo its errors and keep its report row."""
        from pipeline.cache import CachedPage  # noqa: PLC0415
        from pipeline.emit.report import pack_row, page_entry  # noqa: PLC0415
        from pipeline.model import Failure  # noqa: PLC0415

        self.counts[item.status] += 1
        if isinstance(item, Failure):
            self.echo(f"error: {item.message}", err=True)
            self.keys = None
            self.pages.append(pack_row(page_entry(item, {})))
            self._add_preview(item, ())
            return
        self.reports.append(item.report)
        for finding in item.report.errors:
            self.echo(f"{item.source.path}: error: {finding.message} [{finding.rule}]", err=True)
        if isinstance(item, CachedPage):
            self._add_cached(item)
            return
        from pipeline.emit.outputs import page_outputs  # noqa: PLC0415

        files = page_outputs(item, self.settings.output)
        if self.to_stdout:
            for file in files:
                if file.is_snippet:
                    self.echo(file.data.decode("utf-8"), nl=False)
            outputs: dict[str, str] = {}
        else:
            try:
                outputs = self._write(item, files)
            except OSError as error:
                self._unwritten(item, error)
                return
        row = page_entry(item, outputs)
        self.pages.append(pack_row(row))
        if self.cache is not None and outputs:
            self._remember(item, row, {outputs[file.kind]: file.data for file in files})

    def _unwritten(self, result: Result, error: OSError) -> None:
        """Count a page whose files could not be written (disk full, no permission) as failed."""
        from pipeline.emit.report import pack_row, page_entry  # noqa: PLC0415
        from pipeline.model import Failure  # noqa: PLC0415

        where = error.filename or self.settings.output.out_dir
        reason = error.strerror or str(error)
        message = f"{where}: cannot write the output of {result.source.path}: {reason}"
        self.counts[result.status] -= 1
        self.counts["failed"] += 1
        self.echo(f"error: {message}", err=True)
        self.keys = None
        failure = Failure(source=result.source, message=message, rule="output.unwritable")
        self.pages.append(pack_row(page_entry(failure, {})))

    def _add_cached(self, page: CachedPage) -> None:
        """Count a page the cache vouches for: its outputs on disk are what this run would write.

        Its row and preview stay packed until the report or preview has to be rewritten.
        """
        self.written.update(page.outputs)
        self.pages.append(page)
        if self.previews is not None:
            self.previews.append(page)
        if self.keys is not None:
            self.keys.append(page.key)

    def _remember(self, result: Result, row: dict[str, Any], outputs: dict[str, bytes]) -> None:
        from pipeline.cache import CachedPage  # noqa: PLC0415

        # The last preview is the one `_write` just made from this result, never a cached page.
        preview = self.previews[-1] if self.previews else None
        if self.cache is None or isinstance(preview, CachedPage):
            return
        page = CachedPage.from_row(
            source=result.source, row=row, report=result.report, preview=preview
        )
        key = self.cache.record_page(page, outputs)
        if key is None or self.keys is None:
            self.keys = None
        else:
            self.keys.append(key)

    def _write(self, result: Result, files: tuple[PageOutput, ...]) -> dict[str, str]:
        from pipeline.emit.files import output_path  # noqa: PLC0415

        out_dir = Path(self.settings.output.out_dir)
        written: dict[str, str] = {}
        named: list[tuple[PageOutput, str]] = []
        for file in files:
            path = output_path(out_dir, result.source.relative, file.suffix)
            self._put(path, file.data)
            written[file.kind] = path.as_posix()
            self.written.add(written[file.kind])
            named.append((file, path.relative_to(out_dir).as_posix()))
        self._add_preview(result, named)
        return written

    def _put(self, path: Path, data: bytes) -> None:
        """Write a file; under --check, print its path instead if writing would change it."""
        from pipeline.emit.files import write_atomic  # noqa: PLC0415

        if not self.check:
            write_atomic(path, data)
            return
        try:
            unchanged = path.read_bytes() == data
        except OSError:
            unchanged = False
        if not unchanged:
            self.changed.append(path.as_posix())
            self.echo(path.as_posix())

    def _add_preview(self, item: Result | Failure, named: Sequence[tuple[PageOutput, str]]) -> None:
        from pipeline.emit.preview import DETAIL_PAGES, preview_entry  # noqa: PLC0415

        if self.previews is not None:
            detail = len(self.previews) < DETAIL_PAGES
            self.previews.append(preview_entry(item, named, detail=detail))

    def write_preview(self) -> str:
        """Write OUT/index.html, or a name no page output took, and return its path."""
        from pipeline.cache import CachedPage  # noqa: PLC0415
        from pipeline.emit.preview import DETAIL_PAGES, render_preview  # noqa: PLC0415

        out_dir = Path(self.settings.output.out_dir)
        path = out_dir / "index.html"
        if path.as_posix() in self.written:
            path = out_dir / "schemapress-preview.html"
        if not self._is_current(path, "preview"):
            pages = [p.preview if isinstance(p, CachedPage) else p for p in self.previews or []]
            pages = [
                replace(p, snippets=(), faq_html=None, rows=()) if n >= DETAIL_PAGES and p else p
                for n, p in enumerate(pages)
            ]
            html = render_preview([p for p in pages if p is not None]).encode("utf-8")
            self._put_aside(path, html, "preview")
        return path.as_posix()

    def write_report(self, path: Path, version: str) -> None:
        """Write report.json atomically, unless the one on disk is from a run of the same pages."""
        from pipeline.cache import CachedPage  # noqa: PLC0415
        from pipeline.emit.report import to_report_json, unpack_row  # noqa: PLC0415

        if not self._is_current(path, "report", version):
            rows = (p.row if isinstance(p, CachedPage) else unpack_row(p) for p in self.pages)
            report = to_report_json(rows, version=version)
            self._put_aside(path, report, "report", version)

    def _is_current(self, path: Path, *parts: str) -> bool:
        """Whether the cache vouches that a run-wide file holds what this run would write."""
        from pipeline.cache import run_state  # noqa: PLC0415

        if self.cache is None or self.keys is None:
            return False
        return self.cache.lookup_file(path, run_state(self.keys, *parts))

    def _put_aside(self, path: Path, data: bytes, *parts: str) -> None:
        """Write a run-wide file atomically and let the cache vouch for it next time."""
        from pipeline.cache import run_state  # noqa: PLC0415
        from pipeline.emit.files import write_atomic  # noqa: PLC0415

        write_atomic(path, data)
        if self.cache is not None and self.keys is not None:
            self.cache.record_file(path, run_state(self.keys, *parts), data)

    def summary(self) -> str:
        """Return the one-line summary of the run."""
        total = sum(self.counts.values())
        errors = sum(len(r.errors) for r in self.reports)
        warnings = sum(len(r.warnings) for r in self.reports)
        return (
            f"{total} page{'s' if total != 1 else ''}: {self.counts['ok']} ok, "
            f"{self.counts['invalid']} invalid, {self.counts['failed']} failed; "
            f"{errors} error{'s' if errors != 1 else ''}, "
            f"{warnings} warning{'s' if warnings != 1 else ''}"
        ) + (
            f"; {len(self.changed)} file{'s' if len(self.changed) != 1 else ''} would change"
            if self.check
            else ""
        )

    def exit_code(self, *, strict: bool) -> int:
        """Return 1 for failed pages, errors (warnings if strict) or changes under check."""
        if (
            self.changed
            or self.counts["failed"]
            or any(r.exit_code(strict=strict) for r in self.reports)
        ):
            return EXIT_FINDINGS
        return EXIT_OK


class InjectTally:
    """Counts page outcomes and reports failures, errors and injection warnings as they come."""

    def __init__(self, *, check: bool, remove: bool, echo: Echo) -> None:
        self.echo = echo
        self.check = check
        self.remove = remove
        self.counts = {"changed": 0, "unchanged": 0, "failed": 0}
        self.reports: list[Report] = []

    def add(self, outcome: InjectOutcome) -> None:
        """Count one page's outcome and echo its failure, errors and injection findings."""
        self.counts[outcome.status] += 1
        self.reports.append(outcome.report)
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
        errors = sum(len(r.errors) for r in self.reports)
        warnings = sum(len(r.warnings) for r in self.reports)
        verb = "would change" if self.check else "blocks removed" if self.remove else "changed"
        return (
            f"{total} page{'s' if total != 1 else ''}: {self.counts['changed']} {verb}, "
            f"{self.counts['unchanged']} unchanged, {self.counts['failed']} failed; "
            f"{errors} error{'s' if errors != 1 else ''}, "
            f"{warnings} warning{'s' if warnings != 1 else ''}"
        )

    def exit_code(self, *, strict: bool) -> int:
        """Return 1 for failed pages, errors (warnings if strict) or changes under check."""
        failed = self.counts["failed"] or (self.check and self.counts["changed"])
        if failed or any(r.exit_code(strict=strict) for r in self.reports):
            return EXIT_FINDINGS
        return EXIT_OK
