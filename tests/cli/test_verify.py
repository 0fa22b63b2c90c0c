from __future__ import annotations

import json
from typing import TYPE_CHECKING

from click.testing import CliRunner

from pipeline.cli import main

if TYPE_CHECKING:
    from pathlib import Path

PAGE_TEXT = (
    "Aspirin\n\nAspirin is a drug people take to ease pain and fever.\n\n"
    "Is aspirin safe?\n\nAspirin can upset the stomach and cause bleeding in some people.\n\n"
    "How much aspirin can I take?\n\nAdults take one or two tablets every four hours.\n"
)


def _convert(tmp_path: Path) -> tuple[Path, Path]:
    page = tmp_path / "aspirin.txt"
    page.write_text(PAGE_TEXT, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["convert", str(page), "-o", str(out)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.stderr
    return out / "aspirin.html", out / "aspirin.jsonld"


def _saved_page(tmp_path: Path, head: str) -> Path:
    saved = tmp_path / "saved.html"
    saved.write_text(f"<!DOCTYPE html><html><head>{head}</head><body><p>x</p></body></html>")
    return saved


def test_intact_paste_exits_0_with_an_ok_line(tmp_path: Path) -> None:
    snippet, jsonld = _convert(tmp_path)
    saved = _saved_page(tmp_path, snippet.read_text(encoding="utf-8"))
    result = CliRunner().invoke(
        main, ["verify", str(saved), "--expect", str(jsonld)], catch_exceptions=False
    )
    assert result.exit_code == 0
    assert result.stdout.startswith(f"{saved.as_posix()}: ok (")
    assert result.stderr == ""


def test_damaged_paste_exits_1_with_rule_message_and_hint(tmp_path: Path) -> None:
    snippet, _ = _convert(tmp_path)
    damaged = snippet.read_text(encoding="utf-8").replace('"@context"', "“@context”")
    saved = _saved_page(tmp_path, damaged)
    result = CliRunner().invoke(main, ["verify", str(saved)], catch_exceptions=False)
    assert result.exit_code == 1
    assert "verify.curly-quotes" in result.stdout
    assert "hint: turn off smart quotes" in result.stdout


def test_json_format_lists_the_findings(tmp_path: Path) -> None:
    snippet, _ = _convert(tmp_path)
    text = snippet.read_text(encoding="utf-8")
    saved = _saved_page(tmp_path, text + text)
    result = CliRunner().invoke(main, ["verify", str(saved), "--format", "json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert [f["rule"] for f in report["files"][0]["findings"]] == ["verify.duplicated"]


def test_page_from_stdin(tmp_path: Path) -> None:
    snippet, jsonld = _convert(tmp_path)
    page = f"<html><head>{snippet.read_text(encoding='utf-8')}</head></html>"
    result = CliRunner().invoke(main, ["verify", "-", "--expect", str(jsonld)], input=page)
    assert result.exit_code == 0, result.stdout
    assert result.stdout.startswith("-: ok")


def test_missing_page_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["verify", str(tmp_path / "nope.html")])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_expect_that_is_not_json_is_a_usage_error(tmp_path: Path) -> None:
    snippet, _ = _convert(tmp_path)
    saved = _saved_page(tmp_path, snippet.read_text(encoding="utf-8"))
    result = CliRunner().invoke(main, ["verify", str(saved), "--expect", str(snippet)])
    assert result.exit_code == 2
    assert "not a JSON-LD file" in result.stderr
