"""Words and names in a page's text, found with C-level string searches instead of Python loops."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from pipeline.analyse.matcher import fold

if TYPE_CHECKING:
    import re
    from collections.abc import Iterator


def word_positions(words: list[str], word: str, count: int) -> list[int]:
    """Where `word` stands in `words`, which holds it `count` times: `list.index` skips the rest."""
    at = [-1]
    for _ in range(count):
        at.append(words.index(word, at[-1] + 1))
    return at[1:]


def occurrences(text: str, literal: str) -> list[int]:
    """Every place a non-empty `literal` starts in `text`, overlapping ones included."""
    found = []
    at = text.find(literal)
    while at >= 0:
        found.append(at)
        at = text.find(literal, at + 1)
    return found


def casefolded_words(pattern: re.Pattern[str], text: str) -> list[str]:
    r"""`pattern.findall(text)`, each case-folded; ASCII text is folded whole, which is quicker.

    In ASCII text case-folding turns letters into letters, so a pattern that tells words by `\w`
    and punctuation, not by case, finds the same words.
    """
    if text.isascii():
        return pattern.findall(text.lower())
    return list(map(str.casefold, pattern.findall(text)))


def lines_with(name: str, text: str) -> Iterator[str]:
    """The lines of `text` that may hold `name`: every line break ends a sentence.

    Only lines where the folded text holds the folded name can (see `matcher.fold`); the first
    candidate name usually shows its cue in the page's first lines, so the rest goes unsplit.
    """
    key, folded = fold(name), folded_text(text)
    if not key or folded is None:
        yield from text.split("\n")
        return
    at = folded.find(key)
    while at >= 0:
        start = folded.rfind("\n", 0, at) + 1
        end = folded.find("\n", at)
        end = len(folded) if end < 0 else end
        yield text[start:end]
        at = folded.find(key, end + 1)


@functools.lru_cache(maxsize=4)
def folded_text(text: str) -> str | None:
    """`matcher.fold` of a page's text, which several names are looked for in."""
    return fold(text)
