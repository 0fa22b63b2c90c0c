"""Language detection for pages that declare none: script shares, then stopwords and letters.

The word lists live in `profiles/languages.toml`; this module only counts.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from pipeline.analyse.profile import PROFILE_DIR, check_against_schema, read_toml

LANGUAGES_FILE: Final = PROFILE_DIR / "languages.toml"
# Enough text to decide; a page's first few thousand letters speak the page's language.
_SAMPLE_CHARS: Final = 5000
_DEFAULT_MIN_SHARE: Final = 0.5
_WORD: Final = re.compile(r"[^\W\d_]+")


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
    chars = Counter(sample)
    shares = _script_shares(chars, table)
    candidates = [
        entry
        for entry in table.entries
        if sum(shares.get(script, 0.0) for script in entry.scripts) >= entry.min_share
    ]
    if len(candidates) == 1:
        return candidates[0].code
    words = Counter(_WORD.findall(sample))
    scores = sorted(
        ((_score(entry, sample, words, chars), entry.code) for entry in candidates), reverse=True
    )
    if not scores or scores[0][0] == 0 or (len(scores) > 1 and scores[0][0] == scores[1][0]):
        return None
    return scores[0][1]


def _script_shares(chars: Counter[str], table: Languages) -> dict[str, float]:
    """Share of the letters in each script the table names."""
    scripts = tuple(sorted({script for entry in table.entries for script in entry.scripts}))
    counts: Counter[str] = Counter()
    letters = 0
    # Each distinct letter is looked up once: a page uses a few dozen of them thousands of times.
    for char, seen in chars.items():
        if not char.isalpha():
            continue
        letters += seen
        for script in _scripts_of(char, scripts):
            counts[script] += seen
    return {script: count / letters for script, count in counts.items()} if letters else {}


@functools.lru_cache(maxsize=4096)
def _scripts_of(char: str, scripts: tuple[str, ...]) -> tuple[str, ...]:
    name = unicodedata.name(char, "")
    return tuple(script for script in scripts if name.startswith(script))


def _score(entry: LanguageEntry, sample: str, words: Counter[str], chars: Counter[str]) -> int:
    if entry.spaced:
        hits = sum(words[word] for word in words.keys() & entry.stopwords)
    else:
        hits = sum(sample.count(word) for word in entry.stopwords)
    return hits + sum(chars[char] for char in entry.letters)
