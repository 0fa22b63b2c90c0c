"""Language detection for pages that declare none: script shares, then stopwords and letters.

The word lists live in `profiles/languages.toml`; this module only counts.
"""

from __future__ import annotations

import functools
import string
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

from pipeline.analyse.profile import PROFILE_DIR, check_against_schema, read_toml
from pipeline.analyse.words import letter_words

if TYPE_CHECKING:
    from collections.abc import Callable

LANGUAGES_FILE: Final = PROFILE_DIR / "languages.toml"
# Enough text to decide; a page's first few thousand letters speak the page's language.
_SAMPLE_CHARS: Final = 5000
_DEFAULT_MIN_SHARE: Final = 0.5


@dataclass(frozen=True, slots=True, kw_only=True)
class LanguageEntry:
    """What identifies one language: its scripts, stopwords and distinctive letters."""

    code: str
    scripts: tuple[str, ...]
    min_share: float = _DEFAULT_MIN_SHARE
    spaced: bool = True
    stopwords: frozenset[str]
    letters: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True, kw_only=True)
class Languages:
    """The detection table, in file order (which breaks no ties), and the sentence abbreviations."""

    entries: tuple[LanguageEntry, ...]
    abbreviations: tuple[str, ...] = ()


def load_languages(path: str | None = None) -> Languages:
    """Load and validate a languages file (the bundled one by default); read once per path."""
    return _load_languages(str(Path(path).resolve()) if path else str(LANGUAGES_FILE))


@functools.cache
def _load_languages(path: str) -> Languages:
    raw = read_toml(path)
    check_against_schema(raw, path, "#/$defs/languageFile")
    return Languages(
        entries=tuple(
            LanguageEntry(
                code=code,
                scripts=tuple(entry["scripts"]),
                min_share=entry.get("min_share", _DEFAULT_MIN_SHARE),
                spaced=entry.get("spaced", True),
                stopwords=frozenset(word.lower() for word in entry["stopwords"]),
                letters=frozenset(entry.get("letters", "").lower()),
            )
            for code, entry in raw["language"].items()
        ),
        abbreviations=tuple(word.lower() for word in raw.get("abbreviations", ())),
    )


def detect_language(text: str, languages: Languages | None = None) -> str | None:
    """Return the language code the text is most likely written in, or None when unsure.

    >>> detect_language("Die Einnahme sollte mit dem Arzt abgesprochen werden.")
    'de'
    """
    table = languages or load_languages()
    sample = text[:_SAMPLE_CHARS].lower()
    shares, chars = _script_shares(sample, table)
    candidates = [
        entry
        for entry in table.entries
        if sum(shares.get(script, 0.0) for script in entry.scripts) >= entry.min_share
    ]
    if len(candidates) == 1:
        return candidates[0].code
    # Only stopwords score: counting just them keeps most of the sample's words out of the count.
    stopwords = frozenset[str]().union(*(entry.stopwords for entry in candidates if entry.spaced))
    words = Counter(filter(stopwords.__contains__, letter_words(sample)))
    scores = sorted(
        ((_score(entry, sample, words, chars), entry.code) for entry in candidates), reverse=True
    )
    if not scores or scores[0][0] == 0 or (len(scores) > 1 and scores[0][0] == scores[1][0]):
        return None
    return scores[0][1]


def _script_shares(sample: str, table: Languages) -> tuple[dict[str, float], Callable[[str], int]]:
    """Share of the letters in each script the table names, and how often a character occurs.

    Most pages write in one script: then each of its scripts has every letter, and only the few
    letters a language is known by need counting, not every character of the sample.
    """
    scripts = tuple(sorted({script for entry in table.entries for script in entry.scripts}))
    ascii_groups = _ascii_groups(scripts)
    if sample.isascii() and len(ascii_groups) == 1:
        # Every ASCII letter is in the same scripts, so no character needs a look of its own; the
        # sample holds a letter when its upper and lower cases differ.
        group = next(iter(ascii_groups)) if sample.upper() != sample.lower() else ()
        return dict.fromkeys(group, 1.0), lambda char: sample.count(char) if char.isascii() else 0
    distinct = set(sample)
    groups = {_scripts_of(char, scripts) for char in distinct if char.isalpha()}
    if len(groups) <= 1:
        shares = dict.fromkeys(next(iter(groups), ()), 1.0)
        return shares, lambda char: sample.count(char) if char in distinct else 0
    chars = Counter(sample)
    counts: Counter[str] = Counter()
    letters = 0
    # Each distinct letter is looked up once: a page uses a few dozen of them thousands of times.
    for char, seen in chars.items():
        if not char.isalpha():
            continue
        letters += seen
        for script in _scripts_of(char, scripts):
            counts[script] += seen
    return {script: count / letters for script, count in counts.items()}, chars.__getitem__


@functools.cache
def _ascii_groups(scripts: tuple[str, ...]) -> frozenset[tuple[str, ...]]:
    """The scripts of each ASCII letter, as `_script_shares` groups them."""
    return frozenset(_scripts_of(char, scripts) for char in string.ascii_lowercase)


@functools.lru_cache(maxsize=4096)
def _scripts_of(char: str, scripts: tuple[str, ...]) -> tuple[str, ...]:
    name = unicodedata.name(char, "")
    return tuple(script for script in scripts if name.startswith(script))


def _score(
    entry: LanguageEntry, sample: str, words: Counter[str], chars: Callable[[str], int]
) -> int:
    if entry.spaced:
        hits = sum(words[word] for word in words.keys() & entry.stopwords)
    else:
        hits = sum(sample.count(word) for word in entry.stopwords)
    return hits + sum(map(chars, entry.letters))
