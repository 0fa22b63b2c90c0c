"""A matcher finds the same in texts whether it scans them itself or takes a shared page scan's hits.

The texts are a page's blocks, pieces of them, the case-folded page, texts out of order and texts
the page does not hold; the page is built from the profiles' words and the tricky letters.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from hypothesis import example, given
from hypothesis import strategies as st

from pipeline.analyse.doses import load_dose_rules
from pipeline.analyse.scan import scanner
from tests.property.test_matcher import MATCHERS, TEXTS

if TYPE_CHECKING:
    import re

DOSE = load_dose_rules()
SCANNED = (*MATCHERS.values(), DOSE.form_cue, DOSE.routes)
SCANNER = scanner(SCANNED)


def _spans(found: list[list[list[re.Match[str]]]]) -> list[list[list[tuple[int, int]]]]:
    return [[[m.span() for m in matches] for matches in text] for text in found]


@given(st.lists(TEXTS, min_size=1, max_size=6), st.integers(0, 3))
@example(["Side effects: nausea.", "Sold as tablets, taken orally. 5 mg a day."], 1)
@example(["Kava (Piper methysticum) contains compounds such as kavain.", "ſide İ"], 0)
def test_a_shared_page_scan_finds_what_each_matcher_finds_alone(
    blocks: list[str], cut: int
) -> None:
    page = "\n".join(blocks)
    scan = SCANNER.scan(page)
    # The page's own blocks are always found in it: the shared hits are what is tested.
    assert scan is None or scan.regions(blocks) is not None
    pieces = [piece.strip() for block in blocks for piece in block.split(",")[cut:]]
    for texts in (blocks, pieces, [page.casefold()], [page], blocks[::-1], ["x", *blocks]):
        for matcher in SCANNED:
            assert matcher.counts_many(texts, scan) == matcher.counts_many(texts)
            assert matcher.matching_many(texts, scan) == matcher.matching_many(texts)
            assert _spans(matcher.finditer_many(texts, scan)) == _spans(
                matcher.finditer_many(texts)
            )


@given(st.lists(TEXTS, min_size=1, max_size=4), st.lists(st.integers(0, 200), max_size=8))
@example(["Dosage: doses of 5 mg, side effects."], [2, 9, 13, 20])
def test_texts_cut_anywhere_in_the_page_find_what_re_finds(
    blocks: list[str], cuts: list[int]
) -> None:
    # Cuts through a literal leave it in neither text: only wholly held literal starts count.
    page = "\n".join(blocks)
    bounds = sorted({0, len(page), *(cut for cut in cuts if cut < len(page))})
    texts = [page[low:high] for low, high in itertools.pairwise(bounds)]
    scan = SCANNER.scan(page)
    for matcher in SCANNED:
        expected = [[list(p.finditer(text)) for p in matcher.patterns] for text in texts]
        assert _spans(matcher.finditer_many(texts, scan)) == _spans(expected)
        assert matcher.counts_many(texts, scan) == [list(map(len, text)) for text in expected]
        assert [[(i, m.span()) for i, m in found] for found in matcher.first_many(texts)] == [
            [(i, ms[0].span()) for i, ms in enumerate(text) if ms] for text in expected
        ]
