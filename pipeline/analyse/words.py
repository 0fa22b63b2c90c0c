"""Words and names in a page's text, found with C-level string searches instead of Python loops."""

from __future__ import annotations

import functools
import re
import string
from typing import TYPE_CHECKING, Final

from pipeline.analyse.matcher import fold

if TYPE_CHECKING:
    from collections.abc import Iterator

# A name: letters and digits, with apostrophes and hyphens only inside ("st john's", "5-htp").
NAME_WORD: Final = re.compile(r"[^\W_](?:[\w'’-]*[^\W_])?")
# A theme word starts with a letter.
THEME_WORD: Final = re.compile(r"[^\W\d_][\w'’-]*")
_LETTERS: Final = re.compile(r"[^\W\d_]+")
_PLAIN_WORD: Final = re.compile(r"\w+")
# ASCII bytes kept by each kind of word (`\w` is letters, digits and "_"); all others become
# spaces, so that `bytes.translate` and `split` find in C what the patterns find one at a time.
_WORDISH: Final = string.ascii_letters + string.digits + "_"
_INNER: Final = "_'-"
_BEFORE_LETTER: Final = string.digits + _INNER


def _keeping(chars: str) -> bytes:
    return bytes(code if chr(code) in chars else ord(" ") for code in range(256))


_RUN_BYTES: Final = _keeping(_WORDISH + "'-")
_WORD_BYTES: Final = _keeping(_WORDISH)
_LETTER_BYTES: Final = _keeping(string.ascii_letters)


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


def name_words(text: str) -> list[str]:
    """`NAME_WORD.findall(text)`, each case-folded.

    In ASCII text a name is a run of word characters, apostrophes and hyphens without those at
    its ends (the pattern starts and ends on a letter or digit).
    """
    runs = _ascii_runs(text)
    if runs is None:
        return list(map(str.casefold, NAME_WORD.findall(text)))
    return [word for run in runs if (word := run.strip(_INNER))]


def theme_words(text: str) -> list[str]:
    """`THEME_WORD.findall(text)`, each case-folded: in ASCII, runs from their first letter."""
    runs = _ascii_runs(text)
    if runs is None:
        return list(map(str.casefold, THEME_WORD.findall(text)))
    return [word for run in runs if (word := run.lstrip(_BEFORE_LETTER))]


def letter_words(text: str) -> list[str]:
    r"""The runs of letters in `text` (`[^\W\d_]+`), as written."""
    if not text.isascii():
        return _LETTERS.findall(text)
    return text.encode().translate(_LETTER_BYTES).decode().split()


def plain_words(text: str) -> list[str]:
    r"""The runs of word characters in `text` (`\w+`), each case-folded."""
    if not text.isascii():
        return list(map(str.casefold, _PLAIN_WORD.findall(text)))
    return text.lower().encode().translate(_WORD_BYTES).decode().split()


@functools.lru_cache(maxsize=4)
def _ascii_runs(text: str) -> tuple[str, ...] | None:
    """Lower-cased runs of word characters, apostrophes and hyphens; None unless `text` is ASCII.

    In ASCII text case-folding is lower-casing, and turns letters into letters only. The subject
    and the title's theme both take their words from the page's text.
    """
    if not text.isascii():
        return None
    return tuple(text.lower().encode().translate(_RUN_BYTES).decode().split())


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


def name_starts(name: str, text: str) -> list[int]:
    """Every offset where `name` starts as `re.IGNORECASE` reads it, overlaps included.

    Found in the folded text (see `matcher.fold`), and outside ASCII confirmed with the name alone,
    a pattern cheap to compile: no pattern around the name has to be compiled for each name.
    """
    return name_places(name, text, folded_text(text))


def name_places(name: str, text: str, folded: str | None) -> list[int]:
    """`name_starts` in a text already folded: for a text looked at once, whose fold is not kept."""
    if not name:
        return list(range(len(text) + 1))  # where `re` finds an empty pattern: everywhere
    key = fold(name)
    if key and folded is not None:
        found = occurrences(folded, key)
        if text.isascii() and name.isascii():
            return found  # two ASCII letters are equal under IGNORECASE when their lower cases are
        literal = _literal(name)
        return [at for at in found if literal.match(text, at)]
    literal = _literal(name)
    found = []
    match = literal.search(text)
    while match:
        found.append(match.start())
        match = literal.search(text, match.start() + 1)
    return found


@functools.lru_cache(maxsize=8)
def _literal(name: str) -> re.Pattern[str]:
    return re.compile(re.escape(name), re.IGNORECASE)


@functools.lru_cache(maxsize=4)
def folded_text(text: str) -> str | None:
    """`matcher.fold` of a page's text, which several names are looked for in."""
    return fold(text)
