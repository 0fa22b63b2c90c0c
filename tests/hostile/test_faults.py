"""Write faults, interrupts and concurrent runs leave no partial file, and the report says so."""

from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import subprocess
import sys
from typing import IO, TYPE_CHECKING, Any

import pytest
from click.testing import CliRunner

from pipeline import cli
from pipeline.emit import files
from pipeline.emit.files import output_name

if TYPE_CHECKING:
    from click.testing import Result

if TYPE_CHECKING:
    from pathlib import Path

GOOD = "KRATOM\nSide Effects\nKratom may cause nausea and dizziness in some people.\n"


def _pages(folder: Path, count: int = 3) -> dict[Path, str]:
    folder.mkdir(exist_ok=True)
    for index in range(count):
        (folder / f"p{index}.txt").write_text(GOOD.replace("nausea", f"nausea {index}"))
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


def _assert_clean(out: Path, inputs: dict[Path, str]) -> None:
    """No temporary file is left, every output is whole, and no input changed."""
    assert not list(out.rglob("*.tmp")) if out.is_dir() else True
    for path in out.rglob("*.jsonld") if out.is_dir() else ():
        json.loads(path.read_bytes())
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in inputs} == inputs


def _fail_write(monkeypatch: pytest.MonkeyPatch, number: int, error: BaseException) -> None:
    """Make the `number`th file written raise `error` on its first write.

    Its temporary file exists by then, as it would on a full disk or at a Ctrl-C mid-write. Page
    files are written with `os.write`, run-wide ones through `os.fdopen`: both are watched.
    """
    real_beside, real_write, real_fdopen = files.temporary_beside, os.write, os.fdopen
    opened = {"n": 0}
    doomed: set[int] = set()

    def beside(path: Path) -> tuple[int, Path]:
        handle, temporary = real_beside(path)
        opened["n"] += 1
        if opened["n"] == number:
            doomed.add(handle)
        return handle, temporary

    def write(handle: int, data: bytes) -> int:
        if handle in doomed:
            doomed.discard(handle)  # the number is free for the next file once this one closes
            raise error
        return real_write(handle, data)

    class Failing(io.FileIO):
        def write(self, _data: Any) -> int:
            raise error

    def fdopen(handle: int, *args: Any, **kwargs: Any) -> IO[Any]:
        if handle in doomed:
            doomed.discard(handle)
            return Failing(handle, "wb")
        stream: IO[Any] = real_fdopen(handle, *args, **kwargs)
        return stream

    monkeypatch.setattr(files, "temporary_beside", beside)
    monkeypatch.setattr(os, "write", write)
    monkeypatch.setattr(os, "fdopen", fdopen)


def _convert(*args: str) -> Result:
    return CliRunner().invoke(cli.main, ["convert", *args, "--no-cache"])


def test_disk_full_fails_that_page_and_the_batch_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inputs = _pages(tmp_path / "in")
    _fail_write(monkeypatch, 2, OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))
    result = _convert(str(tmp_path / "in"), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "No space left on device" in result.stderr
    assert "3 pages: 2 ok, 0 invalid, 1 failed" in result.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_bytes())
    assert [page["status"] for page in report["pages"]] == ["failed", "ok", "ok"]
    _assert_clean(tmp_path / "out", inputs)


def test_an_output_folder_that_cannot_be_written_is_reported(tmp_path: Path) -> None:
    inputs = _pages(tmp_path / "in")
    (tmp_path / "out").write_text("a file where the folder should be")
    result = _convert(str(tmp_path / "in"), "-o", str(tmp_path / "out"))
    assert result.exit_code != 0
    assert "Traceback" not in result.stderr
    assert "cannot write" in result.stderr or "error:" in result.stderr
    _assert_clean(tmp_path / "out", inputs)


def test_an_interrupt_mid_batch_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inputs = _pages(tmp_path / "in", count=4)
    _fail_write(monkeypatch, 3, KeyboardInterrupt())
    result = _convert(str(tmp_path / "in"), "-o", str(tmp_path / "out"))
    assert result.exit_code != 0
    _assert_clean(tmp_path / "out", inputs)


def test_two_runs_on_one_output_folder_leave_whole_files(tmp_path: Path) -> None:
    inputs = _pages(tmp_path / "in", count=20)
    command = [
        sys.executable,
        "-m",
        "pipeline",
        "convert",
        str(tmp_path / "in"),
        "-o",
        str(tmp_path / "out"),
    ]
    runs = [
        subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.PIPE) for _ in range(2)
    ]
    for run in runs:
        _, stderr = run.communicate(timeout=120)
        assert run.returncode == 0, stderr.decode()
    _assert_clean(tmp_path / "out", inputs)
    assert len(list((tmp_path / "out").glob("*.jsonld"))) == 20
    json.loads((tmp_path / "out" / "report.json").read_bytes())


@pytest.mark.parametrize(
    "relative", ["../../escape.md", "/etc/passwd", "a/../../../b.md", "..\\..\\win.md", "..", ""]
)
def test_output_never_lands_outside_the_output_folder(tmp_path: Path, relative: str) -> None:
    out = tmp_path / "out"
    path = (out / output_name(relative, ".jsonld")).resolve()
    assert path.is_relative_to(out.resolve())


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x", "file:///etc/passwd"]
)
def test_urls_with_other_schemes_are_never_used(tmp_path: Path, url: str) -> None:
    page = tmp_path / "p.md"
    page.write_text(f"---\nurl: '{url}'\ncanonical: '{url}'\n---\n{GOOD}")
    (tmp_path / "schemapress.toml").write_text('[site]\nurl = "https://example.com/"\n')
    for extra in ([], ["--url", url], ["--base-url", url]):
        result = CliRunner().invoke(
            cli.main,
            [
                "convert",
                str(page),
                "-o",
                "-",
                "--config",
                str(tmp_path / "schemapress.toml"),
                *extra,
            ],
        )
        assert result.exit_code in {0, 1, 2}
        assert url.split(":", 1)[0].lower() + ":" not in result.stdout.lower()
