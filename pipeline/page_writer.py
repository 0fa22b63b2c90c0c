"""A converted page's share of the batch writer: its files, its report row, its preview entry.

It runs in the worker process that converted the page, so the parent, which keeps the batch in
input order, takes back a few hundred bytes a page instead of the whole result. Done in the
parent, unpickling results, writing three files and encoding a report row a page had held a
two-core batch near 300 pages a second.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pipeline.cache import CachedPage, pack_page
from pipeline.emit.files import output_name, write_atomic
from pipeline.emit.outputs import page_outputs
from pipeline.emit.preview import DETAIL_PAGES, preview_entry
from pipeline.emit.report import page_entry
from pipeline.model import Failure, sorted_report

if TYPE_CHECKING:
    from pipeline.emit.preview import PreviewPage
    from pipeline.model import Report, Result
    from pipeline.settings import OutputConfig


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteMode:
    """Where a convert run's results go: stdout, or files (with a preview, or only compared)."""

    to_stdout: bool = False
    preview: bool = False
    check: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class WrittenPage:
    """A page once its files are on disk (or compared, or printed): what the batch keeps of it.

    `page` holds its packed report row and preview entry, and the findings that decide the run.
    """

    page: CachedPage
    status: Literal["ok", "invalid", "failed"]
    # Each file written for the page, with the SHA-256 of its bytes, for the cache index.
    files: tuple[tuple[str, str], ...] = ()
    # Under --check: the files that writing would change.
    changed: tuple[str, ...] = ()
    # To stdout: the page's paste-ready block(s).
    printed: str = ""
    # A page that failed: its error line.
    message: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class PageWriter:
    """Writes one page's files where it was converted; picklable, so a worker can be sent one."""

    output: OutputConfig
    mode: WriteMode

    def __call__(self, item: Result | Failure, position: int) -> WrittenPage:
        """Write (or compare, or print) the files of the page at `position` in its batch.

        The first DETAIL_PAGES pages keep their snippets and graph table for the preview.
        """
        if isinstance(item, Failure):
            return _failed(item, listed=self.mode.preview)
        files = page_outputs(item, self.output)
        if self.mode.to_stdout:
            printed = "".join(f.data.decode("utf-8") for f in files if f.is_snippet)
            return WrittenPage(page=_packed(item, {}, None), status=item.status, printed=printed)
        # OUT as `Path` writes it in front of a name inside it ("" for "."); names are clean.
        out = (Path(self.output.out_dir) / "_").as_posix()[:-1]
        named = [(file, output_name(item.source.relative, file.suffix)) for file in files]
        try:
            changed = tuple(out + name for file, name in named if self._put(out + name, file.data))
        except OSError as error:
            return _unwritten(item, error, self.output.out_dir)
        preview = None
        if self.mode.preview:
            preview = preview_entry(item, tuple(named), detail=position < DETAIL_PAGES)
        return WrittenPage(
            page=_packed(item, {file.kind: out + name for file, name in named}, preview),
            status=item.status,
            files=tuple(
                (out + name, hashlib.sha256(file.data).hexdigest()) for file, name in named
            ),
            changed=changed if self.mode.check else (),
        )

    def _put(self, path: str, data: bytes) -> bool:
        """Write a file, or under --check only compare it; whether it changes (or would)."""
        if not self.mode.check:
            return write_atomic(Path(path), data, durable=False)  # derived files; see there
        try:
            with open(path, "rb") as stream:  # noqa: PTH123 - the name is a string already
                return stream.read() != data
        except OSError:
            return True


def _packed(item: Result, outputs: dict[str, str], preview: PreviewPage | None) -> CachedPage:
    return CachedPage.from_row(
        source=item.source, row=page_entry(item, outputs), report=item.report, preview=preview
    )


def _failed(failure: Failure, *, listed: bool, report: Report | None = None) -> WrittenPage:
    """A page with nothing written: its failure row, and the findings of its conversion if any."""
    preview = preview_entry(failure) if listed else None
    body = pack_page(page_entry(failure, {}), preview)
    page = CachedPage(
        source=failure.source, report=report or sorted_report(()), body=body, has_preview=listed
    )
    return WrittenPage(page=page, status="failed", message=failure.message)


def _unwritten(result: Result, error: OSError, out_dir: str) -> WrittenPage:
    """A page whose files could not be written (disk full, no permission): failed, not listed."""
    where = error.filename or out_dir
    reason = error.strerror or str(error)
    message = f"{where}: cannot write the output of {result.source.path}: {reason}"
    failure = Failure(source=result.source, message=message, rule="output.unwritable")
    return _failed(failure, listed=False, report=result.report)
