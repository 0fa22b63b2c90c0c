"""What a text speaks of, by the body lexicons: sentences, concept hits, interacting drugs.

Also the profile's question templates for derived FAQ entries. Holds no domain words itself.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

from pipeline.analyse.language import load_languages
from pipeline.analyse.profile import in_language

if TYPE_CHECKING:
    from collections.abc import Iterable

    from pipeline.analyse.profile import ConceptRule, ListWords, Profile
    from pipeline.model import Concept

# Curly quotes, CJK full stops and brackets, en dash: written as escapes so they stay legible.
_CLOSERS: Final = "\"'\u201d\u2019)\\]"
_OPENERS: Final = "\"'\u201c\u2018(\\[\u00bf\u00a1\u2022\\-\u2013"
_CJK_ENDS: Final = "\u3002\uff01\uff1f"
_CJK_CLOSERS: Final = "\u300d\u300f\u201d\uff09)"
# A candidate sentence end: terminal punctuation, closing quotes, then space; or a CJK full stop.
_END: Final = re.compile(
    rf"[.!?\u2026]+[{_CLOSERS}]*\s+|[{_CJK_ENDS}]+[{_CJK_CLOSERS}]*\s*|\s*\n\s*"
)
# After a break the next sentence starts with a capital, a digit, an opening quote or a bullet.
_START: Final = re.compile(rf"[{_OPENERS}]?[^\W_a-z\u00e0-\u00ff\u0430-\u044f\u0451]|\d")
_INITIAL: Final = re.compile(r"(?:^|\s)\(?[^\W\d_]\.$")
_ITEM_TRIM: Final = " \"'\u201c\u201d\u2018\u2019-\u2013"
# A named drug is a short noun phrase; longer items are clauses the phrase pattern ran into.
_MAX_ITEM_WORDS: Final = 6
# A sentence-end test looks this far back at most (abbreviations are a few characters), so
# splitting stays linear in the length of the text.
_LOOKBEHIND: Final = 64


def split_sentences(text: str) -> tuple[str, ...]:
    """Split text into sentences: lines are separate; abbreviations and decimals end none.

    >>> split_sentences("Take 2.5 mg daily, e.g. at night. Dr. Smith agrees. 多喝水。然后休息。")
    ('Take 2.5 mg daily, e.g. at night.', 'Dr. Smith agrees.', '多喝水。', '然后休息。')
    """
    abbreviations = load_languages().abbreviations
    sentences: list[str] = []
    start = 0
    for end in _END.finditer(text):
        stop = end.start() + len(end.group().rstrip())
        if "\n" not in end.group() and not _is_break(text, stop, end.end(), abbreviations):
            continue
        sentences.append(text[start:stop].strip())
        start = end.end()
    sentences.append(text[start:].strip())
    return tuple(sentence for sentence in sentences if sentence)


def _is_break(text: str, stop: int, following: int, abbreviations: Iterable[str]) -> bool:
    before = text[max(0, stop - _LOOKBEHIND) : stop]
    if before[-1] in _CJK_ENDS + _CJK_CLOSERS and not before.endswith(("...", ")", "\u201d")):
        return True
    if following < len(text) and not _START.match(text, following):
        return False
    if not before.endswith("."):
        return True
    lowered = before.lower()
    for abbreviation in abbreviations:
        if lowered.endswith(abbreviation):
            head = lowered[: -len(abbreviation)]
            if not head or not head[-1].isalnum():
                return False
    return not _INITIAL.search(before)


def concept_hits(text: str, profile: Profile, language: str | None) -> dict[Concept, float]:
    """Return, per concept, the weighted count of body-lexicon matches in the text."""
    totals: dict[Concept, float] = {}
    for rule, hits in _rule_hits(text, profile, language):
        totals[rule.concept] = totals.get(rule.concept, 0.0) + hits * rule.weight
    return totals


def deciding_rule(text: str, concept: Concept, profile: Profile, language: str | None) -> str:
    """Return the id of the body lexicon with the most matches for `concept` in the text."""
    hits = [
        (count, rule.id)
        for rule, count in _rule_hits(text, profile, language)
        if rule.concept == concept
    ]
    return max(hits)[1] if hits else concept


def _rule_hits(text: str, profile: Profile, language: str | None) -> list[tuple[ConceptRule, int]]:
    counted = (
        (rule, sum(1 for _ in rule.pattern.finditer(text)))
        for rule in body_rules(profile, language)
    )
    return [(rule, hits) for rule, hits in counted if hits]


def body_rules(profile: Profile, language: str | None) -> tuple[ConceptRule, ...]:
    """Return the body lexicons for a text in `language` (all of them when it is unknown)."""
    return in_language(profile.bodies, language, profile.default_language)


def sentence_concepts(sentence: str, profile: Profile, language: str | None) -> frozenset[Concept]:
    """Return the concepts a sentence speaks of: every concept with a lexicon hit in it.

    >>> from pipeline.analyse.profile import load_profile
    >>> sorted(sentence_concepts("Kratom is not approved by the FDA.", load_profile(), "en"))
    ['legalStatus']
    """
    return frozenset(
        rule.concept for rule in body_rules(profile, language) if rule.pattern.search(sentence)
    )


def find_interacting_drugs(text: str, profile: Profile, language: str | None) -> tuple[str, ...]:
    """Return the drugs the text names as interacting, in order of appearance, without repeats.

    Only sentences the interactions lexicon flags are searched, so a "such as" list elsewhere is
    not taken for one.

    >>> from pipeline.analyse.profile import load_profile
    >>> find_interacting_drugs(
    ...     "It may interact with drugs such as warfarin and clopidogrel.", load_profile(), "en"
    ... )
    ('warfarin', 'clopidogrel')
    """
    found: dict[str, str] = {}
    rules = in_language(profile.interactions, language, profile.default_language)
    for sentence in split_sentences(text):
        if "interactions" not in sentence_concepts(sentence, profile, language):
            continue
        for rule in rules:
            words = _list_words(profile, rule.language)
            for match in rule.pattern.finditer(sentence):
                head = match.groupdict().get("head") or (words.head if words else "")
                for item in _split_items(match.group("items"), words):
                    name = _rewrite(item, head, profile, rule.language)
                    found.setdefault(name.casefold(), name)
    return tuple(found.values())


def _list_words(profile: Profile, language: str) -> ListWords | None:
    return next((words for words in profile.lists if words.language == language), None)


def _split_items(items: str, words: ListWords | None) -> list[str]:
    if words is None:
        return []
    stops = "|".join(re.escape(stop) for stop in words.stops)
    if stops:
        items = re.split(rf"\s(?:{stops})\b", items, maxsplit=1, flags=re.IGNORECASE)[0]
    joins = "|".join(re.escape(word) for word in sorted(words.conjunctions, key=len, reverse=True))
    parts = re.split(rf"\s*,\s*(?:(?:{joins})\s+)?|\s+(?:{joins})\s+", items, flags=re.IGNORECASE)
    fillers = "|".join(re.escape(word) for word in sorted(words.fillers, key=len, reverse=True))
    cleaned = []
    for part in parts:
        name = re.sub(rf"^(?:(?:{fillers})\s+)+|\s+(?:{fillers})$", "", part, flags=re.IGNORECASE)
        name = name.strip(_ITEM_TRIM)
        if name and len(name.split()) <= _MAX_ITEM_WORDS:
            cleaned.append(name)
    return cleaned


def _rewrite(item: str, head: str, profile: Profile, language: str) -> str:
    for rewrite in profile.item_rewrites:
        if rewrite.language != language:
            continue
        match = rewrite.pattern.match(item)
        if match:
            return rewrite.replacement.format(head=head, **match.groupdict())
    return item


def question_template(concept: Concept, language: str | None, profile: Profile) -> str | None:
    """Return the derived-FAQ question for a concept, with `{subject}` still to fill in.

    An unknown language means the profile's default; a language the profile has no template for
    gives None rather than a question in another language than the page.

    >>> from pipeline.analyse.profile import load_profile
    >>> question_template("sideEffects", "en", load_profile())
    'What are the side effects of {subject}?'
    """
    wanted = language or profile.default_language
    return next(
        (q.template for q in profile.questions if q.concept == concept and q.language == wanted),
        None,
    )
