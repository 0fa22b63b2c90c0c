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

import itertools
import re
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

import ahocorasick

from pipeline.regex_literals import SHARED_UPPER, fold, prefixes, required

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

    from pipeline.analyse.scan import Hit, PageScan

# The literal reading moved to `pipeline.regex_literals`; its names stay importable from here.
__all__ = ["SHARED_UPPER", "Matcher", "finditer_at", "fold", "prefixes", "required"]
# Where each pattern can start in one text, by pattern index, and that text folded.
_Starts = tuple[dict[int, list[int]], str]


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
        entries = ((literal, (len(literal), tuple(ixs))) for literal, ixs in owners.items())
        return cls(tuple(patterns), tuple(loose), build_automaton(entries))

    def matching(self, text: str) -> list[int]:
        """Indexes of the patterns with at least one match in the text."""
        return self.matching_many([text])[0]

    def matching_many(self, texts: Sequence[str], scan: PageScan | None = None) -> list[list[int]]:
        """`matching` for each text, with one automaton pass over them all (or `scan`'s)."""
        return [
            self._matching(text, starts)
            for text, starts in zip(texts, self._starts(texts, scan), strict=True)
        ]

    def first_many(self, texts: Sequence[str]) -> list[list[tuple[int, re.Match[str]]]]:
        """Per text, each matching pattern's leftmost match, as `search` returns it; one pass."""
        found = []
        for text, starts in zip(texts, self._starts(texts, None), strict=True):
            leftmost = ((index, next(iter(lazy), None)) for index, lazy in self._lazy(text, starts))
            found.append([(index, match) for index, match in leftmost if match is not None])
        return found

    def finditer_many(
        self, texts: Sequence[str], scan: PageScan | None = None
    ) -> list[list[list[re.Match[str]]]]:
        """Per text and pattern, what `pattern.finditer(text)` yields; one pass (or `scan`'s)."""
        found = []
        for text, starts in zip(texts, self._starts(texts, scan), strict=True):
            matches: list[list[re.Match[str]]] = [[] for _ in self.patterns]
            for index, lazy in self._lazy(text, starts):
                matches[index] = list(lazy)
            found.append(matches)
        return found

    def counts_many(self, texts: Sequence[str], scan: PageScan | None = None) -> list[list[int]]:
        """Per text and pattern, how many matches `finditer` yields; one pass (or `scan`'s)."""
        found = []
        for text, starts in zip(texts, self._starts(texts, scan), strict=True):
            totals = [0] * len(self.patterns)
            if starts is None:
                for index, pattern in enumerate(self.patterns):
                    totals[index] = sum(1 for _ in pattern.finditer(text))
            else:
                # A count does not care in what order the patterns are counted.
                offsets_by_pattern, folded = starts
                for index, need in self.loose:
                    if may_hold(folded, need):
                        totals[index] = sum(1 for _ in self.patterns[index].finditer(text))
                for index, offsets in offsets_by_pattern.items():
                    totals[index] = count_at(self.patterns[index], text, offsets)
            found.append(totals)
        return found

    def _matching(self, text: str, starts: _Starts | None) -> list[int]:
        if starts is None:
            return [index for index, pattern in enumerate(self.patterns) if pattern.search(text)]
        offsets_by_pattern, folded = starts
        hits = [
            index
            for index, need in self.loose
            if may_hold(folded, need) and self.patterns[index].search(text)
        ]
        for index, offsets in offsets_by_pattern.items():
            match = self.patterns[index].match
            for offset in offsets:
                if match(text, offset):
                    hits.append(index)
                    break
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
            if may_hold(folded, need)
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


def may_hold(folded: str, need: tuple[tuple[str, ...], ...] | None) -> bool:
    """Whether a folded text holds a text of each set `required` gave (None: it may)."""
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


def count_at(pattern: re.Pattern[str], text: str, starts: Sequence[int]) -> int:
    """How many matches `finditer_at` yields, for `starts` in any order and with repeats."""
    if len(starts) == 1:
        return 1 if pattern.match(text, starts[0]) else 0
    return sum(1 for _ in finditer_at(pattern, text, sorted(set(starts))))


def build_automaton(entries: Iterable[tuple[str, object]]) -> ahocorasick.Automaton:
    """An automaton over literals, each with its value; one with none is left unbuilt (empty)."""
    automaton = ahocorasick.Automaton()
    for literal, value in entries:
        automaton.add_word(literal, value)
    if len(automaton):
        automaton.make_automaton()
    return automaton
