"""The lexicon matcher agrees with `re` on every pattern the profiles hold, on any text.

Texts are drawn from the profiles' own words (so rules do match), case changes, and the letters
where case folding is tricky: dotted and dotless i, long s, Kelvin sign, final sigma, micro sign,
German sharp s, ligatures whose upper case two letters share, and non-ASCII digits.
"""

from __future__ import annotations

import re
import sys

from hypothesis import example, given, settings
from hypothesis import strategies as st

from pipeline.analyse import subject
from pipeline.analyse.aliases import filled
from pipeline.analyse.matcher import SHARED_UPPER, Matcher, fold
from pipeline.analyse.profile import load_profile
from pipeline.analyse.subject import load_subject_rules
from pipeline.analyse.words import name_starts

PROFILE = load_profile()
SUBJECT = load_subject_rules()
TABLES = {
    "bodies": [rule.pattern for rule in PROFILE.bodies],
    "headings": [rule.pattern for rule in PROFILE.headings],
    "interactions": [rule.pattern for rule in PROFILE.interactions],
    "types": list(SUBJECT.type_words.patterns),
    "ingredients": list(SUBJECT.ingredients.patterns),
    "aliases": [
        filled("Ibuprofen", template)
        for template in SUBJECT.explicit_aliases + SUBJECT.implied_aliases
    ],
}
MATCHERS = {name: Matcher.build(patterns) for name, patterns in TABLES.items()}
WORDS = sorted(
    {
        word
        for patterns in TABLES.values()
        for pattern in patterns
        for word in re.findall(r"[^\W\d_]{2,}(?: [^\W\d_]{2,})?", pattern.pattern)
    }
)
TRICKY = "İıiIſsSKkΣσςµμßẞ\ufb05\ufb06\u0390\u1fd3١٢५ ,.-:()\n"
PIECES = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(WORDS).map(str.upper),
    st.sampled_from(WORDS).map(str.title),
    st.sampled_from(WORDS).flatmap(lambda w: st.integers(1, len(w)).map(lambda k: w[:k])),
    st.text(alphabet=TRICKY, max_size=4),
    st.sampled_from(
        ["5 mg", "200mg", "twice a day", "such as ", " and ", "ibuprofen", "also known as", "(aka"]
    ),
)
TEXTS = st.lists(PIECES, max_size=30).map(" ".join)


def _expected(patterns: list[re.Pattern[str]], text: str) -> list[list[tuple[int, int]]]:
    return [[m.span() for m in pattern.finditer(text)] for pattern in patterns]


@settings(max_examples=400)
@given(st.sampled_from(sorted(TABLES)), TEXTS)
@example("bodies", "Side effects: NAUSEA, ſide effects and 200 mg twice a day.")
@example("bodies", "副作用には吐き気があります。用量は１日２回です。")
@example("types", "A dietary supplement, an HERBAL \u212aava supplement.")
def test_the_matcher_finds_what_re_finds(table: str, text: str) -> None:
    matcher, patterns = MATCHERS[table], TABLES[table]
    expected = _expected(patterns, text)
    assert [[m.span() for m in found] for found in matcher.finditer_many([text])[0]] == expected
    assert matcher.counts_many([text])[0] == [len(spans) for spans in expected]
    assert matcher.matching(text) == [i for i, spans in enumerate(expected) if spans]
    parts = text.split(",")
    assert matcher.matching_many(parts) == [
        [i for i, spans in enumerate(_expected(patterns, part)) if spans] for part in parts
    ]
    assert [[[m.span() for m in f] for f in found] for found in matcher.finditer_many(parts)] == [
        _expected(patterns, part) for part in parts
    ]
    first = [(i, p.search(text)) for i, p in enumerate(patterns)]
    assert [(i, m.span()) for i, m in matcher.first_many([text])[0]] == [
        (i, m.span()) for i, m in first if m is not None
    ]


@given(st.text(alphabet=TRICKY + "abcXYZ", max_size=40))
def test_fold_keeps_offsets_and_equal_letters_equal(text: str) -> None:
    folded = fold(text)
    if folded is None:
        return
    assert len(folded) == len(text)
    for index, letter in enumerate(text):
        literal = re.compile(re.escape(folded[index]), re.IGNORECASE)
        assert literal.fullmatch(letter) or letter.isdecimal()


def test_only_dotted_capital_i_lowers_to_two_letters() -> None:
    longer = [c for c in map(chr, range(sys.maxunicode + 1)) if len(c.lower()) != 1]
    assert longer == ["\u0130"]


def test_the_shared_upper_case_letters_are_exactly_those_of_the_unicode_database() -> None:
    by_upper: dict[str, set[str]] = {}
    for letter in map(chr, range(sys.maxunicode + 1)):
        lower = letter.lower()
        if len(lower) == 1 and len(lower.upper()) > 1:
            by_upper.setdefault(lower.upper(), set()).add(lower)
    shared = {c for letters in by_upper.values() if len(letters) > 1 for c in letters}
    assert shared == set(SHARED_UPPER)


def test_every_pattern_word_and_its_stems_are_found_as_re_finds_them() -> None:
    # Optional endings ("doses?", "rash(es)?") are where a wrong literal start would hide.
    for patterns in TABLES.values():
        for pattern in patterns:
            alone = Matcher.build([pattern])
            for word in set(re.findall(r"[^\W\d_]{2,}", pattern.pattern)):
                for k in range(max(1, len(word) - 3), len(word) + 1):
                    text = f"x {word[:k]}, {word[:k].upper()}."
                    found = [m.span() for m in alone.finditer_many([text])[0][0]]
                    assert found == [m.span() for m in pattern.finditer(text)], (pattern, text)


@given(
    st.sampled_from(["Kava", "St. John's wort", "İbuprofen", "CBD"]),
    st.lists(
        st.sampled_from(
            ["kava", "KAVA", "\nKava :", "Kava:", "st. john's wort", "ibuprofen", "cbd", "\n", ","]
        )
        | st.text(alphabet=TRICKY, max_size=3),
        max_size=12,
    ).flatmap(lambda pieces: st.sampled_from(["", " "]).map(lambda gap: gap.join(pieces))),
)
@example("Kava", "x Kava: a kava, KAVA\nKava :\nkava")
@example("a.a", "x a.a.a, a.a")  # the second place overlaps the first match
@example("B12", "b\u0661\u0662 B12")  # Arabic-Indic digits fold to 1 and 2, which `re` keeps apart
@example("", "a kava, x:\nKava :")  # a front-matter name of spaces strips to nothing
def test_names_are_found_where_their_patterns_find_them(name: str, text: str) -> None:
    """Each name search compiles only the name; the reference compiles the pattern it stands for."""
    escaped = re.escape(name)
    words = list(re.compile(rf"\b{escaped}\b", re.IGNORECASE).finditer(text))
    mid = re.compile(rf"(?<=[a-z,;] ){escaped}\b", re.IGNORECASE).finditer(text)
    labels = re.compile(rf"(?:^|\n){escaped}\s*:", re.IGNORECASE).finditer(text)

    assert subject._word_forms(name, text) == tuple(m.group() for m in words)
    assert subject._holds_word(name, text) == bool(words)
    assert subject._spelled(name, text, subject._MID_SENTENCE) == [m.group() for m in mid]
    assert subject._labels(name, text) == len(list(labels))
    assert name_starts(name, text) == [
        at for at in range(len(text) + 1) if re.match(escaped, text[at:], re.IGNORECASE)
    ]
