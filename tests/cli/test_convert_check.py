"""`convert --check` and the cache: nothing written; exit 1 only when output would change."""

from __future__ import annotations

from typing import TYPE_CHECKING

from click.testing import CliRunner

from pipeline.cli import main

if TYPE_CHECKING:
    from pathlib import Path

PAGE = """Chamomile

Chamomile is a herb whose dried flowers are brewed as a tea.

Side effects

A few people are allergic to chamomile, mostly those allergic to ragweed.

Does chamomile help with sleep?

Small studies suggest a mild effect on sleep quality; the evidence is weak.
"""


def _pages(tmp_path: Path) -> Path:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "chamomile.txt").write_text(PAGE, encoding="utf-8")
    (pages / "mint.txt").write_text(PAGE.replace("Chamomile", "Mint").replace("chamomile", "mint"))
    return pages


def _convert(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["convert", *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_check_before_any_run_lists_every_file_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"

    code, stdout, stderr = _convert(str(_pages(tmp_path)), "-o", str(out), "--check")

    assert code == 1
    assert f"{out.as_posix()}/chamomile.jsonld" in stdout.split()
    assert f"{out.as_posix()}/mint.html" in stdout.split()
    assert "would change" in stderr
    assert not out.exists()


def test_check_after_a_run_passes(tmp_path: Path) -> None:
    pages, out = _pages(tmp_path), tmp_path / "out"
    _convert(str(pages), "-o", str(out))
    before = _files(out)

    code, stdout, stderr = _convert(str(pages), "-o", str(out), "--check")

    assert code == 0
    assert stdout == ""
    assert "0 files would change" in stderr
    assert _files(out) == before


def test_check_names_only_the_edited_output(tmp_path: Path) -> None:
    pages, out = _pages(tmp_path), tmp_path / "out"
    _convert(str(pages), "-o", str(out))
    (out / "mint.jsonld").write_text("{}\n")

    code, stdout, stderr = _convert(str(pages), "-o", str(out), "--check")

    assert code == 1
    assert stdout.split() == [f"{out.as_posix()}/mint.jsonld"]
    assert "1 file would change" in stderr
    assert (out / "mint.jsonld").read_text() == "{}\n"


def test_check_sees_a_changed_page(tmp_path: Path) -> None:
    pages, out = _pages(tmp_path), tmp_path / "out"
    _convert(str(pages), "-o", str(out))
    (pages / "mint.txt").write_text(PAGE.replace("Chamomile", "Sage").replace("chamomile", "sage"))

    code, stdout, _ = _convert(str(pages), "-o", str(out), "--check", "--no-cache")

    assert code == 1
    assert f"{out.as_posix()}/mint.jsonld" in stdout.split()


def test_check_to_stdout_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["convert", str(_pages(tmp_path)), "-o", "-", "--check"])

    assert result.exit_code == 2
    assert "--check" in result.stderr


def test_second_run_from_the_cache_writes_identical_files_and_report(tmp_path: Path) -> None:
    pages, out = _pages(tmp_path), tmp_path / "out"
    first = _convert(str(pages), "-o", str(out))
    written = _files(out)

    second = _convert(str(pages), "-o", str(out))

    assert first == second
    assert _files(out) == written
    assert any(name.startswith(".schemapress-cache/") for name in written)


def test_no_cache_writes_no_cache_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"

    _convert(str(_pages(tmp_path)), "-o", str(out), "--no-cache")

    assert not (out / ".schemapress-cache").exists()
