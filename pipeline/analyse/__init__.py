"""The analyse stage: a cleaned Document in, an Analysis out (subject, concepts, FAQ, values)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Final

from pipeline.analyse.concepts import classify_sections
from pipeline.analyse.doses import DoseRules, find_doses, find_forms, find_routes, load_dose_rules
from pipeline.analyse.faq import find_faq
from pipeline.analyse.kinds import TYPE_KEYS
from pipeline.analyse.language import detect_language
from pipeline.analyse.lexicon import (
    body_matcher,
    find_interacting_drugs,
    many_sentence_concepts,
    question_template,
    sentence_concepts,
    split_sentences,
)
from pipeline.analyse.profile import base_language
from pipeline.analyse.properties import find_interacting, find_properties, units
from pipeline.analyse.scan import scanner
from pipeline.analyse.subject import find_subject, page_text
from pipeline.analyse.words import THEME_WORD, theme_words, word_positions
from pipeline.model import (
    CONCEPTS,
    Analysis,
    ConceptMatch,
    Document,
    Finding,
    Paragraph,
    Severity,
    Subject,
    Value,
    block_text,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from pipeline.analyse.profile import Profile
    from pipeline.analyse.properties import Unit
    from pipeline.analyse.scan import PageScan
    from pipeline.analyse.subject import SubjectRules
    from pipeline.model import Concept

# A description is the page's first real paragraph, cut at a sentence end near this length.
_DESCRIPTION_CHARS: Final = 200
_MIN_DESCRIPTION_WORDS: Final = 8
_NOTE_LABEL: Final = re.compile(r"^[A-Z][A-Z'’ -]{3,40}:\s")
# Concepts whose heading promises a topic the body should speak of; "other" and "overview" promise
# nothing in particular, and an FAQ group speaks of many things.
_PROMISING: Final = frozenset(CONCEPTS) - {"overview", "faq", "other"}
_RELATED: Final = ({"sideEffects", "warnings", "dependence", "overdose", "pregnancy"},)
_HEADING_RULES: Final = "concept.heading."
# A heading "does not match its text" when at most this share of a section's sentences speak of
# the heading's topic: on the seed, "Variability Across Jurisdictions" has 1 legal sentence in 8
# and "Dosage Considerations" 3 in 9 (side-effect bullets first); a real dosage section has most.
_ON_TOPIC_SHARE: Final = 0.35
# Two-sentence sections are too short to judge.
_MIN_MISMATCH_SENTENCES: Final = 4
_LABELS: Final[dict[str, str]] = {
    "overview": "an overview",
    "mechanism": "how it works",
    "dosage": "dosage",
    "sideEffects": "side effects",
    "warnings": "warnings",
    "dependence": "dependence",
    "interactions": "interactions",
    "legalStatus": "legal status",
    "pregnancy": "pregnancy",
    "overdose": "overdose",
    "ingredients": "ingredients",
    "uses": "uses",
    "faq": "questions",
    "other": "other topics",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Rules:
    """What the analyse stage reads: the concept profile and the subject word lists."""

    profile: Profile
    subject: SubjectRules
    dose: DoseRules = field(default_factory=load_dose_rules)


def analyse(
    doc: Document, rules: Rules, *, language: str | None = None, entity_type: str = "auto"
) -> Analysis:
    """Find the subject, the concept of each section, the FAQ and the subject's properties.

    `language` is the site's default for pages that declare none; `entity_type` (a setting)
    overrides the type the content suggests, unless the page's front matter names one.
    """
    text = page_text(doc)
    language = base_language(doc.meta.language) or base_language(language) or detect_language(text)
    profile = rules.profile
    # Every word list that reads the page's own text finds its hits in one pass over it.
    scan = scanner(
        (
            body_matcher(profile, language)[1],
            rules.subject.type_words,
            rules.subject.ingredients,
            rules.dose.form_cue,
            rules.dose.routes,
        )
    ).scan(text)
    concepts = classify_sections(doc.sections, profile, language=language, scan=scan)
    subject = _typed(find_subject(doc, rules.subject, text=text, scan=scan), doc, entity_type)

    found = units(doc, concepts, split_sentences)
    texts = list(dict.fromkeys(unit.text for unit in found))
    spoken = dict(zip(texts, many_sentence_concepts(texts, profile, language, scan), strict=True))

    def speaks_of(sentence: str) -> frozenset[Concept]:
        # Sections, answers and properties ask about the same sentences a dozen times a page.
        if sentence not in spoken:
            spoken[sentence] = sentence_concepts(sentence, profile, language)
        return spoken[sentence]

    def derive(concept: Concept) -> str | None:
        return question_template(concept, language, profile)

    def answers(concept: Concept, body: str) -> bool:
        return concept == "overview" or any(concept in speaks_of(s) for s in split_sentences(body))

    faq = find_faq(doc, concepts, subject=subject, derive=derive, answers=answers)
    findings = list(_mismatches(doc, concepts, speaks_of))
    title = _title(doc, subject, text, rules.subject)
    if title is not None and title.inferred_by:
        findings.append(
            Finding(
                rule="analyse.title-inferred",
                severity=Severity.WARNING,
                message=f'the page has no title; "{title.text}" was built from its subject and '
                "theme",
                hint="give the page a title (a first line, an H1 or front matter `title`)",
            )
        )
    if faq and all(entry.origin == "derived" for entry in faq):
        findings.append(
            Finding(
                rule="analyse.questions-derived",
                severity=Severity.INFO,
                message=f"the page asks no questions; {len(faq)} were derived from its sections",
                hint="show the visible FAQ block (.faq.html) on the page so the markup describes "
                "what readers see",
            )
        )
    return Analysis(
        document=doc,
        subject=subject,
        concepts=concepts,
        faq=faq,
        title=title,
        description=_description(doc),
        language=language,
        properties=_properties(found, speaks_of, rules.dose, scan) if subject else (),
        interacting=find_interacting(
            found, speaks_of, lambda s: find_interacting_drugs(s, profile, language, speaks_of)
        )
        if subject
        else (),
        doses=find_doses(found, rules.dose) if subject else (),
        findings=tuple(findings),
    )


_ENTITY_TYPES: Final[dict[str, tuple[str, ...]]] = {
    "Drug": ("Drug",),
    "DietarySupplement": ("DietarySupplement",),
    "both": ("Drug", "DietarySupplement"),
}


def _typed(subject: Subject | None, doc: Document, entity_type: str) -> Subject | None:
    declared = any(key in TYPE_KEYS for key, _ in doc.meta.extra)
    if subject is None or declared or entity_type not in _ENTITY_TYPES:
        return subject
    return replace(subject, types=_ENTITY_TYPES[entity_type])


def _properties(
    found: list[Unit],
    speaks_of: Callable[[str], frozenset[Concept]],
    dose: DoseRules,
    scan: PageScan | None,
) -> tuple[tuple[str, tuple[Value, ...]], ...]:
    extra = (
        ("dosageForm", find_forms(found, dose, scan)),
        ("administrationRoute", find_routes(found, dose, scan)),
    )
    return find_properties(found, speaks_of) + tuple((k, v) for k, v in extra if v)


def _mismatches(
    doc: Document,
    concepts: tuple[ConceptMatch, ...],
    speaks_of: Callable[[str], frozenset[Concept]],
) -> list[Finding]:
    """Warn where a heading promises a topic that little of its own text discusses."""
    findings = []
    for match in concepts:
        body = match.body_concept
        if (
            match.concept not in _PROMISING
            or not match.rule.startswith(_HEADING_RULES)
            or body is None
            or body == match.concept
            or any(match.concept in group and body in group for group in _RELATED)
        ):
            continue
        section = doc.sections[match.section]
        sentences = [s for b in section.blocks for s in split_sentences(block_text(b))]
        on_topic = sum(match.concept in speaks_of(s) for s in sentences)
        if len(sentences) < _MIN_MISMATCH_SENTENCES or on_topic > len(sentences) * _ON_TOPIC_SHARE:
            continue
        findings.append(
            Finding(
                rule="analyse.heading-body-mismatch",
                severity=Severity.WARNING,
                message=f'section "{section.title}" is headed as {_LABELS[match.concept]} but only '
                f"{on_topic} of its {len(sentences)} sentences are about that; most are about "
                f"{_LABELS[body]}",
                line=section.span.start_line,
                hint="retitle the section or move its text where it belongs",
            )
        )
    return findings


def _description(doc: Document) -> Value | None:
    """Front matter or meta description, else the first real paragraph.

    A paragraph that opens with a label in capitals ("DOCUMENT CONTEXT:", "EDITOR'S NOTE:") is a
    note about the document, not a description of its subject.
    """
    if doc.meta.description:
        return Value(text=doc.meta.description)
    blocks = [*doc.lead, *(b for s in doc.sections for b in s.blocks)]
    for block in blocks:
        if (
            isinstance(block, Paragraph)
            and len(block.text.split()) >= _MIN_DESCRIPTION_WORDS
            and not _NOTE_LABEL.match(block.text)
        ):
            return Value(text=_trim(block.text), span=block.span)
    return None


def _trim(text: str) -> str:
    """Keep whole sentences up to about `_DESCRIPTION_CHARS`; always at least the first one."""
    sentences = split_sentences(text)
    kept = sentences[0] if sentences else text
    for sentence in sentences[1:]:
        if len(kept) + 1 + len(sentence) > _DESCRIPTION_CHARS:
            break
        kept = f"{kept} {sentence}"
    return kept


# An untitled page's theme is a word of four letters or more said at least three times ("sleep" on
# the seed), widened to the pair it forms at least twice ("sleep quality").
_MIN_THEME_CHARS: Final = 4
_MIN_THEME_MENTIONS: Final = 3
_MIN_THEME_PAIRS: Final = 2


def _title(doc: Document, subject: Subject | None, text: str, rules: SubjectRules) -> Value | None:
    if doc.meta.title:
        return Value(text=doc.meta.title)
    if subject is None:
        first = doc.sections[0].title if doc.sections else None
        return Value(text=first, inferred_by="analyse.title-from-heading") if first else None
    theme = _theme(text, subject, rules)
    title_case = " ".join(w[:1].upper() + w[1:] if w.islower() else w for w in subject.name.split())
    name = f"{title_case} and {theme}" if theme else title_case
    return Value(text=name, inferred_by="analyse.title-inferred")


def _theme(text: str, subject: Subject, rules: SubjectRules) -> str | None:
    """The page's most repeated theme word, with the word that most often follows it."""
    words = theme_words(text)
    names = {w.casefold() for w in THEME_WORD.findall(subject.name)}
    # The theme is the greatest (count, word) that qualifies; only a repeated word can be one.
    best = max(
        (
            (count, word)
            for word, count in Counter(words).items()
            if count >= _MIN_THEME_MENTIONS
            and len(word) >= _MIN_THEME_CHARS
            and word not in rules.stopwords
            and word not in names
            and word not in rules.not_theme
        ),
        default=None,
    )
    if best is None:
        return None
    count, theme = best
    pairs = Counter(
        b
        for b in (words[i + 1] for i in word_positions(words, theme, count) if i + 1 < len(words))
        if b not in rules.stopwords and b not in rules.not_theme and len(b) >= _MIN_THEME_CHARS
    )
    phrase = theme
    if pairs:
        second, pair_count = max(pairs.items(), key=lambda item: (item[1], item[0]))
        if pair_count >= _MIN_THEME_PAIRS:
            phrase = f"{theme} {second}"
    return phrase.title()
