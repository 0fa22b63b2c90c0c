"""Block rules turned off for a page must not change its tokens: the gating only skips dead tries."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.read.encoding import normalise_text
from pipeline.read.markdown_tree import _blocks_parser, _unused_rules
from tests.property.strategies import WORDS, markdown_pages

# What a line may open with: indent, code indent, quote and list marks, around the marker runs.
_PREFIXES = ["", " ", "   ", "    ", "\t", "> ", ">", "- ", "* ", "1. ", "  - ", "> - ", "-\t"]
# Thematic breaks, setext underlines, link definitions, and near misses of each.
_MARKERS = [
    "---", "***", "___", "- - -", "* * *", "_ _ _", "--", "**", "-- -", "*-*", "--- x", "- -",
    "===", "=", "-", "= =", "==x", "=== ", "---\t", "***  ", "-\t-\t-", "[a]: /x", "[a]:",
    "[a]\n: /x", "[a] : /x", "]:", "[a]: /x 'title'", "# h", "<div>", "| a |", "```",
]  # fmt: skip
_ENDS = ["", " ", "\t", " x", "-", "="]
_LINE = st.builds(
    "".join,
    st.tuples(
        st.sampled_from(_PREFIXES),
        st.one_of(st.sampled_from(_MARKERS), WORDS),
        st.sampled_from(_ENDS),
    ),
)
# A few lines under one prefix, so a marker line can follow text in the same quote or list item.
_GROUP = st.builds(
    lambda prefix, lines: [prefix + line for line in lines],
    st.sampled_from(_PREFIXES),
    st.lists(st.one_of(_LINE, WORDS), min_size=1, max_size=3),
)
_PAGES = st.lists(_GROUP, max_size=6).flatmap(
    lambda groups: st.sampled_from(["\n", "\r\n", "\r"]).map(
        lambda end: end.join(line for group in groups for line in group)
    )
)


def _assert_same_tokens(page: str) -> None:
    body = normalise_text(page)  # as read_markdown hands bodies to the tree
    full_env: dict[str, object] = {}
    gated_env: dict[str, object] = {}

    full = _blocks_parser(frozenset()).parse(body, full_env)
    gated = _blocks_parser(_unused_rules(body)).parse(body, gated_env)

    assert gated == full, body
    assert gated_env == full_env, body


@given(st.one_of(markdown_pages(), _PAGES))
@settings(max_examples=max(settings().max_examples, 300))
def test_gated_parse_gives_the_tokens_of_the_full_parse(page: str) -> None:
    _assert_same_tokens(page)


def test_every_marker_line_after_text_parses_the_same() -> None:
    for prefix, text_prefix, marker, end in itertools.product(
        _PREFIXES, ["", ">", "  "], _MARKERS, _ENDS
    ):
        _assert_same_tokens(f"{prefix}a\n{text_prefix}{prefix}{marker}{end}")
