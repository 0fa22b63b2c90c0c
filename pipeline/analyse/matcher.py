"""Exact lexicon matching: Aho-Corasick finds where a rule can start, its own regex confirms.

A profile rule is a case-insensitive alternation of some hundred patterns, and searching every
sentence with every rule cost two thirds of a page's conversion. Nearly every pattern starts with
literal text ("nausea", "side[- ]?effects?" starts with "side"), so one automaton over those
prefixes, run once over a case-folded copy of the text, names the few places where each rule can
match; the rule's own compiled pattern is then tried only there (`Pattern.match(text, start)`, which
sees the text before `start` for look-behinds). Results equal `search` and `finditer` exactly:

- the fold maps two characters to the same one whenever `re.IGNORECASE` treats them as equal, so
  a match always shows its literal prefix in the folded text, at the same offsets;
- a pattern that starts otherwise is searched as before (skipped only when a text every match of
  it holds is absent), and so is a text the fold cannot map one to one (a letter whose upper case
  is several letters that another letter shares).
"""

from __future__ import annotations

import functools
import itertools
import re
import string
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import ahocorasick

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

    from pipeline.analyse.scan import Hit, PageScan

_META: Final = frozenset(".^$*+?{}[]\\|()")
_OPTIONAL: Final = frozenset("?*{")
# Quantifiers that let a group match nothing, and the marks that may follow them.
_SKIPPABLE: Final = frozenset("?*")
_LAZY_OR_POSSESSIVE: Final = frozenset("?+")
# Zero-width at the start of a pattern: the literal after it still starts the match.
_ZERO_WIDTH: Final = ("^", r"\b")
# Required-text sets multiply with each group of alternatives; past this, a run stops growing.
_MAX_REQUIRED: Final = 16
# A one-letter text is in nearly every text: not worth looking for.
_MIN_REQUIRED: Final = 2
_LOOKAROUNDS: Final = ("?<!", "?<=", "?=", "?!")
# Lower-case letters whose upper case is several letters that another lower-case letter shares:
# `re.IGNORECASE` treats each pair as equal, and no single folded letter stands for both. Kept in
# step with the Unicode database by tests/property/test_matcher.py.
SHARED_UPPER: Final = "\u0390\u1fd3\u03b0\u1fe3\ufb05\ufb06"
# The one letter whose full lower case is longer than its simple one ("İ" → "i̇"); `re` uses "i".
_DOTTED_CAPITAL_I: Final = {0x130: "i"}
_UNSURE: Final = "\uffff"
# Where each pattern can start in one text, by pattern index, and that text folded.
_Starts = tuple[dict[int, list[int]], str]


def fold(text: str) -> str | None:
    """Fold case the way `re.IGNORECASE` compares letters, keeping every offset; None if unsure.

    >>> fold("Side-Effects ſtill İ")
    'side-effects still i'
    """
    lowered = text.translate(_DOTTED_CAPITAL_I).lower() if "\u0130" in text else text.lower()
    if lowered.isascii():
        return lowered
    changes = {ord(c): f for c in set(lowered) if not c.isascii() and (f := _canonical(c)) != c}
    if _UNSURE in changes.values() or len(lowered) != len(text):
        return None
    return lowered.translate(changes) if changes else lowered


@functools.cache
def _canonical(letter: str) -> str:
    # `\d` matches every decimal digit; folding them to ASCII lets a digit prefix find them all.
    if letter.isdecimal():
        return str(int(letter))
    upper = letter.upper()
    if len(upper) > 1:
        return _UNSURE if letter in SHARED_UPPER else letter
    lower = upper.lower()
    return lower if len(lower) == 1 else _UNSURE


def prefixes(pattern: str) -> tuple[str, ...] | None:
    r"""The folded literal texts that every match of `pattern` starts with; None when unknown.

    >>> prefixes(r"side[- ]?effects?")
    ('side',)
    >>> prefixes(r"(liver|kidney) disease")
    ('liver', 'kidney')
    >>> prefixes(r"doses?\b|\d+\s?mg")
    ('dose', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9')
    >>> prefixes(r"(the )?risks?")
    ('the ', 'risk')
    >>> prefixes(r"(the )?(risks)?") is None
    True
    """
    found: list[str] = []
    start = 0
    for index, char, depth in _scan(pattern):
        if char == "|" and depth == 0:
            found.extend(_part_prefixes(pattern[start:index]) or ("",))
            start = index + 1
    found.extend(_part_prefixes(pattern[start:]) or ("",))
    return None if "" in found else tuple(dict.fromkeys(found))


def _part_prefixes(part: str) -> tuple[str, ...] | None:
    for marker in _ZERO_WIDTH:
        if part.startswith(marker):
            return _part_prefixes(part[len(marker) :])
    if part.startswith(r"\d"):
        return tuple(string.digits)
    if part.startswith("("):
        return _group_prefixes(part)
    run = ""
    for char in part:
        if char in _META:
            break
        run += char
    if run and part[len(run) : len(run) + 1] in _OPTIONAL:
        run = run[:-1]
    folded = fold(run) if run else None
    return (folded,) if folded else None


def _group_prefixes(part: str) -> tuple[str, ...] | None:
    """`_part_prefixes` of a part that opens with a group."""
    end = _group_end(part)
    inner = part[1:end]
    if end > 0 and inner.startswith(_LOOKAROUNDS):
        return _part_prefixes(part[end + 1 :])
    inner = inner.removeprefix("?:")
    quantifier = part[end + 1 : end + 2]
    if end < 0 or inner.startswith("?") or quantifier == "{":
        return None
    if quantifier in _SKIPPABLE:
        # A match starts in the group or, when the group matched nothing, in what follows it.
        rest = part[end + 2 :]
        rest = rest[1:] if rest[:1] in _LAZY_OR_POSSESSIVE else rest
        head, tail = prefixes(inner), _part_prefixes(rest)
        return None if head is None or tail is None else tuple(dict.fromkeys(head + tail))
    return prefixes(inner)


def _group_end(text: str) -> int:
    """Index of the `)` closing the group that opens `text`, or -1."""
    return next((i for i, char, depth in _scan(text) if char == ")" and depth == 1), -1)


def _scan(pattern: str) -> Iterator[tuple[int, str, int]]:
    """Yield each character outside escapes and classes with its group depth (1 in a group)."""
    depth, index = 0, 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":
            index = _class_end(pattern, index) + 1
            continue
        depth += char == "("
        yield index, char, depth
        depth -= char == ")"
        index += 1


def _class_end(pattern: str, start: int) -> int:
    """Index of the `]` closing the class opened at `start` (a leading `]` is a literal)."""
    index = start + 1 + pattern.startswith("^", start + 1)
    index += pattern.startswith("]", index)
    while index < len(pattern) and pattern[index] != "]":
        index += 2 if pattern[index] == "\\" else 1
    return index


def required(pattern: str) -> tuple[tuple[str, ...], ...] | None:
    r"""Sets of folded literal texts: every match of `pattern` holds one text of each set.

    Literal characters and groups of literal alternatives side by side at the top level combine:
    "(?:known|called) as" gives "known as" and "called as". None when the pattern names none.

    >>> required(r"(?<![\w-])(?P<alias>[A-Z][\w-]+),?\s+(?:also )?(?:known|called) as\s+Kava")
    (('known as', 'called as'), ('kava',))
    """
    found: list[tuple[str, ...]] = []
    current: tuple[str, ...] = ("",)
    index = 0
    while index <= len(pattern):
        piece, index = _literal_piece(pattern, index)
        if piece == ("|",):
            return None
        if piece is not None and len(current) * len(piece) <= _MAX_REQUIRED:
            current = tuple(a + b for a in current for b in piece)
            continue
        folded = [fold(text) for text in current]
        if min(map(len, current)) >= _MIN_REQUIRED and None not in folded:
            found.append(tuple(dict.fromkeys(f for f in folded if f)))
        current = ("",)
    return tuple(found) or None


def _literal_piece(pattern: str, index: int) -> tuple[tuple[str, ...] | None, int]:
    """The literal texts the element at `index` matches (None: not literal) and the next index.

    A top-level `|` comes back as ("|",) so that the caller gives up.
    """
    char = pattern[index : index + 1]
    if char == "|":
        return ("|",), index + 1
    if char == "(":
        end = _group_end(pattern[index:])
        inner = pattern[index + 1 : index + end].removeprefix("?:")
        after = index + end + 1
        if end < 0 or pattern[after : after + 1] in _OPTIONAL or not _plain(inner.split("|")):
            return None, max(after, index + 1)
        return tuple(inner.split("|")), after
    if char == "[":
        return None, _class_end(pattern, index) + 1
    if not char or char in _META or pattern[index + 1 : index + 2] in _OPTIONAL:
        return None, index + (2 if char == "\\" else 1)
    return (char,), index + 1


def _plain(texts: list[str]) -> bool:
    return all(text and not any(char in _META for char in text) for text in texts)


@dataclass(frozen=True, slots=True, eq=False)
class Matcher:
    """Finds where a tuple of patterns match a text, exactly as `search` and `finditer` would."""

    patterns: tuple[re.Pattern[str], ...]
    # Patterns without literal starts, with the texts one of which each match holds (or None).
    loose: tuple[tuple[int, tuple[tuple[str, ...], ...] | None], ...]
    automaton: ahocorasick.Automaton

    @classmethod
    def build(cls, patterns: Sequence[re.Pattern[str]]) -> Matcher:
        """Index the literal starts of every pattern that has them in one automaton."""
        owners: dict[str, list[int]] = {}
        loose = []
        for index, pattern in enumerate(patterns):
            # In a verbose pattern spaces are not text: it is searched as it is.
            verbose = bool(pattern.flags & re.VERBOSE)
            literals = None if verbose else prefixes(pattern.pattern)
            if literals is None:
                loose.append((index, None if verbose else required(pattern.pattern)))
            for literal in literals or ():
                owners.setdefault(literal, []).append(index)
        automaton = ahocorasick.Automaton()
        for literal, indexes in owners.items():
            automaton.add_word(literal, (len(literal), tuple(indexes)))
        if owners:
            automaton.make_automaton()
        return cls(tuple(patterns), tuple(loose), automaton)

    def matching(self, text: str) -> list[int]:
        """Indexes of the patterns with at least one match in the text."""
        return self.matching_many([text])[0]

    def matching_many(self, texts: Sequence[str], scan: PageScan | None = None) -> list[list[int]]:
        """`matching` for each text, with one automaton pass over them all (or `scan`'s)."""
        return [
            self._matching(text, starts)
            for text, starts in zip(texts, self._starts(texts, scan), strict=True)
        ]

    def first(self, text: str) -> list[tuple[int, re.Match[str]]]:
        """Each matching pattern's leftmost match, as `search` returns it."""
        return self.first_many([text])[0]

    def first_many(self, texts: Sequence[str]) -> list[list[tuple[int, re.Match[str]]]]:
        """`first` for each text, with one automaton pass over them all."""
        found = []
        for text, starts in zip(texts, self._starts(texts, None), strict=True):
            leftmost = ((index, next(iter(lazy), None)) for index, lazy in self._lazy(text, starts))
            found.append([(index, match) for index, match in leftmost if match is not None])
        return found

    def finditer(self, text: str) -> list[list[re.Match[str]]]:
        """Per pattern, the matches `pattern.finditer(text)` yields, in order."""
        return self.finditer_many([text])[0]

    def finditer_many(
        self, texts: Sequence[str], scan: PageScan | None = None
    ) -> list[list[list[re.Match[str]]]]:
        """`finditer` for each text, with one automaton pass over them all (or `scan`'s)."""
        found = []
        for text, starts in zip(texts, self._starts(texts, scan), strict=True):
            matches: list[list[re.Match[str]]] = [[] for _ in self.patterns]
            for index, lazy in self._lazy(text, starts):
                matches[index] = list(lazy)
            found.append(matches)
        return found

    def counts(self, text: str) -> list[int]:
        """Per pattern, how many matches `finditer` yields over the text."""
        return self.counts_many([text])[0]

    def counts_many(self, texts: Sequence[str], scan: PageScan | None = None) -> list[list[int]]:
        """`counts` for each text, with one automaton pass over them all (or `scan`'s)."""
        found = []
        for text, starts in zip(texts, self._starts(texts, scan), strict=True):
            totals = [0] * len(self.patterns)
            for index, lazy in self._lazy(text, starts):
                totals[index] = sum(1 for _ in lazy)
            found.append(totals)
        return found

    def _matching(self, text: str, starts: _Starts | None) -> list[int]:
        if starts is None:
            return [index for index, pattern in enumerate(self.patterns) if pattern.search(text)]
        offsets_by_pattern, folded = starts
        hits = [
            index
            for index, need in self.loose
            if _may_hold(folded, need) and self.patterns[index].search(text)
        ]
        for index, offsets in offsets_by_pattern.items():
            match = self.patterns[index].match
            if any(match(text, offset) for offset in offsets):
                hits.append(index)
        return sorted(hits)

    def _lazy(self, text: str, starts: _Starts | None) -> list[tuple[int, Iterable[re.Match[str]]]]:
        """Lazy `finditer`s, in pattern order, for the patterns that can match the text."""
        if starts is None:
            return [(index, pattern.finditer(text)) for index, pattern in enumerate(self.patterns)]
        offsets_by_pattern, folded = starts
        if not offsets_by_pattern and not self.loose:
            return []
        lazy: list[tuple[int, Iterable[re.Match[str]]]] = [
            (index, self.patterns[index].finditer(text))
            for index, need in self.loose
            if _may_hold(folded, need)
        ]
        lazy.extend(
            (index, finditer_at(self.patterns[index], text, sorted(set(offsets))))
            for index, offsets in offsets_by_pattern.items()
        )
        return sorted(lazy, key=lambda item: item[0])

    def _starts(self, texts: Sequence[str], scan: PageScan | None) -> Sequence[_Starts | None]:
        """Per text, where each anchored pattern can start and the folded text (None: unsure).

        The texts are found in `scan`'s page, else folded and scanned joined by newlines; a
        literal counts for a text only when it lies wholly inside it, as every match there does.
        """
        if scan and self in scan.hits and (regions := scan.regions(texts)) is not None:
            return _place(scan.hits[self], scan.folded, regions)
        folded = fold("\n".join(texts))
        if folded is None:
            return [None] * len(texts)
        bounds = list(itertools.accumulate((len(text) + 1 for text in texts), initial=0))
        found = self.automaton.iter(folded) if texts and len(self.automaton) else ()
        return _place(found, folded, [(low, high - 1) for low, high in itertools.pairwise(bounds)])


def _place(hits: Iterable[Hit], folded: str, regions: list[tuple[int, int]]) -> list[_Starts]:
    """Share hits, in order of their end, among the (start, end) regions of `folded` they lie in."""
    found: list[dict[int, list[int]]] = [{} for _ in regions]
    # A region past every hit ends the walk: nothing lies in it.
    ahead = [*regions, (len(folded) + 1, sys.maxsize)]
    which, (low, high) = 0, ahead[0]
    for end, (length, indexes) in hits:
        while end >= high:
            which += 1
            low, high = ahead[which]
        start = end - length + 1
        if start >= low:
            offsets = found[which]
            for index in indexes:
                offsets.setdefault(index, []).append(start - low)
    return [(found[i], folded[low:high]) for i, (low, high) in enumerate(regions)]


def _may_hold(folded: str, need: tuple[tuple[str, ...], ...] | None) -> bool:
    return need is None or all(any(text in folded for text in texts) for texts in need)


def finditer_at(
    pattern: re.Pattern[str], text: str, starts: Iterable[int]
) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)` when every match begins at one of the sorted `starts`."""
    position = 0
    for start in starts:
        if start < position:
            continue
        match = pattern.match(text, start)
        if match:
            yield match
            position = max(match.end(), start + 1)
