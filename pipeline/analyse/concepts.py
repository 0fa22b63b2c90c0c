"""The section-concept classifier: heading rules first, then the parent section, then the body text.

Every decision names the profile rule (or one of the `CONCEPT_*` rules here) that made it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from pipeline.analyse.lexicon import concept_hits, deciding_rule, heading_matcher, rule_hits
from pipeline.model import ConceptMatch, block_text, section_parents

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pipeline.analyse.profile import ConceptRule, Profile
    from pipeline.analyse.scan import PageScan
    from pipeline.model import Concept, Section

CONCEPT_INHERITED: Final = "concept.inherited-from-parent"
CONCEPT_FAQ_QUESTION: Final = "concept.faq-question-unmatched"
CONCEPT_NO_EVIDENCE: Final = "concept.no-evidence"

# Confidence by kind of evidence. A heading says what the author meant the section to be; a weak
# heading word (priority 0) less so; the parent's concept is a guess about a subsection; body words
# are spread over several concepts on most pages (the seed restates side effects in five sections).
_HEADING: Final = 0.9
_WEAK_HEADING: Final = 0.7
_BODY_AGREES: Final = 0.05
_BODY_DISAGREES: Final = 0.15
_INHERITED: Final = 0.8
_BODY_BASE: Final = 0.3
_BODY_RANGE: Final = 0.4
_NO_EVIDENCE: Final = 0.2
# The body speaks of a concept only with two hits or more: one word is a passing mention.
_MIN_BODY_HITS: Final = 2

_NUMBERING: Final = re.compile(r"^\s*(?:[\divxlc]{1,4}[.)]|\d+(?:\.\d+)+\.?)\s+", re.IGNORECASE)
# Question marks: ASCII and full-width; apostrophe: ASCII and curly.
_DECORATION: Final = re.compile(r"[*_#`]+|[^\w\s'\u2019?\uff1f:,&/().-]")
_QUESTION: Final = re.compile(r"[?\uff1f]\s*$")


@dataclass(frozen=True, slots=True, kw_only=True)
class HeadingMatch:
    """The heading rule that decides a heading, and where in the heading it matched."""

    concept: Concept
    rule: ConceptRule
    start: int


def classify_sections(
    sections: Sequence[Section],
    profile: Profile,
    *,
    language: str | None,
    scan: PageScan | None = None,
) -> tuple[ConceptMatch, ...]:
    """Return one ConceptMatch per section, in section order.

    A heading rule decides when one matches (its body may disagree: see `body_concept`). A
    subsection whose heading matches nothing takes its parent's concept, except under an FAQ
    group, where an unmatched question is "other" unless its body says more. Otherwise the body
    decides with lower confidence, and with no evidence at all the section is "other".
    """
    ordered = tuple(sections)
    parents = section_parents(ordered)
    texts = ["\n".join(block_text(block) for block in section.blocks) for section in ordered]
    hits = rule_hits(texts, profile, language, scan)
    headings = match_headings([section.title for section in ordered], profile, language)
    results: list[ConceptMatch] = []
    for index, section in enumerate(ordered):
        parent_index = parents[index]
        parent = results[parent_index] if parent_index is not None else None
        results.append(_classify(index, section, parent, hits[index], headings[index]))
    return tuple(results)


def _classify(
    index: int,
    section: Section,
    parent: ConceptMatch | None,
    hits: list[tuple[ConceptRule, int]],
    own: HeadingMatch | None,
) -> ConceptMatch:
    body = _body_concept(hits)
    if own is not None:
        weight = _HEADING if own.rule.priority > 0 else _WEAK_HEADING
        if body is not None:
            weight += _BODY_AGREES if body == own.concept else -_BODY_DISAGREES
        return ConceptMatch(
            section=index,
            concept=own.concept,
            confidence=round(weight, 2),
            rule=own.rule.id,
            body_concept=body,
        )
    if parent is not None and parent.concept != "faq":
        return ConceptMatch(
            section=index,
            concept=parent.concept,
            confidence=round(parent.confidence * _INHERITED, 2),
            rule=CONCEPT_INHERITED,
            body_concept=body,
        )
    if body is not None:
        return _from_body(index, hits, body)
    under_faq = parent is not None and _QUESTION.search(section.title) is not None
    return ConceptMatch(
        section=index,
        concept="other",
        confidence=_NO_EVIDENCE,
        rule=CONCEPT_FAQ_QUESTION if under_faq else CONCEPT_NO_EVIDENCE,
    )


def match_heading(title: str, profile: Profile, language: str | None) -> HeadingMatch | None:
    """Return the heading rule that decides a title, or None when no rule matches.

    The highest priority wins, then the earliest match, then the longest: "Side Effects and
    Precautions" is about side effects, "Safety and Side Effects" about safety.
    """
    return match_headings([title], profile, language)[0]


# The pages of a site share most headings ("Side Effects", "Dosage"): each is decided once per
# profile and language. Held with the profile, whose id cannot be reused while it is cached.
_DECIDED: dict[tuple[int, str | None, str], tuple[Profile, HeadingMatch | None]] = {}
_MAX_DECIDED: Final = 4096


def match_headings(
    titles: Sequence[str], profile: Profile, language: str | None
) -> list[HeadingMatch | None]:
    """`match_heading` for each title; titles not seen before share one heading-matcher pass."""
    keys = [(id(profile), language, title) for title in titles]
    known = {key: hit[1] for key in keys if (hit := _DECIDED.get(key)) and hit[0] is profile}
    new = [key for key in dict.fromkeys(keys) if key not in known]
    if new:
        if len(_DECIDED) + len(new) > _MAX_DECIDED:
            _DECIDED.clear()
        decided = _decide([title for _, _, title in new], profile, language)
        for key, match in zip(new, decided, strict=True):
            known[key] = match
            _DECIDED[key] = (profile, match)
    return [known[key] for key in keys]


def _decide(
    titles: Sequence[str], profile: Profile, language: str | None
) -> list[HeadingMatch | None]:
    """The deciding heading rule of each title, with one pass of the heading matcher."""
    rules, matcher = heading_matcher(profile, language)
    decided: list[HeadingMatch | None] = []
    for found in matcher.first_many([normalise_heading(title) for title in titles]):
        best: tuple[tuple[int, int, int], HeadingMatch] | None = None
        for index, match in found:
            rule = rules[index]
            key = (rule.priority, -match.start(), match.end() - match.start())
            if best is None or key > best[0]:
                best = (key, HeadingMatch(concept=rule.concept, rule=rule, start=match.start()))
        decided.append(best[1] if best else None)
    return decided


def normalise_heading(title: str) -> str:
    """Drop section numbers, Markdown marks and emoji, a trailing colon, and curly apostrophes."""
    text = _NUMBERING.sub("", title.replace("\u2019", "'"))
    text = _DECORATION.sub(" ", text)
    return " ".join(text.split()).rstrip(":").strip()


def _body_concept(hits: list[tuple[ConceptRule, int]]) -> Concept | None:
    """Return the concept the text speaks of most if it clearly leads; None on a tie or few hits."""
    ranked = sorted(concept_hits(hits).items(), key=lambda item: -item[1])
    if not ranked or ranked[0][1] < _MIN_BODY_HITS:
        return None
    if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
        return None
    return ranked[0][0]


def _from_body(index: int, hits: list[tuple[ConceptRule, int]], concept: Concept) -> ConceptMatch:
    totals = concept_hits(hits)
    share = totals[concept] / sum(totals.values())
    return ConceptMatch(
        section=index,
        concept=concept,
        confidence=round(_BODY_BASE + _BODY_RANGE * share, 2),
        rule=deciding_rule(hits, concept),
        body_concept=concept,
    )
