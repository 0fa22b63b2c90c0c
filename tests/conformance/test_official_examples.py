"""Every official example validates with no errors; each expected warning is listed with why."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.report import to_json_path
from pipeline.validate import validate_json_text

EXAMPLES = Path(__file__).parent / "examples"

# The health-lifesci Drug example predates the 15.0 model; schema.org tolerates what it does.
KNOWN_WARNINGS: dict[str, set[tuple[str, str]]] = {
    "noid_health-lifesci-drug-example_Drug.json": {
        ("vocabulary.off-domain-property", "$.adverseOutcome"),
        ("vocabulary.off-domain-property", "$.contraindication"),
        ("vocabulary.off-domain-property", "$.seriousAdverseOutcome"),
        # `indication` was removed after schema.org 3.x.
        ("vocabulary.unknown-property", "$.indication"),
    },
}


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.stem)
def test_official_example_has_no_errors(example: Path) -> None:
    report = validate_json_text(example.read_text(encoding="utf-8"), source=example.name)

    assert report.errors == ()
    assert report.checked_nodes > 0
    warnings = {(f.rule, to_json_path(f.path)) for f in report.warnings}
    assert warnings == KNOWN_WARNINGS.get(example.name, set())


def test_examples_folder_is_not_empty() -> None:
    assert len(list(EXAMPLES.glob("*.json"))) == 12
