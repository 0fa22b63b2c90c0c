"""The real-page evaluation as a gate: figures may not fall below their floors or the issues' targets."""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from types import ModuleType

EVAL = Path(__file__).parent / "eval" / "evaluate.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("evaluate", EVAL)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["evaluate"] = module
    spec.loader.exec_module(module)
    return module


evaluate = _load()


@pytest.fixture(scope="module")
def figures() -> dict[str, float]:
    pages = evaluate.realpages_dir()
    if pages is None:
        if os.environ.get("CI"):
            pytest.fail("the labelled real pages are missing (../shared/realpages)")
        pytest.skip("the labelled real pages are not beside the checkout")
    result: dict[str, float]
    result, tally = evaluate.evaluate(pages)
    print("\n".join(f"{name:20} {value:g}" for name, value in result.items()))
    assert not tally.failures, tally.failures
    return result


def test_every_real_page_converts_without_a_tool_error(figures: dict[str, float]) -> None:
    assert figures["failed_pages"] == 0


def test_figures_meet_the_issue_targets(figures: dict[str, float]) -> None:
    for name, target in evaluate.TARGETS.items():
        assert figures[name] >= target, f"{name} {figures[name]} is below the target {target}"
    for name, least in evaluate.MIN_COUNTS.items():
        assert figures[name] >= least, f"{name} {figures[name]} is below {least}"


def test_figures_do_not_fall_below_their_floors(figures: dict[str, float]) -> None:
    pinned = json.loads(evaluate.FLOORS.read_text("utf-8"))
    pages = evaluate.realpages_dir()
    assert pages is not None
    if pinned["fingerprint"] != evaluate.fingerprint(pages):
        pytest.fail("the labelled corpus changed; rerun tests/eval/evaluate.py --update")
    lower_is_better = {"furniture_leaks", "failed_pages"}
    for name, floor in pinned["floors"].items():
        if name in lower_is_better:
            assert figures[name] <= floor, f"{name} rose to {figures[name]} (floor {floor})"
        else:
            assert figures[name] >= floor - evaluate.NOISE, (
                f"{name} fell to {figures[name]} (floor {floor})"
            )
