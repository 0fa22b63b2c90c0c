"""The literal text a regex's matches start with or hold, read from its source, and case folding.

Shared by the lexicon matcher (which indexes prefixes in an automaton) and the clean stage's screen
(which tests text for them before running patterns). Every answer is sound: a match of the pattern
always shows one of the texts in the folded text it matches in; when unsure, the answer is None.
"""

from __future__ import annotations

import functools
import itertools
import re
import string
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Iterator

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
_COUNT: Final = re.compile(r"\{\d*(?:,\d*)?\}")
# An escape whole: a code point, a named character, an octal code or a group reference, or one.
_ESCAPE: Final = re.compile(r"\\(?:x\w{2}|u\w{4}|U\w{8}|N\{[^}]*\}|g<[^>]*>|\d{1,3}|.)", re.DOTALL)
# Lower-case letters whose upper case is several letters that another lower-case letter shares:
# `re.IGNORECASE` treats each pair as equal, and no single folded letter stands for both. Kept in
# step with the Unicode database by tests/property/test_matcher.py.
SHARED_UPPER: Final = "\u0390\u1fd3\u03b0\u1fe3\ufb05\ufb06"
# The one letter whose full lower case is longer than its simple one ("İ" → "i̇"); `re` uses "i".
_DOTTED_CAPITAL_I: Final = {0x130: "i"}
_UNSURE: Final = "\uffff"


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
    found = [text for part in branches(pattern) for text in _part_prefixes(part) or ("",)]
    return None if "" in found else tuple(dict.fromkeys(found))


def _part_prefixes(part: str) -> tuple[str, ...] | None:
    part = _bare(part)
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
        return _group_piece(pattern, index)
    if char == "[":
        return None, _class_end(pattern, index) + 1
    # A repeat count or an escape is skipped whole: no digit or letter of it is literal text.
    whole = {"{": _COUNT, "\\": _ESCAPE}.get(char)
    if whole and (skipped := whole.match(pattern, index)):
        return None, skipped.end()
    if not char or char in _META or pattern[index + 1 : index + 2] in _OPTIONAL:
        return None, index + 1
    return (char,), index + 1


def _group_piece(pattern: str, index: int) -> tuple[tuple[str, ...] | None, int]:
    """`_literal_piece` of the group opened at `index`."""
    end = _group_end(pattern[index:])
    after = index + end + 1
    if end < 0 or pattern[after : after + 1] in _OPTIONAL:
        return None, max(after, index + 1)
    return _expand(pattern[index + 1 : index + end].removeprefix("?:")), after


def _expand(inner: str) -> tuple[str, ...] | None:
    """Every text a group matches when it matches only a few literal texts, none empty."""
    if inner.startswith("?"):  # a look-around, a flag, a name or a comment
        return None
    texts: list[str] = []
    for branch in branches(inner):
        run, whole = _run(branch)
        if not whole or "" in run:
            return None
        texts.extend(run)
    return tuple(texts) if len(texts) <= _MAX_REQUIRED else None


def _run(part: str) -> tuple[tuple[str, ...], bool]:
    """The literal texts `part` starts with, read while they are literal; whether that is all."""
    current: tuple[str, ...] = ("",)
    index = 0
    while index < len(part):
        piece, index = _optional_group(part, index) or _literal_piece(part, index)
        if piece is None or piece == ("|",) or len(current) * len(piece) > _MAX_REQUIRED:
            return current, False
        current = tuple(a + b for a in current for b in piece)
    return current, True


def _optional_group(part: str, index: int) -> tuple[tuple[str, ...] | None, int] | None:
    """An optional group's texts and the empty text, with the next index; None if not one."""
    end = _group_end(part[index:]) if part.startswith("(", index) else -1
    after = index + end + 1
    if end < 0 or not part.startswith("?", after):
        return None
    texts = _expand(part[index + 1 : index + end].removeprefix("?:"))
    after += 1 + (part[after + 1 : after + 2] in _LAZY_OR_POSSESSIVE)
    return (None if texts is None else (*texts, "")), after


def branches(pattern: str) -> list[str]:
    r"""The pattern's top-level alternatives.

    >>> branches(r"a(b|c)|d\|")
    ['a(b|c)', 'd\\|']
    """
    cuts = [index for index, char, depth in _scan(pattern) if char == "|" and depth == 0]
    return [pattern[low + 1 : high] for low, high in itertools.pairwise([-1, *cuts, len(pattern)])]


def starts(pattern: str) -> tuple[str, ...] | None:
    r"""Like `prefixes`, but read on past groups of literal alternatives where that is longer.

    >>> starts(r"^you (?:may|might) also\b|(?:the )?risks?")
    ('you may also', 'you might also', 'the risk', 'risk')
    """
    found: list[str] = []
    for part in branches(pattern):
        run, _ = _run(_bare(part))
        folded = tuple(fold(text) for text in run)
        read = None if None in folded or "" in folded else tuple(map(str, folded))
        short = _part_prefixes(part)
        best = max((read, short), key=lambda texts: min(map(len, texts)) if texts else -1)
        if best is None:
            return None
        found.extend(best)
    return tuple(dict.fromkeys(found))


def _bare(part: str) -> str:
    """The part without the zero-width markers it starts with."""
    for marker in _ZERO_WIDTH:
        if part.startswith(marker):
            return _bare(part[len(marker) :])
    return part
