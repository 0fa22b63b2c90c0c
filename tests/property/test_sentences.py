"""Sentence ends found from their first character that is not a plain space split text as before.

`_END` once tried every position of a text, spaces included; now `re` skips to the places an end
can start. `OLD_END` is the pattern as it was. An initial is looked for at a text's end only.
"""

from __future__ import annotations

import re
import sys
from unittest.mock import patch

from hypothesis import example, given
from hypothesis import strategies as st

from pipeline.analyse import lexicon

OLD_END = re.compile(
    r"[.!?\u2026]+[\"'\u201d\u2019)\]]*\s+|[\u3002\uff01\uff1f]+[\u300d\u300f\u201d\uff09)]*\s*"
    r"|\s*\n\s*"
)
PIECES = st.sampled_from(
    [
        *".!?\u2026\u3002\uff01\uff1f\u300d\u300f\u201d\u2019)\"'] \n\t\r\u00a0\u2028\u3000aBx1(-",
        "e.g.",
        "Dr.",
        "St.",
        "No. 5",
        "2.5",
        "...",
        "  \n  ",
        "Take it.",
        "J. Smith",
    ]
)
TEXTS = st.lists(PIECES, max_size=40).map("".join)


@given(TEXTS)
@example("Take 2.5 mg. \n Then rest.  \t\nDr. Smith agrees.  Yes!\u3000\n多喝水。然后休息。")
def test_ends_are_found_where_they_were_less_their_leading_plain_spaces(text: str) -> None:
    old = [(s + len(text[s:e]) - len(text[s:e].lstrip(" ")), e) for s, e in _spans(OLD_END, text)]
    assert _spans(lexicon._END, text) == old


@given(TEXTS)
@example("A b.  \n  C d.   e.g. F.\n\n G (H.) I.")
def test_sentences_are_those_the_old_end_pattern_gave(text: str) -> None:
    with patch.object(lexicon, "_END", OLD_END):
        expected = lexicon.split_sentences.__wrapped__(text)
    assert lexicon.split_sentences.__wrapped__(text) == expected


@given(TEXTS.map(lambda text: f"{text}."))
@example("(J.")
@example("x (J.")
def test_an_initial_is_found_at_the_end_as_the_whole_search_finds_it(before: str) -> None:
    assert lexicon._ends_with_initial(before) == bool(lexicon._INITIAL.search(before))


def test_the_breaking_space_class_is_white_space_but_the_plain_space() -> None:
    breaking = re.compile(f"[{lexicon.BREAKING_SPACE_CLASS}]")
    for char in map(chr, range(sys.maxunicode + 1)):
        assert bool(breaking.match(char)) == (bool(re.match(r"\s", char)) and char != " ")


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [match.span() for match in pattern.finditer(text)]
