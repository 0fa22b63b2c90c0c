"""Find what a page is about: the substance, its other names, its active compounds and its type.

Evidence, strongest first: front matter (`drug`, `subject`), the title's most-repeated term, then
the most-repeated term of the text. Word lists live in `profiles/subject.toml`.
"""

from __future__ import annotations

import functools
import itertools
import re
import tomllib
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from operator import itemgetter
from typing import TYPE_CHECKING, Final

from pipeline.analyse.aliases import MIN_NAME_CHARS, find_aliases
from pipeline.analyse.kinds import ingredients, subject_types
from pipeline.analyse.matcher import Matcher, finditer_at, fold
from pipeline.analyse.words import (
    NAME_WORD,
    folded_text,
    lines_with,
    name_places,
    name_starts,
    name_words,
    occurrences,
    word_positions,
)
from pipeline.model import Document, Subject, block_text

if TYPE_CHECKING:
    from collections.abc import Iterable

    from pipeline.analyse.scan import PageScan

_SENTENCE: Final = re.compile(r"(?<=[.!?])\s+|\n+")
_FRONT_MATTER_KEYS: Final = ("drug", "subject", "substance", "supplement")
# A title term must recur in the body to be the subject; once could be a passing mention.
_MIN_MENTIONS: Final = 2
# A longer title phrase wins over its head word when it carries at least this share of its mentions
# ("Red Yeast Rice" over "rice", "Valerian Root" over "valerian").
_PHRASE_SHARE: Final = 0.5
_MAX_PHRASE_WORDS: Final = 3
# A capitalised name up to four letters is an acronym and stays so ("CBD"); a longer one in
# capitals is a shouted title ("MELATONIN") when the page also writes it in lower case.
_MAX_ACRONYM_CHARS: Final = 4
_MAX_TITLE_NAME_WORDS: Final = 2
# With no title to go by, a term needs two sentences that speak of it being taken.
_BODY_CUE_SENTENCES: Final = 2
# When the page's title names nothing taken, one of those sentences must also put the word of
# taking this close to the term ("take X", "X capsules", "doses of X"): a page about something
# else names it farther off ("the more antibiotics you have taken, the higher your superbug risk").
_CLOSE_CUE_WORDS: Final = 2
# In running text a two-word name is kept when nearly every mention of its head word is in it.
_BODY_PHRASE_SHARE: Final = 0.8
# A term named in the title and repeated this often is the subject without a dose word beside it.
_TITLE_MENTIONS_WITHOUT_CUE: Final = 5
# With no title to go by, the most repeated words are tried as the subject.
_MOST_COMMON: Final = 40

# What stands around a name in the patterns `_spelled` and `_labels` stand for.
_MID_SENTENCE: Final = re.compile(r"(?<=[a-z,;] )", re.IGNORECASE)
_WORD_EDGE: Final = re.compile(r"\b")
_LABEL_END: Final = re.compile(r"\s*:")


@dataclass(frozen=True, slots=True, kw_only=True)
class SubjectRules:
    """The word lists of `subject.toml`, compiled once."""

    stopwords: frozenset[str]
    generic: frozenset[str]
    cues: frozenset[str]
    # The supplement words' patterns, then the drug words'; `supplement_words` tells them apart.
    type_words: Matcher
    supplement_words: int
    min_supplement_hits: int
    explicit_aliases: tuple[str, ...]
    implied_aliases: tuple[str, ...]
    alias_split: re.Pattern[str]
    alias_reject: frozenset[str]
    ingredients: Matcher
    name_shape: re.Pattern[str]
    not_theme: frozenset[str]


@functools.cache
def load_subject_rules() -> SubjectRules:
    """Load `profiles/subject.toml`."""
    text = resources.files("pipeline.profiles").joinpath("subject.toml").read_text("utf-8")
    data = tomllib.loads(text)
    stopwords = frozenset(
        word.casefold()
        for language, words in data["stopwords"].items()
        if language != "note"
        for word in words
    )
    return SubjectRules(
        stopwords=stopwords,
        generic=frozenset(
            w.casefold() for w in (*data["generic"]["words"], *data["generic"]["classes"])
        ),
        cues=frozenset(w.casefold() for w in data["substance"]["cues"]),
        type_words=_word_patterns([*data["types"]["supplement"], *data["types"]["drug"]]),
        supplement_words=len(data["types"]["supplement"]),
        min_supplement_hits=int(data["types"]["min_supplement_hits"]),
        explicit_aliases=tuple(data["aliases"]["explicit"]),
        implied_aliases=tuple(data["aliases"]["implied"]),
        alias_split=re.compile(data["aliases"]["split"], re.IGNORECASE),
        alias_reject=frozenset(w.casefold() for w in data["aliases"]["reject"]),
        ingredients=Matcher.build(
            [
                re.compile(p.replace("{{", "{").replace("}}", "}"), re.IGNORECASE)
                for p in data["ingredients"]["patterns"]
            ]
        ),
        name_shape=re.compile(data["ingredients"]["name_shape"]),
        not_theme=frozenset(w.casefold() for w in data["theme"]["exclude"]),
    )


def _word_patterns(words: Iterable[str]) -> Matcher:
    """One pattern per word or phrase, compiled once; matched against case-folded text."""
    return Matcher.build([re.compile(rf"\b{re.escape(word)}\b") for word in words])


def page_text(doc: Document) -> str:
    """All content text of a page, one block per line, headings included."""
    parts = [block_text(block) for block in doc.lead]
    for section in doc.sections:
        parts.append(section.title)
        parts.extend(block_text(block) for block in section.blocks)
    return "\n".join(parts)


def find_subject(
    doc: Document, rules: SubjectRules, *, text: str | None = None, scan: PageScan | None = None
) -> Subject | None:
    """Return the page's subject, or None when nothing on it is spoken of as a substance."""
    text = page_text(doc) if text is None else text
    words = name_words(text)
    counts = Counter(words)
    extra = dict(doc.meta.extra)
    explicit = next((extra[key] for key in _FRONT_MATTER_KEYS if extra.get(key)), None)
    if explicit:
        name, rule = explicit.strip(), "subject.front-matter"
    else:
        found = _from_title(doc.meta.title, text, counts, rules) or _from_body(
            text, words, counts, rules, titled=bool(doc.meta.title)
        )
        if found is None:
            return None
        name, rule = found
    aliases = find_aliases(name, f"{doc.meta.title or ''}\n{text}", rules)
    return Subject(
        name=name,
        types=subject_types(text, extra, rules, scan),
        alternate_names=aliases,
        active_ingredients=ingredients(text, name, rules, scan),
        rule=rule,
        mention=_mention(name, _running_text(doc)),
    )


def _is_candidate(word: str, rules: SubjectRules) -> bool:
    return (
        len(word) >= MIN_NAME_CHARS
        and not word.isdigit()
        and word not in rules.stopwords
        and word not in rules.generic
    )


def _from_title(
    title: str | None, text: str, counts: Counter[str], rules: SubjectRules
) -> tuple[str, str] | None:
    if not title:
        return None
    named = _title_is_a_name(title, rules)
    if named:
        return _display_form(named, text), "subject.title-name"
    tokens = NAME_WORD.findall(title)
    scored = [
        (counts[t.casefold()], i)
        for i, t in enumerate(tokens)
        if _is_candidate(t.casefold(), rules)
    ]
    scored = [item for item in scored if item[0] >= _MIN_MENTIONS]
    if not scored:
        return None
    # Ties go to the later word: names are head-final ("Green Borneo Kratom Powder").
    best_count, best = max(scored)
    lowered = text.casefold()
    phrase = (best, best + 1)
    for start in range(max(0, best - _MAX_PHRASE_WORDS + 1), best + 1):
        for end in range(best + 1, min(len(tokens), start + _MAX_PHRASE_WORDS) + 1):
            words = tokens[start:end]
            if end - start <= phrase[1] - phrase[0] or not all(
                _is_candidate(w.casefold(), rules) or w.casefold() in rules.generic for w in words
            ):
                continue
            if not _is_candidate(words[0].casefold(), rules) and not _is_candidate(
                words[-1].casefold(), rules
            ):
                continue
            key = " ".join(words).casefold()
            # Every match starts where the phrase does: only those places are tried.
            pattern = re.compile(rf"\b{re.escape(key)}\b")
            mentions = len(list(finditer_at(pattern, lowered, occurrences(lowered, key))))
            if mentions >= max(_MIN_MENTIONS, best_count * _PHRASE_SHARE):
                phrase = (start, end)
    name = " ".join(tokens[phrase[0] : phrase[1]])
    if best_count < _TITLE_MENTIONS_WITHOUT_CUE and not _spoken_of_as_taken(name, text, rules):
        return None
    return _display_form(name, text), "subject.title-term"


def _title_is_a_name(title: str, rules: SubjectRules) -> str | None:
    """Monographs are titled with the bare name ("Diphenhydramine", "Kratom (Mitragyna sp.)")."""
    head = re.sub(r"\([^)]*\)", " ", title).strip()
    words = NAME_WORD.findall(head)
    if not words or len(words) > _MAX_TITLE_NAME_WORDS or head.endswith("?"):
        return None
    if not all(_is_candidate(w.casefold(), rules) for w in words):
        return None
    return " ".join(words)


def _from_body(
    text: str, words: list[str], counts: Counter[str], rules: SubjectRules, *, titled: bool = False
) -> tuple[str, str] | None:
    """The most repeated word spoken of as taken; more closely so on a page whose title failed."""
    close = _CLOSE_CUE_WORDS if titled else None
    # The 40 most common words, ties in page order, as `most_common(40)`; the rarer ones are dropped
    # below anyway, and counting fewer first sorts fewer.
    repeated = [(word, count) for word, count in counts.items() if count >= _MIN_MENTIONS]
    common = sorted(repeated, key=itemgetter(1), reverse=True)[:_MOST_COMMON]
    # Tried by count, then alphabetically; the first word spoken of as taken is nearly always in
    # the first group, so the words of the others are not judged.
    for count, group in itertools.groupby(common, key=itemgetter(1)):
        for word in sorted(word for word, _ in group):
            if _is_candidate(word, rules) and _spoken_of_as_taken(
                word, text, rules, sentences=_BODY_CUE_SENTENCES, close=close
            ):
                return _display_form(
                    _phrase_around(word, count, words, rules), text
                ), "subject.most-mentioned"
    return None


def _phrase_around(word: str, count: int, words: list[str], rules: SubjectRules) -> str:
    """Widen a word to the two-word name it nearly always stands in ("willow" → "willow bark").

    `count` is how often the word occurs in `words`.
    """
    # Pair j is words j and j + 1: the pairs holding the word are those at and just before it.
    starts = {
        j for i in word_positions(words, word, count) for j in (i - 1, i) if 0 <= j < len(words) - 1
    }
    around = Counter((words[j], words[j + 1]) for j in starts)
    # The word itself is in every pair: each distinct word is judged once, not once per pair.
    distinct = {w for pair in around for w in pair}
    fits = {w for w in distinct if _is_candidate(w, rules) or w in rules.generic}
    pairs = {pair: seen for pair, seen in around.items() if pair[0] in fits and pair[1] in fits}
    if pairs:
        (first, second), pair_count = max(pairs.items(), key=lambda item: (item[1], item[0]))
        if pair_count >= count * _BODY_PHRASE_SHARE and first != second:
            return f"{first} {second}"
    return word


def _spoken_of_as_taken(
    name: str, text: str, rules: SubjectRules, *, sentences: int = 1, close: int | None = None
) -> bool:
    """A sentence names it beside a dose or substance word, and it is not a speaker's label.

    Interviews prefix answers with the speaker ("Auerbach: ..."); such a name is a person. With
    `close`, one of the sentences must also have such a word within `close` words of the name.
    """
    labels = _labels(name, text) if _opens_a_line(name, text) else 0
    if labels * 2 >= len(_word_forms(name, text)):
        return False
    found, near = 0, close is None
    for line in lines_with(name, text):
        for sentence in _SENTENCE.split(line):
            if not _holds_word(name, sentence):
                continue
            words = [word.casefold() for word in NAME_WORD.findall(sentence)]
            if rules.cues.isdisjoint(words):
                continue
            found += 1
            near = near or _cue_within(name, words, rules.cues, close or 0)
            if found >= sentences and near:
                return True
    return False


def _cue_within(name: str, words: list[str], cues: frozenset[str], distance: int) -> bool:
    """Whether a cue word is within `distance` words of the name, in a sentence's words."""
    key = [word.casefold() for word in NAME_WORD.findall(name)]
    size = len(key)
    return any(
        words[at : at + size] == key
        and not cues.isdisjoint(
            words[max(0, at - distance) : at] + words[at + size : at + size + distance]
        )
        for at in range(len(words) - size + 1)
    )


def _opens_a_line(name: str, text: str) -> bool:
    """Whether a line may start with the name; pages rarely label a speaker, so mostly not."""
    key, folded = fold(name), folded_text(text)
    return not key or folded is None or folded.startswith(key) or f"\n{key}" in folded


def _holds_word(name: str, sentence: str) -> bool:
    r"""Whether `\bNAME\b` (IGNORECASE) matches in the sentence; see `_spelled`."""
    size = len(name)
    return any(
        _WORD_EDGE.match(sentence, at) and _WORD_EDGE.match(sentence, at + size)
        for at in name_places(name, sentence, fold(sentence))
    )


@functools.lru_cache(maxsize=8)
def _word_forms(name: str, text: str) -> tuple[str, ...]:
    """The name as a word in the text, as written: asked to test a name, then for its spelling."""
    return tuple(_spelled(name, text, _WORD_EDGE))


def _spelled(name: str, text: str, before: re.Pattern[str]) -> list[str]:
    r"""The name as written where `finditer` of `BEFORE NAME\b` matches; `before` is zero-width.

    Tried only where the name stands (`name_starts`), with the tests around it compiled once
    rather than with each name in them: a site with a page per drug names a new one each page.
    """
    size = len(name)
    found = []
    end = 0
    for at in name_starts(name, text):
        if at >= end and before.match(text, at) and _WORD_EDGE.match(text, at + size):
            found.append(text[at : at + size])
            end = at + size
    return found


def _display_form(name: str, text: str) -> str:
    """Use the page's own most common spelling; capitalise a lower-case one, keep acronyms."""
    forms = Counter(_word_forms(name, text))
    if not forms:
        return name
    best: str = max(forms.items(), key=lambda item: (item[1], item[0]))[0]
    if best.isupper() and len(best) > _MAX_ACRONYM_CHARS and any(not f.isupper() for f in forms):
        best = max((f for f in forms if not f.isupper()), key=lambda f: (forms[f], f))
    return best[0].upper() + best[1:] if best[:1].islower() else best


def _running_text(doc: Document) -> str:
    """Paragraphs and list items only: headings capitalise every word."""
    blocks = [*doc.lead, *(b for s in doc.sections for b in s.blocks)]
    return "\n".join(block_text(b) for b in blocks)


def _mention(name: str, text: str) -> str:
    """The spelling used mid-sentence: lower case for common nouns, as written for names."""
    forms = Counter(_spelled(name, text, _MID_SENTENCE))
    return max(forms.items(), key=lambda item: (item[1], item[0]))[0] if forms else name


def _labels(name: str, text: str) -> int:
    r"""How often the name labels a line, as `finditer` of `(?:^|\n)NAME\s*:` would count it."""
    count = end = 0
    for at in name_starts(name, text):
        start = at if at == 0 else at - 1
        if (
            start >= end
            and (at == 0 or text[start] == "\n")
            and (label := _LABEL_END.match(text, at + len(name)))
        ):
            count += 1
            end = label.end()
    return count
