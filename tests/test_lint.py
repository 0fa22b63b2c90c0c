"""The house style as a gate: ruff (select ALL, formatted) and mypy --strict on package and tests."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff comes with the test extras")
def test_ruff_finds_nothing() -> None:
    checked = _run("ruff", "check", "pipeline", "tests", "scripts", "bench")
    formatted = _run("ruff", "format", "--check", "pipeline", "tests", "scripts", "bench")

    assert checked.returncode == 0, checked.stdout
    assert formatted.returncode == 0, formatted.stdout


def test_mypy_strict_passes_on_the_package_and_its_tests() -> None:
    done = _run(sys.executable, "-m", "mypy")

    assert done.returncode == 0, done.stdout
