"""What a text speaks of, by the body lexicons: sentences, concept hits, interacting drugs.

Also the profile's question templates for derived FAQ entries. Holds no domain words itself.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Final, Literal, TypeVar

from pipeline.analyse.language import load_languages
from pipeline.analyse.matcher import Matcher
from pipeline.analyse.profile import in_language

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from pipeline.analyse.profile import ConceptRule, InteractionRule, ListWords, Profile
    from pipeline.analyse.scan import PageScan
    from pipeline.model import Concept

    Rules = tuple[tuple[ConceptRule, ...], Matcher]
    Interactions = tuple[tuple[InteractionRule, ListWords | None], ...]

# Curly quotes, CJK full stops and brackets, en dash: written as escapes so they stay legible.
_CLOSERS: Final = "\"'\u201d\u2019)\\]"
_OPENERS: Final = "\"'\u201c\u2018(\\[\u00bf\u00a1\u2022\\-\u2013"
_CJK_ENDS: Final = "\u3002\uff01\uff1f"
_CJK_CLOSERS: Final = "\u300d\u300f\u201d\uff09)"
_STOPS: Final = ".!?\u2026"
# A class of white space but the plain space: `\s` less " " (tests/property/test_sentences.py).
BREAKING_SPACE_CLASS: Final = (
    "\t\n\x0b\x0c\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
)
# A candidate sentence end: terminal punctuation, closing quotes, then space; a CJK full stop; or
# white space that holds a line break. The first character is one class, so `re` skips to the few
# places an end can start instead of trying every one; a line break's white space is taken from
# its first character that is not a plain space, and those spaces are stripped from the sentence.
_END: Final = re.compile(
    rf"[{_STOPS}{_CJK_ENDS}{BREAKING_SPACE_CLASS}]"
    rf"(?:(?<=[{_STOPS}])[{_STOPS}]*[{_CLOSERS}]*\s+"
    rf"|(?<=[{_CJK_ENDS}])[{_CJK_ENDS}]*[{_CJK_CLOSERS}]*\s*"
    r"|(?<=\n)\s*|(?<=\s)\s*\n\s*)"
)
# After a break the next sentence starts with a capital, a digit, an opening quote or a bullet.
_START: Final = re.compile(rf"[{_OPENERS}]?[^\W_a-z\u00e0-\u00ff\u0430-\u044f\u0451]|\d")
_INITIAL: Final = re.compile(r"(?:^|\s)\(?[^\W\d_]\.$")
# An initial ("J. Smith") is at most this many characters: only the end of a text is searched.
_INITIAL_CHARS: Final = 4
_CJK_TAIL: Final = _CJK_ENDS + _CJK_CLOSERS
_ITEM_TRIM: Final = " \"'\u201c\u201d\u2018\u2019-\u2013"
# A named drug is a short noun phrase; longer items are clauses the phrase pattern ran into.
_MAX_ITEM_WORDS: Final = 6
# A sentence-end test looks this far back at most (abbreviations are a few characters), so
# splitting stays linear in the length of the text.
_LOOKBEHIND: Final = 64


# A page asks about the same blocks several times (sections, answers, properties); a small cache
# serves one page and does not grow with a batch.
@functools.lru_cache(maxsize=512)
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


def _is_break(text: str, stop: int, following: int, abbreviations: tuple[str, ...]) -> bool:
    before = text[max(0, stop - _LOOKBEHIND) : stop]
    if before[-1] in _CJK_TAIL and not before.endswith(("...", ")", "\u201d")):
        return True
    if following < len(text) and not _START.match(text, following):
        return False
    if not before.endswith("."):
        return True
    lowered = before.lower()
    if lowered.endswith(abbreviations):
        for abbreviation in abbreviations:
            if lowered.endswith(abbreviation):
                head = lowered[: -len(abbreviation)]
                if not head or not head[-1].isalnum():
                    return False
    return not _ends_with_initial(before)


def _ends_with_initial(before: str) -> bool:
    """Whether a text that ends in "." ends in an initial; `^` matches at its start only."""
    return _INITIAL.search(before, max(0, len(before) - _INITIAL_CHARS)) is not None


def rule_hits(
    texts: Sequence[str], profile: Profile, language: str | None, scan: PageScan | None = None
) -> list[list[tuple[ConceptRule, int]]]:
    """Per text, each body lexicon with matches in it and how many, in one matcher pass."""
    rules, matcher = body_matcher(profile, language)
    return [
        [(rule, hits) for rule, hits in zip(rules, counts, strict=True) if hits]
        for counts in matcher.counts_many(texts, scan)
    ]


def concept_hits(hits: Iterable[tuple[ConceptRule, int]]) -> dict[Concept, float]:
    """Return, per concept, the weighted count of a text's body-lexicon matches."""
    totals: dict[Concept, float] = {}
    for rule, count in hits:
        totals[rule.concept] = totals.get(rule.concept, 0.0) + count * rule.weight
    return totals


def deciding_rule(hits: Iterable[tuple[ConceptRule, int]], concept: Concept) -> str:
    """Return the id of the body lexicon with the most matches for `concept` in a text."""
    counted = [(count, rule.id) for rule, count in hits if rule.concept == concept]
    return max(counted)[1] if counted else concept


def body_matcher(profile: Profile, language: str | None) -> tuple[tuple[ConceptRule, ...], Matcher]:
    """The body lexicons for `language` and their matcher, built once per profile and language."""
    return _matcher(profile, "bodies", language)


def heading_matcher(
    profile: Profile, language: str | None
) -> tuple[tuple[ConceptRule, ...], Matcher]:
    """The heading rules for `language` and their matcher, built once per profile and language."""
    return _matcher(profile, "headings", language)


_MATCHERS: dict[tuple[int, str, str | None], tuple[Profile, Rules]] = {}
_INTERACTIONS: dict[tuple[int, str, str | None], tuple[Profile, Interactions]] = {}
# Profiles live for the run; the bound only matters to a process that loads many of them.
_MAX_MATCHERS: Final = 64


def _matcher(
    profile: Profile, table: Literal["bodies", "headings"], language: str | None
) -> tuple[tuple[ConceptRule, ...], Matcher]:
    def build() -> Rules:
        rules = in_language(getattr(profile, table), language, profile.default_language)
        return rules, Matcher.build([r.pattern for r in rules])

    return _per_profile(_MATCHERS, (id(profile), table, language), profile, build)


def _interactions(profile: Profile, language: str | None) -> Interactions:
    """The interaction rules for `language`, each with its language's list words."""

    def build() -> Interactions:
        rules = in_language(profile.interactions, language, profile.default_language)
        return tuple((rule, _list_words(profile, rule.language)) for rule in rules)

    return _per_profile(_INTERACTIONS, (id(profile), "interactions", language), profile, build)


_T = TypeVar("_T")


def _per_profile(
    cache: dict[tuple[int, str, str | None], tuple[Profile, _T]],
    key: tuple[int, str, str | None],
    profile: Profile,
    build: Callable[[], _T],
) -> _T:
    """What `build` makes of one profile, made once: a page asks for it many times."""
    cached = cache.get(key)
    if cached is None or cached[0] is not profile:
        if len(cache) >= _MAX_MATCHERS:
            cache.clear()
        cached = cache[key] = (profile, build())
    return cached[1]


def many_sentence_concepts(
    sentences: Sequence[str], profile: Profile, language: str | None, scan: PageScan | None = None
) -> list[frozenset[Concept]]:
    """`sentence_concepts` for each sentence of a page, in one pass of the lexicon matcher."""
    rules, matcher = body_matcher(profile, language)
    return [
        frozenset(rules[index].concept for index in hits)
        for hits in matcher.matching_many(sentences, scan)
    ]


def sentence_concepts(sentence: str, profile: Profile, language: str | None) -> frozenset[Concept]:
    """Return the concepts a sentence speaks of: every concept with a lexicon hit in it.

    >>> from pipeline.analyse.profile import load_profile
    >>> sorted(sentence_concepts("Kratom is not approved by the FDA.", load_profile(), "en"))
    ['legalStatus']
    """
    rules, matcher = body_matcher(profile, language)
    return frozenset(rules[index].concept for index in matcher.matching(sentence))


def find_interacting_drugs(
    text: str,
    profile: Profile,
    language: str | None,
    concepts_of: Callable[[str], frozenset[Concept]] | None = None,
) -> tuple[str, ...]:
    """Return the drugs the text names as interacting, in order of appearance, without repeats.

    Only sentences the interactions lexicon flags are searched, so a "such as" list elsewhere is
    not taken for one; `concepts_of` is `sentence_concepts`, or a cache of it.

    >>> from pipeline.analyse.profile import load_profile
    >>> find_interacting_drugs(
    ...     "It may interact with drugs such as warfarin and clopidogrel.", load_profile(), "en"
    ... )
    ('warfarin', 'clopidogrel')
    """
    concepts_of = concepts_of or functools.partial(
        sentence_concepts, profile=profile, language=language
    )
    found: dict[str, str] = {}
    for sentence in split_sentences(text):
        if "interactions" not in concepts_of(sentence):
            continue
        for rule, words in _interactions(profile, language):
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
    stop, split, filler = _list_patterns(words.stops, words.conjunctions, words.fillers)
    if stop is not None:
        items = stop.split(items, maxsplit=1)[0]
    cleaned = []
    for part in split.split(items):
        name = filler.sub("", part).strip(_ITEM_TRIM)
        if name and len(name.split()) <= _MAX_ITEM_WORDS:
            cleaned.append(name)
    return cleaned


@functools.cache
def _list_patterns(
    stops: tuple[str, ...], conjunctions: tuple[str, ...], fillers: tuple[str, ...]
) -> tuple[re.Pattern[str] | None, re.Pattern[str], re.Pattern[str]]:
    """The stop, split and filler patterns of one language's list words, compiled once."""
    stop = "|".join(re.escape(word) for word in stops)
    joins = "|".join(re.escape(word) for word in sorted(conjunctions, key=len, reverse=True))
    pads = "|".join(re.escape(word) for word in sorted(fillers, key=len, reverse=True))
    return (
        re.compile(rf"\s(?:{stop})\b", re.IGNORECASE) if stop else None,
        re.compile(rf"\s*,\s*(?:(?:{joins})\s+)?|\s+(?:{joins})\s+", re.IGNORECASE),
        re.compile(rf"^(?:(?:{pads})\s+)+|\s+(?:{pads})$", re.IGNORECASE),
    )


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
