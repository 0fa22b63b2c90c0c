"""Alias templates matched around the name's places give what `finditer` of them filled gives.

The reference compiles each template with the name in it, as the analysis did before; the real
templates and made-up ones (the name in the middle, a tail that looks back into the name, one that
starts with a quantifier) run over texts built from names, template words and the letters where
case folding is tricky.
"""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from pipeline.analyse.aliases import filled, template_matches
from pipeline.analyse.subject import load_subject_rules

SUBJECT = load_subject_rules()
TEMPLATES = (
    *SUBJECT.explicit_aliases,
    *SUBJECT.implied_aliases,
    r"(?<=[a-z,;] ){name}\s*\((?P<alias>[^()]{{2,60}})\)",
    r"{name}(?<=n)\s+or\s+(?P<alias>\w+)",
    r"(?P<alias>\w+)\s+(?:or|oder)\s+{name}\b",
    r"(?P<alias>\w+) \({name}\)",
    r"{name}+(?P<alias>x\w*)",
    r"{name}\s+or|(?P<alias>zz\w+)",
    r"\b{name}\b",
)
NAMES = ["Ibuprofen", "kava", "St John's wort", "Ana", "İbu", "ſtevia", "K-1"]
TRICKY = "İıiIſsSKkΣσςµßẞ١ ,.-:()\n–"
PIECES = st.one_of(
    st.sampled_from(NAMES),
    st.sampled_from(NAMES).map(str.upper),
    st.sampled_from(NAMES).map(str.lower),
    st.sampled_from(
        ["also known as", "(aka ", "(", ")", " – ", "called as", " or ", "oder", "x", "zzroot"]
    ),
    st.text(alphabet=TRICKY, max_size=3),
    st.text(alphabet="abcnx ", min_size=1, max_size=6),
)
TEXTS = st.lists(PIECES, max_size=24).flatmap(
    lambda pieces: st.sampled_from(["", " "]).map(lambda gap: gap.join(pieces))
)


def _groups(match: re.Match[str]) -> tuple[tuple[int, int], ...]:
    """Where the match ends and where each named group is: a tail's match starts after the name."""
    spans = tuple(match.span(group) for group in sorted(match.re.groupindex))
    return ((-1, match.end()), *spans)


@settings(max_examples=300)
@given(name=st.sampled_from(NAMES), text=TEXTS)
@example(name="Ana", text="anana (x)")
@example(name="kava", text="kava known as kava known as root")
@example(name="kava", text="zzroot or kava or")
@example(name="kava", text="KAVA (piper methysticum)")
@example(name="ſtevia", text="Stevia (sweet leaf)")
def test_matches_equal_the_filled_templates(name: str, text: str) -> None:
    expected = [[_groups(m) for m in filled(re.escape(name), t).finditer(text)] for t in TEMPLATES]

    found = template_matches(name, text, TEMPLATES)

    assert [[_groups(m) for m in matches] for matches in found] == expected


def test_an_empty_name_matches_as_the_filled_templates_do() -> None:
    """A front-matter name of spaces strips to nothing; the search must still end, and agree."""
    text = "Kava (root), also known as bark. Bark (kava) – Piper methysticum"
    templates = (*SUBJECT.explicit_aliases, *SUBJECT.implied_aliases)
    expected = [[_groups(m) for m in filled("", t).finditer(text)] for t in templates]

    found = template_matches("", text, templates)

    assert [[_groups(m) for m in matches] for matches in found] == expected
