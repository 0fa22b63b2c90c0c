"""One automaton pass over a page for several matchers, their hits dispatched by matcher.

Scanning is most of a matcher's cost, and a page was scanned once per word list: the body
lexicons by section and again by sentence, the form cues, the type words and the ingredients.
A `Scanner` indexes the literal starts of several matchers in one automaton; a `PageScan` keeps
each matcher's hits in the folded page, and a matcher given it takes the hits of each of its texts
from where that text's folded form stands in the page (see `Matcher.counts_many`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pipeline.analyse.matcher import build_automaton, fold
from pipeline.analyse.words import folded_text

if TYPE_CHECKING:
    from collections.abc import Sequence

    import ahocorasick

    from pipeline.analyse.matcher import Matcher

# A hit as the automaton reports it: where its literal ends, the literal's length, the patterns.
Hit = tuple[int, tuple[int, tuple[int, ...]]]


@dataclass(frozen=True, slots=True)
class PageScan:
    """A page, folded, and per matcher scanned its hits in the order of their end."""

    text: str
    folded: str
    hits: dict[Matcher, list[Hit]]

    def regions(self, texts: Sequence[str]) -> list[tuple[int, int]] | None:
        """Where the folded texts stand, in order and apart, in the folded page; None if one is not.

        Any place a text's folded form stands holds exactly the hits that form holds; where the
        page holds the text itself, folding keeps offsets and letters, so its fold stands there.
        """
        regions = []
        cursor = 0
        for text in texts:
            at = self.text.find(text, cursor)
            if at < 0:
                key = fold(text)
                if key is None or (at := self.folded.find(key, cursor)) < 0:
                    return None
            cursor = at + len(text)
            regions.append((at, cursor))
        return regions


@dataclass(frozen=True, slots=True, eq=False)
class Scanner:
    """The literal starts of several matchers in one automaton, each with its matchers' values."""

    matchers: tuple[Matcher, ...]
    automaton: ahocorasick.Automaton

    def scan(self, text: str) -> PageScan | None:
        """Each matcher's hits in the folded text; None when the text cannot be folded."""
        folded = folded_text(text)
        if folded is None:
            return None
        found: list[list[Hit]] = [[] for _ in self.matchers]
        if len(self.automaton):
            for end, owners in self.automaton.iter(folded):
                for which, value in owners:
                    found[which].append((end, value))
        return PageScan(text, folded, dict(zip(self.matchers, found, strict=True)))


@functools.lru_cache(maxsize=64)
def scanner(matchers: tuple[Matcher, ...]) -> Scanner:
    """One automaton for the matchers, built once: every page of a run scans with the same ones."""
    owners: dict[str, list[tuple[int, tuple[int, tuple[int, ...]]]]] = {}
    for which, matcher in enumerate(matchers):
        for literal, value in matcher.automaton.items():
            owners.setdefault(literal, []).append((which, value))
    return Scanner(matchers, build_automaton((lit, tuple(vals)) for lit, vals in owners.items()))
