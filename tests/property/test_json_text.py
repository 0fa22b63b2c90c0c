"""Our indented JSON writer gives exactly what `json.dumps(indent=2)` gives, or the same error."""

from __future__ import annotations

import enum
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.emit.jsonld import indented_json


class _Colour(enum.IntEnum):
    RED = 1


_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),  # NaN and infinities included: both writers must refuse them
    st.text(),
    st.just(_Colour.RED),
)
_KEYS = st.one_of(st.text(max_size=8), st.integers(), st.booleans(), st.none())
VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(_KEYS, inner, max_size=4),
    ),
    max_leaves=30,
)


def _reference(value: object, *, ascii_only: bool, margin: str) -> str:
    text = json.dumps(value, indent=2, ensure_ascii=ascii_only, allow_nan=False)
    return text.replace("\n", "\n" + margin)


@settings(max_examples=300)
@given(value=VALUES, ascii_only=st.booleans(), margin=st.sampled_from(["", "  ", "    "]))
def test_same_text_as_json_dumps(value: object, *, ascii_only: bool, margin: str) -> None:
    try:
        expected = _reference(value, ascii_only=ascii_only, margin=margin)
    except ValueError as error:
        with pytest.raises(ValueError, match=f"^{re.escape(str(error))}$"):
            indented_json(value, ascii_only=ascii_only, margin=margin)
    else:
        assert indented_json(value, ascii_only=ascii_only, margin=margin) == expected


@pytest.mark.parametrize(
    "value",
    [
        {},
        [],
        {"a": [], "b": {}, "c": [{}]},
        [1, True, 0, False, None, 1.0, -0.0, 1e16, 5e-324],
        {"\u2028": "</script>\x00é😀"},
        {1: "number key", False: "bool key", None: "null key", 2.5: "float key"},
        (1, (2, 3)),
        {"nested": {"deeper": [{"deepest": "x"}]}},
    ],
)
def test_edge_values(value: object) -> None:
    for ascii_only in (False, True):
        expected = _reference(value, ascii_only=ascii_only, margin="    ")
        assert indented_json(value, ascii_only=ascii_only, margin="    ") == expected
