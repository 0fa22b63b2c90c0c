"""The clean screen's grouped needles find a needle in exactly the texts the flat list did.

`_reference_holds` is the test as it was: every needle searched for in turn. Needles drawn from a
few letters share parts often, and texts are built from needles so that they hold them often.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pipeline import clean
from pipeline.clean import load_clean_rules

NEEDLES = st.lists(st.text("abc _", min_size=1, max_size=12), min_size=1, max_size=12, unique=True)


def _reference_holds(needles: list[str], lower: str) -> bool:
    return any(needle in lower for needle in needles)


@given(needles=NEEDLES, data=st.data())
def test_grouped_needles_hold_where_the_flat_list_does(
    needles: list[str], data: st.DataObject
) -> None:
    groups = clean._by_part(needles)
    pieces = st.sampled_from(needles) | st.text("abc _", max_size=6)
    lower = "".join(data.draw(st.lists(pieces, max_size=5)))

    assert sorted(n for _, held in groups for n in held) == sorted(needles)
    assert all(part in needle for part, held in groups for needle in held)
    assert clean.Screen((), groups, ()).passes(lower) == _reference_holds(needles, lower)


def test_the_furniture_needles_share_parts() -> None:
    groups = load_clean_rules().line_screen.needles

    assert len(groups) < sum(len(held) for _, held in groups)
