"""The subject's other names: "X, also known as Y", "Y (X)", and the like, from `subject.toml`."""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Final

from pipeline.analyse.kinds import unique_names
from pipeline.analyse.matcher import Matcher

if TYPE_CHECKING:
    from pipeline.analyse.subject import SubjectRules

_BINOMIAL: Final = re.compile(r"^[A-Z][a-z]+ [a-z]{3,}$")
_MAX_ALIAS_WORDS: Final = 5
# As short a name as a subject may have.
MIN_NAME_CHARS: Final = 3


def find_aliases(name: str, text: str, rules: SubjectRules) -> tuple[str, ...]:
    """The other names the page gives the subject, said outright or implied by their shape."""
    found: list[str] = []
    explicit_count = len(rules.explicit_aliases)
    templates = rules.explicit_aliases + rules.implied_aliases
    for index, matches in enumerate(_alias_matcher(re.escape(name), templates).finditer(text)):
        for match in matches:
            found.extend(
                alias.strip()
                for alias in rules.alias_split.split(match.group("alias"))
                if index < explicit_count or _is_name_shaped(alias.strip(), rules)
            )
    return unique_names(a for a in found if _is_alias(a, name, rules))


@functools.lru_cache(maxsize=256)
def _alias_matcher(escaped_name: str, templates: tuple[str, ...]) -> Matcher:
    """The alias templates filled in with one name; pages about one substance share them."""
    return Matcher.build(
        [
            re.compile(
                template.replace("{name}", escaped_name).replace("{{", "{").replace("}}", "}"),
                re.IGNORECASE,
            )
            for template in templates
        ]
    )


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
