"""What the CLI does with a run's results: files, report rows, counts and one-line messages.

Messages go through the `echo` the CLI passes in (click's), so nothing here prints on its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Final, Protocol, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping

    from pipeline.cache import Cache, CachedPage
    from pipeline.emit.preview import PreviewPage
    from pipeline.injector import InjectOutcome
    from pipeline.model import Failure, Source
    from pipeline.page_writer import PageWriter, WriteMode, WrittenPage
    from pipeline.settings import Settings

EXIT_OK: Final = 0
EXIT_FINDINGS: Final = 1
# A cache key's bytes (SHA-256), kept raw for each page of a run.
_KEY_BYTES: Final = 32

_Item = TypeVar("_Item")


class Echo(Protocol):
    """click.echo's shape: a line to stdout, or to stderr with `err=True`."""

    def __call__(self, message: str, *, err: bool = False, nl: bool = True) -> object:
        """Show one message."""


def claim_outputs(sources: list[Source], out_dir: str) -> tuple[list[Source], dict[int, Failure]]:
    """The pages to convert, and a failure by position for each whose outputs an earlier one takes.

    Two inputs can hold the same relative path (`docs/index.md`, `blog/index.md`). Workers write
    in parallel, so the later page fails rather than overwrite the earlier one's files at random.
    """
    from pipeline.emit.files import output_name  # noqa: PLC0415
    from pipeline.errors import InputError  # noqa: PLC0415
    from pipeline.model import Failure  # noqa: PLC0415

    claimed: dict[str, str] = {}
    kept: list[Source] = []
    failures: dict[int, Failure] = {}
    for position, source in enumerate(sources):
        stem = output_name(source.relative, "")
        first = claimed.setdefault(stem, source.path)
        if first == source.path:
            kept.append(source)
            continue
        error = InputError(
            source.path,
            f"its outputs ({(Path(out_dir) / stem).as_posix()}.*) are those of {first}, "
            "converted first",
            hint="give the folders their own -o, or rename one of the pages",
        )
        failures[position] = Failure(source=source, message=str(error), rule="output.collision")
    return kept, failures


def with_failures(
    items: Iterable[_Item], failures: Mapping[int, Failure], finish: Callable[[Failure, int], _Item]
) -> Iterator[_Item]:
    """`items` with each failure, finished, put back at its position in the batch."""
    position = 0
    for item in items:
        while position in failures:
            yield finish(failures[position], position)
            position += 1
        yield item
        position += 1
    for last in sorted(p for p in failures if p >= position):
        yield finish(failures[last], last)


class Writer:
    """Takes each page's outcome as it arrives, in input order, and spools its report row.

    The page's own files were written where it was converted (`pipeline.page_writer`); here it
    is counted, its errors echoed and its row and preview summary spooled. Nothing of a page stays
    in memory but its cache key: report.json and the preview are written at the end from the
    spool, so a batch of any size runs in the same memory.
    """

    def __init__(
        self, *, settings: Settings, mode: WriteMode, cache: Cache | None = None, echo: Echo
    ) -> None:
        from pipeline.spool import Spool  # noqa: PLC0415

        self.settings = settings
        self.echo = echo
        self.mode = mode
        self.cache = cache
        self.changed = 0
        self.counts = {"ok": 0, "invalid": 0, "failed": 0}
        self.errors = self.warnings = 0
        # Each page's report row and preview summary, packed; flagged if the preview lists it.
        self._pages = Spool()
        # The preview is OUT/index.html unless a page's output took that name.
        self._index_html = (Path(settings.output.out_dir) / "index.html").as_posix()
        self._index_taken = False
        # Every page's cache key in order, while each page has one: with the same keys, the
        # report and preview written last time are what this run would write.
        self._keys: bytearray | None = bytearray() if cache is not None else None

    @property
    def page_writer(self) -> PageWriter:
        """What writes each page's files, in the process that converts it."""
        from pipeline.page_writer import PageWriter  # noqa: PLC0415

        return PageWriter(output=self.settings.output, mode=self.mode)

    def add(self, item: WrittenPage | CachedPage) -> None:
        """Count one page, echo its errors (and files that would change) and spool its row.

        A `CachedPage` is a page the cache vouches for: its outputs on disk are what this run
        would write, and its key is known.
        """
        from pipeline.page_writer import WrittenPage  # noqa: PLC0415

        written = (
            item if isinstance(item, WrittenPage) else WrittenPage(page=item, status=item.status)
        )
        page = written.page
        self.counts[written.status] += 1
        self.errors += len(page.report.errors)
        self.warnings += len(page.report.warnings)
        for finding in page.report.errors:
            self.echo(f"{page.source.path}: error: {finding.message} [{finding.rule}]", err=True)
        if written.message:
            self.echo(f"error: {written.message}", err=True)
        if written.printed:
            self.echo(written.printed, nl=False)
        for path in written.changed:
            self.changed += 1
            self.echo(path)
        self._index_taken |= self._index_html in page.outputs
        self._pages.append(page.body, flag=page.has_preview)
        if page.key:
            key: str | None = page.key
        elif self.cache is not None and written.files:
            key = self.cache.record_page(page, written.files)
        else:
            key = None
        if key is None or self._keys is None:
            self._keys = None
        else:
            self._keys += bytes.fromhex(key)

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
        from pipeline.emit.files import write_atomic_parts  # noqa: PLC0415

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
            if self.mode.check
            else ""
        )

    def exit_code(self, *, strict: bool) -> int:
        """Return 1 for failed pages, errors (warnings if strict) or changes under check."""
        if self.changed or self.counts["failed"] or self.errors or (strict and self.warnings):
            return EXIT_FINDINGS
        return EXIT_OK


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
