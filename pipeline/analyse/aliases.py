"""The subject's other names: "X, also known as Y", "Y (X)", and the like, from `subject.toml`."""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Final

from pipeline.analyse.kinds import unique_names
from pipeline.analyse.matcher import may_hold
from pipeline.analyse.words import folded_text, name_starts
from pipeline.regex_literals import branches, required

if TYPE_CHECKING:
    from pipeline.analyse.subject import SubjectRules

_BINOMIAL: Final = re.compile(r"^[A-Z][a-z]+ [a-z]{3,}$")
_MAX_ALIAS_WORDS: Final = 5
# As short a name as a subject may have.
MIN_NAME_CHARS: Final = 3
_NAME: Final = "{name}"
_QUANTIFIERS: Final = frozenset("?*+{")
# Stands for the name when reading what else a template needs: no literal text runs across it.
_NOT_LITERAL: Final = "(?:.)"


def find_aliases(name: str, text: str, rules: SubjectRules) -> tuple[str, ...]:
    """The other names the page gives the subject, said outright or implied by their shape."""
    found: list[str] = []
    explicit_count = len(rules.explicit_aliases)
    templates = rules.explicit_aliases + rules.implied_aliases
    for index, matches in enumerate(template_matches(name, text, templates)):
        for match in matches:
            found.extend(
                alias.strip()
                for alias in rules.alias_split.split(match.group("alias"))
                if index < explicit_count or _is_name_shaped(alias.strip(), rules)
            )
    return unique_names(a for a in found if _is_alias(a, name, rules))


def template_matches(name: str, text: str, templates: tuple[str, ...]) -> list[list[re.Match[str]]]:
    """Per template, the matches `finditer` gives of it filled with a (non-empty) name.

    Compiling the templates for each name cost most of a page's conversion on a site with a
    page per drug. A template that starts with the name is compiled once without it, and tried
    right after each place the name stands; it matches there exactly when the whole template
    matches at the name, with the same groups. The others are compiled with the name only when
    the text holds the words they need.
    """
    starts = name_starts(name, text)
    folded = folded_text(text)
    found = []
    for template in templates:
        tail = _tail(template)
        if tail is not None:
            found.append(_after_name(tail, text, starts, len(name)))
        elif folded is not None and not may_hold(folded, _needs(template)):
            found.append([])
        else:
            found.append(list(filled(re.escape(name), template).finditer(text)))
    return found


def _after_name(
    tail: re.Pattern[str], text: str, starts: list[int], size: int
) -> list[re.Match[str]]:
    """`finditer` of name + tail, each match as the tail's: no match overlaps the one before."""
    found = []
    end = 0
    for at in starts:
        if at >= end and (match := tail.match(text, at + size)):
            found.append(match)
            end = match.end()
    return found


@functools.cache
def _tail(template: str) -> re.Pattern[str] | None:
    """The template after a leading name, compiled once; None if it does not start so.

    A tail that starts with a quantifier would have applied it to the name's last letter, and
    one that holds a top-level `|` offers a branch without the name.
    """
    head, _, rest = template.partition(_NAME)
    if head or not rest or _NAME in rest or rest[0] in _QUANTIFIERS:
        return None
    if len(branches(_unbraced(rest))) > 1:
        return None
    return re.compile(_unbraced(rest), re.IGNORECASE)


@functools.cache
def _needs(template: str) -> tuple[tuple[str, ...], ...] | None:
    """The texts every match holds besides the name (see `regex_literals.required`)."""
    return required(_unbraced(template.replace(_NAME, _NOT_LITERAL)))


@functools.lru_cache(maxsize=64)
def filled(escaped_name: str, template: str) -> re.Pattern[str]:
    """The template with the name in it, compiled: for the templates that cannot go without."""
    return re.compile(_unbraced(template.replace(_NAME, escaped_name)), re.IGNORECASE)


def _unbraced(template: str) -> str:
    return template.replace("{{", "{").replace("}}", "}")


def _is_name_shaped(alias: str, rules: SubjectRules) -> bool:
    """An implied other name looks like one: a chemical word, a binomial, or capitalised words."""
    return (
        bool(rules.name_shape.match(alias))
        or bool(_BINOMIAL.match(alias))
        or all(w[:1].isupper() for w in alias.split())
    )


def _is_alias(alias: str, name: str, rules: SubjectRules) -> bool:
    words = alias.split()
    return (
        bool(words)
        and not any(w.casefold() in rules.stopwords or w.casefold() in rules.generic for w in words)
        and len(alias) >= MIN_NAME_CHARS
        and len(words) <= _MAX_ALIAS_WORDS
        and alias.casefold() != name.casefold()
        and alias.casefold() not in rules.alias_reject
        and not any(ch.isdigit() for ch in alias)
    )
