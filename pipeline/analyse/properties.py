"""Subject properties: the sentences of a page that speak to each property, each said once.

A property takes sentences, not whole sections: a "Dosage" section on the seed holds side-effect
bullets, and its side effects are restated in five sections. A sentence is kept for a concept when
the profile's lexicon says it speaks of that concept; near-repeats of a kept sentence are dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from pipeline.analyse.words import plain_words
from pipeline.model import BulletList, Document, Paragraph, Span, Table, Value

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from pipeline.model import Concept, ConceptMatch

# Two sentences sharing this share of their words say the same thing in other order
# ("Kratom can cause nausea, vomiting..." / "Common side effects include nausea, vomiting...").
_NEAR_REPEAT: Final = 0.6
# Warnings come from sections about risk, dosing or law: an overview that says a drug "relieves
# itching" names a symptom, not a side effect.
_SAFETY_SECTIONS: Final = frozenset(
    {
        "sideEffects",
        "warnings",
        "dependence",
        "dosage",
        "interactions",
        "legalStatus",
        "overdose",
        "pregnancy",
    }
)
# Property → the concepts whose sentences it takes, the sections they may come from (None:
# anywhere on the page), and how many distinct sentences it keeps. One-text properties keep a
# short summary; list properties keep each distinct statement.
_SENTENCE_PROPERTIES: Final[tuple[tuple[str, frozenset[str], frozenset[str] | None, int], ...]] = (
    ("mechanism", frozenset({"mechanism"}), frozenset({"mechanism"}), 4),
    ("warnings", frozenset({"sideEffects", "warnings", "dependence"}), _SAFETY_SECTIONS, 12),
    ("legalStatus", frozenset({"legalStatus"}), None, 4),
    ("overdose", frozenset({"overdose"}), frozenset({"overdose"}), 4),
    ("pregnancy", frozenset({"pregnancy"}), frozenset({"pregnancy"}), 4),
)
_EXCLUDED_SECTIONS: Final = frozenset({"faq", "other"})
_FALLBACK_UNITS: Final = 3
# "Primary Mechanisms:" is a label, not a statement.
_MIN_WORDS: Final = 4


@dataclass(frozen=True, slots=True)
class Unit:
    """A sentence or list item with where it stands and what the section is about."""

    text: str
    span: Span
    section_concept: str | None


def units(
    doc: Document, concepts: Sequence[ConceptMatch], split: Callable[[str], Sequence[str]]
) -> list[Unit]:
    """Every sentence and list item of the page's content, lead first."""
    by_section = {match.section: match.concept for match in concepts}
    found: list[Unit] = []
    groups = [(None, doc.lead)] + [
        (by_section.get(index), section.blocks) for index, section in enumerate(doc.sections)
    ]
    for concept, blocks in groups:
        for block in blocks:
            if isinstance(block, Paragraph):
                found.extend(Unit(s, block.span, concept) for s in split(block.text))
            elif isinstance(block, BulletList):
                found.extend(
                    Unit(
                        f"{item.label}: {item.text}" if item.label else item.text,
                        item.span,
                        concept,
                    )
                    for item in block.items
                )
            elif isinstance(block, Table):
                found.extend(Unit(" | ".join(row), block.span, concept) for row in block.rows)
    return found


def find_properties(
    found: Sequence[Unit], speaks_of: Callable[[str], frozenset[Concept]]
) -> tuple[tuple[str, tuple[Value, ...]], ...]:
    """Return (concept, values) pairs in a fixed order, values in page order."""
    result = []
    statements = [
        (unit, speaks_of(unit.text))
        for unit in found
        # Splitting stops at the words it needs: a text holds them when it splits that far.
        if unit.section_concept not in _EXCLUDED_SECTIONS
        and len(unit.text.split(maxsplit=_MIN_WORDS - 1)) >= _MIN_WORDS
    ]
    words: dict[str, set[str]] = {}
    for name, wanted, sections, most in _SENTENCE_PROPERTIES:
        picked = [
            unit
            for unit, concepts in statements
            if (sections is None or unit.section_concept in sections)
            and not concepts.isdisjoint(wanted)
        ]
        if not picked and sections is not None and name != "warnings":
            # The heading says what the section is about even when no word of the lexicon does.
            picked = [u for u in found if u.section_concept in sections][:_FALLBACK_UNITS]
        values = tuple(Value(text=u.text, span=u.span) for u in _distinct(picked, words, most))
        if values:
            result.append((name, values))
    return tuple(result)


def find_interacting(
    found: Sequence[Unit],
    speaks_of: Callable[[str], frozenset[Concept]],
    names_in: Callable[[str], Sequence[str]],
) -> tuple[Value, ...]:
    """Drugs named as interacting, once each, from sentences about interactions.

    A text already read names nothing new when the page repeats it, so it is read once.
    """
    seen: dict[str, Value] = {}
    read: set[str] = set()
    for unit in found:
        if unit.text in read:
            continue
        if unit.section_concept == "interactions" or "interactions" in speaks_of(unit.text):
            read.add(unit.text)
            for name in names_in(unit.text):
                seen.setdefault(name.casefold(), Value(text=name, span=unit.span))
    return tuple(seen.values())


def _distinct(found: Iterable[Unit], cache: dict[str, set[str]], most: int) -> list[Unit]:
    """The first `most` units that are not near-repeats; `cache` keeps each text's words.

    A text met again is a repeat of itself, or of what its first telling repeated: it is dropped
    without comparing. Whether a unit is kept depends only on those kept before it, so the walk
    stops at `most`: the property keeps no more.
    """
    kept: list[tuple[Unit, set[str]]] = []
    for unit in first_tellings(found):
        if len(kept) == most:
            break
        words = cache.get(unit.text)
        if words is None:
            words = cache[unit.text] = set(plain_words(unit.text))
        if not words:
            continue
        if any(
            len(words & other) / min(len(words), len(other)) >= _NEAR_REPEAT for _, other in kept
        ):
            continue
        kept.append((unit, words))
    return [unit for unit, _ in kept]


def first_tellings(units: Iterable[Unit]) -> list[Unit]:
    """Each text's first unit: pages restate sentences, and a value found twice is kept once."""
    firsts: dict[str, Unit] = {}
    for unit in units:
        firsts.setdefault(unit.text, unit)
    return list(firsts.values())
