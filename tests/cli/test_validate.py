from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main

FIXTURES = Path(__file__).parents[1] / "conformance"


def _fixture(name: str) -> Path:
    matches = sorted(FIXTURES.rglob(name))
    assert matches, name
    return matches[0]


def test_valid_faq_page_exits_0() -> None:
    result = CliRunner().invoke(
        main, ["validate", str(_fixture("faq-valid.html"))], catch_exceptions=False
    )

    assert result.exit_code == 0, result.stdout


def test_missing_answer_exits_1_and_names_the_rule() -> None:
    result = CliRunner().invoke(main, ["validate", str(_fixture("faq-missing-answer.html"))])

    assert result.exit_code == 1
    assert "content.answer-missing" in result.stdout


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit", "text"])
def test_every_format_is_written_to_stdout(fmt: str) -> None:
    result = CliRunner().invoke(
        main, ["validate", str(_fixture("faq-graph-dangling.html")), "--format", fmt]
    )

    assert result.exit_code == 1
    assert "graph.dangling-reference" in result.stdout
    if fmt in {"json", "sarif"}:
        json.loads(result.stdout)


def test_our_own_output_validates(tmp_path: Path) -> None:
    examples = Path(__file__).parents[2] / "examples"
    CliRunner().invoke(
        main, ["convert", str(examples), "-o", str(tmp_path)], catch_exceptions=False
    )

    result = CliRunner().invoke(main, ["validate", str(tmp_path)], catch_exceptions=False)

    assert result.exit_code == 0, result.stdout


def test_nothing_to_validate_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(tmp_path)])

    assert result.exit_code == 2
