"""The analyse stage's shortcuts find what the plain walks they replaced found.

Each `_reference_*` below is the code as it was: every unit read, every pair judged, every title
matched afresh, every word counted. Repeated texts, repeated headings and a subject's name in
several spellings are what the shortcuts skip over, so the strategies draw them often.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from operator import itemgetter
from typing import TYPE_CHECKING

from hypothesis import example, given
from hypothesis import strategies as st

from pipeline.analyse import concepts, doses, language, properties, subject
from pipeline.analyse.doses import load_dose_rules
from pipeline.analyse.lexicon import find_interacting_drugs, sentence_concepts
from pipeline.analyse.profile import load_profile
from pipeline.analyse.properties import Unit
from pipeline.analyse.subject import load_subject_rules
from pipeline.analyse.words import letter_words, name_words, plain_words, word_positions
from pipeline.model import Span, Value

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from pipeline.model import Concept

PROFILE = load_profile()
DOSE = load_dose_rules()
SUBJECT = load_subject_rules()
SENTENCES = st.sampled_from(
    [
        "Kratom is sold as capsules, powder and tea.",
        "It is available in tablets or oral drops.",
        "Take it orally, by mouth, or under the tongue.",
        "Kratom may interact with drugs such as warfarin and clopidogrel.",
        "Avoid combining it with alcohol, benzodiazepines or opioids.",
        "Common side effects include nausea, vomiting and dizziness.",
        "Kratom can cause nausea, vomiting and dizziness in some users.",
        "The FDA has not approved kratom; it is illegal in some states.",
        "Kratom binds to opioid receptors in the brain.",
        "Do not use it when pregnant or breastfeeding.",
        "An overdose can be toxic.",
        "Short text.",
        "",
    ]
)
SECTIONS = st.sampled_from(
    [None, "dosage", "interactions", "sideEffects", "warnings", "mechanism", "legalStatus", "faq"]
)


def _unit(text: str, line: int, concept: str | None) -> Unit:
    return Unit(text, Span(start_line=line, end_line=line), concept)


UNITS = st.lists(
    st.builds(_unit, SENTENCES, st.integers(1, 40), SECTIONS),
    max_size=16,
)


def _speaks_of(sentence: str) -> frozenset[Concept]:
    return sentence_concepts(sentence, PROFILE, "en")


def _names_in(text: str) -> tuple[str, ...]:
    return find_interacting_drugs(text, PROFILE, "en")


def _reference_forms(units: Sequence[Unit]) -> tuple[Value, ...]:
    found: dict[str, Value] = {}
    cues = DOSE.form_cue.finditer_many([unit.text for unit in units])
    for unit, (matches,) in zip(units, cues, strict=True):
        for match in matches:
            for item in DOSE.form_split.split(match.group("list")):
                word = next((w for w in item.split() if w.casefold() in DOSE.form_words), None)
                if word is not None:
                    found.setdefault(word.casefold(), Value(text=word, span=unit.span))
    return tuple(found.values())


def _reference_routes(units: Sequence[Unit]) -> tuple[Value, ...]:
    routes: dict[str, Value] = {}
    dosage = [unit for unit in units if unit.section_concept == "dosage"]
    for unit, hits in zip(dosage, DOSE.routes.matching_many([u.text for u in dosage]), strict=True):
        for index in hits:
            route = DOSE.route_of[index]
            routes.setdefault(route, Value(text=route, span=unit.span))
    return tuple(routes.values())


def _reference_interacting(
    units: Sequence[Unit], names_in: Callable[[str], Sequence[str]]
) -> tuple[Value, ...]:
    seen: dict[str, Value] = {}
    for unit in units:
        if unit.section_concept == "interactions" or "interactions" in _speaks_of(unit.text):
            for name in names_in(unit.text):
                seen.setdefault(name.casefold(), Value(text=name, span=unit.span))
    return tuple(seen.values())


def _reference_distinct(found: Iterable[Unit]) -> list[Unit]:
    kept: list[tuple[Unit, set[str]]] = []
    for unit in found:
        words = set(plain_words(unit.text))
        if not words:
            continue
        if any(len(words & other) / min(len(words), len(other)) >= 0.6 for _, other in kept):
            continue
        kept.append((unit, words))
    return [unit for unit, _ in kept]


def _reference_properties(found: Sequence[Unit]) -> tuple[tuple[str, tuple[Value, ...]], ...]:
    result = []
    statements = [
        (unit, _speaks_of(unit.text))
        for unit in found
        if unit.section_concept not in {"faq", "other"} and len(unit.text.split()) >= 4
    ]
    for name, wanted, sections, most in properties._SENTENCE_PROPERTIES:
        picked = [
            unit
            for unit, concepts in statements
            if (sections is None or unit.section_concept in sections) and concepts & wanted
        ]
        if not picked and sections is not None and name != "warnings":
            picked = [u for u in found if u.section_concept in sections][:3]
        values = tuple(Value(text=u.text, span=u.span) for u in _reference_distinct(picked))[:most]
        if values:
            result.append((name, values))
    return tuple(result)


@given(UNITS)
@example(
    [
        _unit("Kratom is sold as capsules, powder and tea.", 1, None),
        _unit("Take it orally, by mouth, or under the tongue.", 2, "dosage"),
        _unit("Avoid combining it with alcohol, benzodiazepines or opioids.", 3, None),
        _unit("Kratom is sold as capsules, powder and tea.", 4, "dosage"),
        _unit("Take it orally, by mouth, or under the tongue.", 5, "dosage"),
        _unit("Avoid combining it with alcohol, benzodiazepines or opioids.", 6, "interactions"),
        _unit("Common side effects include nausea, vomiting and dizziness.", 7, None),
        _unit("Common side effects include nausea, vomiting and dizziness.", 8, None),
        _unit("Kratom is sold as capsules, powder and tea.", 9, "interactions"),
    ]
)
def test_repeated_texts_are_read_once_with_the_same_values(units: list[Unit]) -> None:
    assert doses.find_forms(units, DOSE) == _reference_forms(units)
    assert doses.find_routes(units, DOSE) == _reference_routes(units)
    # Any words will do for names: a text is read in the first unit that asks for it.
    for names_in in (_names_in, str.split):
        assert properties.find_interacting(units, _speaks_of, names_in) == _reference_interacting(
            units, names_in
        )
    for most in (1, 2, 4, 12):
        assert properties._distinct(units, {}, most) == _reference_distinct(units)[:most]
    assert properties.find_properties(units, _speaks_of) == _reference_properties(units)


# Texts around the word-count bound: lexicon words, each followed by a kind of space.
SPACED = st.lists(
    st.tuples(
        st.sampled_from(["nausea", "FDA", "a"]), st.sampled_from([" ", "\t", "\n", "\u2003", "  "])
    ),
    max_size=6,
).map(lambda words: "".join(word + space for word, space in words))


@given(st.lists(st.builds(_unit, SPACED, st.integers(1, 40), SECTIONS), max_size=8))
def test_properties_take_statements_of_as_many_words_as_a_full_split_finds(
    units: list[Unit],
) -> None:
    assert properties.find_properties(units, _speaks_of) == _reference_properties(units)


TITLES = st.lists(
    st.sampled_from(
        [
            "Side Effects",
            "Dosage",
            "1. Dosage and Administration:",
            "Side Effects and Precautions",
            "Safety and Side Effects",
            "Is it legal?",
            "Nebenwirkungen",
            "**Interactions** 💊",
            "Frequently Asked Questions",
            "History",
            "",
        ]
    ),
    max_size=10,
)


@given(TITLES, st.sampled_from(["en", "de", None]))
def test_headings_decided_once_are_decided_as_afresh(titles: list[str], lang: str | None) -> None:
    concepts._DECIDED.clear()
    first = concepts.match_headings(titles, PROFILE, lang)
    again = concepts.match_headings([*titles, *titles], PROFILE, lang)
    fresh = [concepts._decide([title], PROFILE, lang)[0] for title in titles]
    assert first == fresh
    assert again == fresh + fresh


def test_a_heading_is_decided_per_profile() -> None:
    concepts._DECIDED.clear()
    # A profile without side-effect headings decides "Side Effects" otherwise.
    other = replace(
        PROFILE, headings=tuple(r for r in PROFILE.headings if r.concept != "sideEffects")
    )
    titles = ["Side Effects", "Dosage"]
    for profile in (PROFILE, other, PROFILE, other):
        assert concepts.match_headings(titles, profile, "en") == concepts._decide(
            titles, profile, "en"
        )
    assert (
        concepts.match_headings(titles, PROFILE, "en")[0]
        != concepts.match_headings(titles, other, "en")[0]
    )


# Sentences of a few words, cue words ("powder", "tea", "dose") among them.
BODIES = st.lists(
    st.lists(
        st.sampled_from(
            ["kratom", "powder", "leaf", "the", "and", "tea", "red", "vein", "dose", "effects"]
        ),
        min_size=1,
        max_size=12,
    ),
    min_size=1,
    max_size=8,
).map(lambda sentences: " ".join(" ".join(words) + "." for words in sentences))


def _reference_phrase(word: str, count: int, words: list[str]) -> str:
    starts = {
        j for i in word_positions(words, word, count) for j in (i - 1, i) if 0 <= j < len(words) - 1
    }
    around = Counter((words[j], words[j + 1]) for j in starts)
    pairs = {
        pair: seen
        for pair, seen in around.items()
        if all(subject._is_candidate(w, SUBJECT) or w in SUBJECT.generic for w in pair)
    }
    if pairs:
        (first, second), pair_count = max(pairs.items(), key=lambda item: (item[1], item[0]))
        if pair_count >= count * 0.8 and first != second:
            return f"{first} {second}"
    return word


def _reference_from_body(text: str) -> tuple[str, str] | None:
    words = name_words(text)
    counts = Counter(words)
    repeated = [(word, count) for word, count in counts.items() if count >= 2]
    ranked = [
        (count, word)
        for word, count in sorted(repeated, key=itemgetter(1), reverse=True)[:40]
        if subject._is_candidate(word, SUBJECT)
    ]
    for count, word in sorted(ranked, key=lambda item: (-item[0], item[1])):
        if subject._spoken_of_as_taken(word, text, SUBJECT, sentences=2):
            phrase = _reference_phrase(word, count, words)
            return subject._display_form(phrase, text), "subject.most-mentioned"
    return None


@given(BODIES)
@example("kratom powder tea. kratom powder. kratom powder dose. red vein kratom powder.")
# Two names as common as each other: the one first in the alphabet is tried first.
@example("vein leaf kratom dose. vein leaf kratom dose.")
def test_the_body_subject_is_ranked_and_widened_as_before(text: str) -> None:
    names = name_words(text)
    counts = Counter(names)
    assert subject._from_body(text, names, counts, SUBJECT) == _reference_from_body(text)
    for word, count in counts.items():
        assert subject._phrase_around(word, count, names, SUBJECT) == _reference_phrase(
            word, count, names
        )


@given(st.lists(st.sampled_from(["Kratom", "KRATOM", "kratom", "kratoms", "x", ", ", "\n"])))
def test_a_name_is_found_where_its_pattern_finds_it(parts: list[str]) -> None:
    text = " ".join(parts)
    words = re.compile(r"\bkratom\b", re.IGNORECASE).finditer(text)
    mid = re.compile(r"(?<=[a-z,;] )kratom\b", re.IGNORECASE).finditer(text)
    assert subject._word_forms("kratom", text) == tuple(m.group() for m in words)
    assert subject._spelled("kratom", text, subject._MID_SENTENCE) == [m.group() for m in mid]


def _reference_detect(text: str) -> str | None:
    table = language.load_languages()
    sample = text[:5000].lower()
    shares, chars = language._script_shares(sample, table)
    candidates = [
        entry
        for entry in table.entries
        if sum(shares.get(script, 0.0) for script in entry.scripts) >= entry.min_share
    ]
    if len(candidates) == 1:
        return candidates[0].code
    words = Counter(letter_words(sample))
    score: Callable[..., int] = language._score
    scores = sorted(((score(e, sample, words, chars), e.code) for e in candidates), reverse=True)
    if not scores or scores[0][0] == 0 or (len(scores) > 1 and scores[0][0] == scores[1][0]):
        return None
    return scores[0][1]


@given(
    st.lists(
        st.sampled_from(
            ["the", "und", "der", "el", "la", "le", "de", "i", "w", "не", "и", "的", "é", "ß", "x"]
        ),
        max_size=30,
    ).map(" ".join)
)
def test_only_stopwords_are_counted_and_the_language_is_the_same(text: str) -> None:
    assert language.detect_language(text) == _reference_detect(text)
