"""`convert` reruns from the cache index: unchanged pages are neither converted nor rewritten."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner

from pipeline import api
from pipeline.cli import main
from pipeline.emit import preview, report

if TYPE_CHECKING:
    from pathlib import Path

    from pipeline.model import Result, Source

PAGE = """Chamomile

Chamomile is a herb whose dried flowers are brewed as a tea.

Side effects

A few people are allergic to chamomile, mostly those allergic to ragweed.
"""


def _pages(tmp_path: Path) -> Path:
    pages = tmp_path / "pages"
    pages.mkdir()
    for herb in ("chamomile", "mint", "sage"):
        text = PAGE.replace("Chamomile", herb.title()).replace("chamomile", herb)
        (pages / f"{herb}.txt").write_text(text, encoding="utf-8")
    return pages


def _convert(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["convert", *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _outputs(folder: Path) -> dict[str, bytes]:
    """Every file a run wrote, but the cache's own."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and ".schemapress-cache" not in p.parts
    }


@pytest.fixture
def converted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The pages the pipeline converts from here on."""
    calls: list[str] = []
    real = api.convert_source

    def spy(data: bytes, source: Source, *args: object) -> Result:
        calls.append(source.relative)
        return real(data, source, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(api, "convert_source", spy)
    return calls


def _refuse(*_: object, **__: object) -> None:
    raise AssertionError("a rerun over unchanged pages rebuilt a run-wide file")


def test_a_rerun_over_unchanged_pages_converts_and_renders_nothing(
    tmp_path: Path, converted: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    pages, out = _pages(tmp_path), tmp_path / "out"
    first = _convert(str(pages), "-o", str(out))
    written = _outputs(out)
    converted.clear()
    monkeypatch.setattr(preview, "preview_parts", _refuse)
    monkeypatch.setattr(report, "report_parts", _refuse)

    second = _convert(str(pages), "-o", str(out))

    assert converted == []
    assert second == first
    assert _outputs(out) == written
    assert {"report.json", "index.html", "sage.jsonld"} <= set(written)


def test_a_hand_edited_output_is_converted_again_and_restored(
    tmp_path: Path, converted: list[str]
) -> None:
    pages, out = _pages(tmp_path), tmp_path / "out"
    _convert(str(pages), "-o", str(out))
    written = _outputs(out)
    converted.clear()
    (out / "mint.html").write_text("<!-- edited -->\n")

    _convert(str(pages), "-o", str(out))

    assert converted == ["mint.txt"]
    assert _outputs(out) == written


def test_a_deleted_output_or_report_is_written_again_byte_for_byte(
    tmp_path: Path, converted: list[str]
) -> None:
    pages, out = _pages(tmp_path), tmp_path / "out"
    _convert(str(pages), "-o", str(out))
    written = _outputs(out)
    converted.clear()
    for name in ("sage.jsonld", "report.json", "index.html"):
        (out / name).unlink()

    _convert(str(pages), "-o", str(out))

    assert converted == ["sage.txt"]
    assert _outputs(out) == written


def test_the_report_and_preview_are_rebuilt_from_the_index_alone(
    tmp_path: Path, converted: list[str]
) -> None:
    pages, out = _pages(tmp_path), tmp_path / "out"
    _convert(str(pages), "-o", str(out))
    written = _outputs(out)
    converted.clear()
    (out / "report.json").write_text("{}\n")
    (out / "index.html").write_text("<p>edited</p>\n")

    _convert(str(pages), "-o", str(out))

    assert converted == []
    assert _outputs(out) == written


def test_a_changed_setting_or_page_converts_again(tmp_path: Path, converted: list[str]) -> None:
    pages, out = _pages(tmp_path), tmp_path / "out"
    _convert(str(pages), "-o", str(out))
    converted.clear()

    _convert(str(pages), "-o", str(out), "--minify")
    assert sorted(converted) == ["chamomile.txt", "mint.txt", "sage.txt"]

    converted.clear()
    (pages / "sage.txt").write_text(PAGE.replace("tea", "infusion"), encoding="utf-8")
    _convert(str(pages), "-o", str(out), "--minify")
    assert converted == ["sage.txt"]


def test_a_corrupt_index_is_ignored_and_rewritten(tmp_path: Path, converted: list[str]) -> None:
    pages, out = _pages(tmp_path), tmp_path / "out"
    _convert(str(pages), "-o", str(out))
    written = _outputs(out)
    index = next((out / ".schemapress-cache").glob("*.index"))
    index.write_bytes(index.read_bytes()[:100])
    converted.clear()

    code, _, _ = _convert(str(pages), "-o", str(out))
    assert code == 0
    assert len(converted) == 3
    assert _outputs(out) == written

    converted.clear()
    _convert(str(pages), "-o", str(out))
    assert converted == []
