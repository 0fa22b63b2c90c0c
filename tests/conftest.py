"""Shared fixtures: settings factory, one toolkit per session, golden-file comparison."""

from __future__ import annotations

import difflib
import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from pipeline.api import Toolkit
from pipeline.settings import Settings

if TYPE_CHECKING:
    from collections.abc import Callable

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SCHEMAPRESS_SHARED", ROOT.parent / "shared"))
SEED = SHARED / "seed" / "000_b39bcc1e422b6834.txt"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite golden files instead of comparing"
    )


@pytest.fixture(scope="session")
def toolkit() -> Toolkit:
    return Toolkit.from_settings(Settings())


@pytest.fixture
def seed_path() -> Path:
    if not SEED.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"the seed page is missing at {SEED}")
        pytest.skip(f"the seed page is not at {SEED}")
    return SEED


Golden = "Callable[[Path, bytes | str], None]"


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[Path, bytes | str], None]:
    """Compare bytes with a golden file; `pytest --update-golden` rewrites it instead."""
    update = bool(request.config.getoption("--update-golden"))

    def check(path: Path, actual: bytes | str) -> None:
        data = actual.encode("utf-8") if isinstance(actual, str) else actual
        if update or not path.exists():
            if not update:
                pytest.fail(f"golden file {path} is missing; run pytest --update-golden")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            return
        expected = path.read_bytes()
        if expected != data:
            diff = "".join(
                difflib.unified_diff(
                    expected.decode("utf-8", "replace").splitlines(keepends=True),
                    data.decode("utf-8", "replace").splitlines(keepends=True),
                    fromfile=str(path),
                    tofile="actual",
                )
            )
            pytest.fail(f"{path} differs (pytest --update-golden rewrites it):\n{diff}")

    return check
