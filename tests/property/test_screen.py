"""The fast screen (jsonschema-rs) and jsonschema give every node the same verdict.

The screen alone clears a node, so a node it passed and jsonschema would fail is an error we
would miss. Nodes come from our golden graphs and the official examples, then are mutated toward
the edges of our schemas: wrong types, IRIs and dates just out of format, integral floats.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.validate import load_validators
from pipeline.validate.nodes import walk

TESTS = Path(__file__).resolve().parents[1]
SOURCES = sorted(
    [*(TESTS / "golden").rglob("*.jsonld"), *(TESTS / "conformance" / "examples").glob("*.json")]
)
TOOLKIT = load_validators()
NODES = [
    node for path in SOURCES for node in walk(json.loads(path.read_text(encoding="utf-8"))).nodes
]
SEEDS = [node.data for node in NODES if any(t in TOOLKIT.schemas for t in node.types)]
# Values at the edges of our schemas' keywords: formats, lengths, types, enums, patterns.
EDGES = st.sampled_from(
    [
        "",
        " ",
        "x",
        "https://example.org/a",
        "https://example.org/a b",
        "example.org/a",
        "#faq",
        "#",
        "/drugs/kratom/",
        "urn:isbn:0451450523",
        "mailto:",
        "2024-02-29",
        "2023-02-29",
        "2024-13-01",
        "2024-01-01T10:00:00Z",
        "2024-01-01T25:00",
        "2024-01-01 10:00",
        "12",
        "١٢",
        "<p>Take with food.</p>",
        "<script>alert(1)</script>",
        "https://schema.org/Drug",
        "Drug",
        "DietarySupplement",
        "en",
        0,
        -1,
        1,
        1.0,
        1.5,
        True,
        False,
        None,
        [],
        {},
        {"@type": "Answer", "text": "Yes."},
        {"@type": "Answer"},
        {"@id": "#answer"},
        {"@type": "Person", "name": "A. Writer"},
        ["https://example.org/a"],
        [{"@type": "Question", "name": "Why?"}],
    ]
)
JSON = st.recursive(
    EDGES | st.text(max_size=8) | st.integers() | st.floats(allow_nan=False),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=6,
)


def _verdicts(node: Any) -> list[tuple[str, bool, bool]]:
    return [
        (name, TOOLKIT.screens[name].is_valid(node), schema.is_valid(node))
        for name, schema in TOOLKIT.schemas.items()
    ]


def test_there_are_seeds_of_every_type_we_emit() -> None:
    typed = {t for node in NODES for t in node.types}
    assert {"MedicalWebPage", "Drug", "FAQPage", "Question", "Answer"} <= typed
    assert len(SEEDS) > 50


@pytest.mark.parametrize("seed", range(len(SEEDS)))
def test_every_seed_node_gets_the_same_verdict_from_both(seed: int) -> None:
    for name, screened, explained in _verdicts(SEEDS[seed]):
        assert screened == explained, name


@given(
    seed=st.integers(0, len(SEEDS) - 1),
    edits=st.lists(
        st.tuples(st.sampled_from(["set", "drop", "wrap"]), st.integers(0, 40), JSON),
        min_size=1,
        max_size=3,
    ),
)
def test_a_mutated_node_gets_the_same_verdict_from_both(
    seed: int, edits: list[tuple[str, int, Any]]
) -> None:
    node = dict(SEEDS[seed])
    for action, number, value in edits:
        keys = sorted(node)
        key = keys[number % len(keys)] if keys and number < 30 else f"extra{number}"
        if action == "set":
            node[key] = value
        elif action == "drop":
            node.pop(key, None)
        elif key in node:
            node[key] = [node[key], value]
    for name, screened, explained in _verdicts(node):
        assert screened == explained, (name, node)
