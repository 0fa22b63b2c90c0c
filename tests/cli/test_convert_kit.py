from __future__ import annotations

import json
from typing import TYPE_CHECKING

from click.testing import CliRunner

from pipeline.cli import main
from pipeline.emit.preview import GENERATOR

if TYPE_CHECKING:
    from pathlib import Path

PAGE_TEXT = (
    "Aspirin\n\nAspirin is a drug people take to ease pain and fever.\n\n"
    "Is aspirin safe?\n\nAspirin can upset the stomach and cause bleeding in some people.\n\n"
    "How much aspirin can I take?\n\nAdults take one or two tablets every four hours.\n"
)


def _page(tmp_path: Path, name: str = "aspirin.txt") -> Path:
    page = tmp_path / "pages" / name
    page.parent.mkdir(exist_ok=True)
    page.write_text(PAGE_TEXT, encoding="utf-8")
    return page


def _convert(*args: str) -> None:
    result = CliRunner().invoke(main, ["convert", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr


def test_one_page_writes_snippet_and_visible_faq_block_but_no_preview(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _convert(str(_page(tmp_path)), "-o", str(out))
    names = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert names == ["aspirin.faq.html", "aspirin.html", "aspirin.jsonld", "report.json"]
    outputs = json.loads((out / "report.json").read_text())["pages"][0]["outputs"]
    assert sorted(outputs) == ["faq_html", "html", "jsonld"]


def test_split_writes_two_blocks_instead_of_one(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _convert(str(_page(tmp_path)), "-o", str(out), "--split")
    assert not (out / "aspirin.html").exists()
    medical = (out / "aspirin.medical-jsonld.html").read_text(encoding="utf-8")
    faq = (out / "aspirin.faq-jsonld.html").read_text(encoding="utf-8")
    assert '"MedicalWebPage"' in medical
    assert '"FAQPage"' in faq
    assert medical.startswith('<script type="application/ld+json" data-schemapress>\n')


def test_minify_writes_the_block_on_one_line(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _convert(str(_page(tmp_path)), "-o", str(out), "--minify")
    assert (out / "aspirin.html").read_text(encoding="utf-8").count("\n") == 1


def test_ascii_writes_no_byte_above_127(tmp_path: Path) -> None:
    page = _page(tmp_path)
    page.write_text(PAGE_TEXT.replace("fever", "fièvre — “fever”"), encoding="utf-8")
    out = tmp_path / "out"
    _convert(str(page), "-o", str(out), "--ascii")
    data = (out / "aspirin.html").read_bytes()
    assert data.isascii()
    assert b"\\u00e8" in data


def test_preview_flag_writes_index_html(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _convert(str(_page(tmp_path)), "-o", str(out), "--preview")
    assert GENERATOR in (out / "index.html").read_text(encoding="utf-8")


def test_a_batch_always_writes_the_preview(tmp_path: Path) -> None:
    _page(tmp_path, "a.txt")
    _page(tmp_path, "b.txt")
    out = tmp_path / "out"
    _convert(str(tmp_path / "pages"), "-o", str(out))
    preview = (out / "index.html").read_text(encoding="utf-8")
    assert "a.txt" in preview
    assert "b.txt" in preview


def test_a_page_named_index_keeps_its_snippet_and_moves_the_preview(tmp_path: Path) -> None:
    _page(tmp_path, "index.txt")
    _page(tmp_path, "b.txt")
    out = tmp_path / "out"
    _convert(str(tmp_path / "pages"), "-o", str(out))
    assert (out / "index.html").read_text(encoding="utf-8").startswith("<script")
    assert (out / "schemapress-preview.html").is_file()


def test_preview_to_stdout_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["convert", str(_page(tmp_path)), "-o", "-", "--preview"])
    assert result.exit_code == 2


def test_validate_on_the_output_folder_skips_fragments_and_preview(tmp_path: Path) -> None:
    _page(tmp_path, "a.txt")
    _page(tmp_path, "b.txt")
    out = tmp_path / "out"
    _convert(str(tmp_path / "pages"), "-o", str(out))
    result = CliRunner().invoke(main, ["validate", str(out)])
    assert "faq.html" not in result.stdout
    assert "index.html" not in result.stdout
    assert "html.no-jsonld" not in result.stdout
