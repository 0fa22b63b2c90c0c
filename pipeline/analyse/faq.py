"""FAQ entries: from an explicit FAQ section, then question headings, else derived from concepts.

Every answer is the page's own blocks; a sentence already given in an earlier answer is not given
again, since the seed restates its side effects in five sections.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Final

from pipeline.model import (
    Block,
    BulletList,
    ConceptMatch,
    Document,
    FaqEntry,
    Paragraph,
    Section,
    Subject,
    Table,
    section_parents,
    text_key,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from pipeline.model import Concept

_QUESTION_END: Final = ("?", "？", ";", "؟")
_QA_PREFIX: Final = re.compile(
    r"^\s*(?:Q|F|Frage|Question|Pregunta|Pytanie|Вопрос)\s*[:.]\s*", re.IGNORECASE
)
_ANSWER_PREFIX: Final = re.compile(r"\s*\b(?:A|Antwort|Answer|Respuesta|Odpowiedź|Ответ)\s*[:.]\s*")


def is_question(text: str) -> bool:
    """A question ends with a question mark (Greek uses ';', Arabic '؟') and holds a word."""
    stripped = text.strip()
    ends = stripped.endswith((*_QUESTION_END[:2], _QUESTION_END[3]))
    return ends and any(ch.isalnum() for ch in stripped)


def find_faq(
    doc: Document,
    concepts: Sequence[ConceptMatch],
    *,
    subject: Subject | None,
    derive: Callable[[Concept], str | None],
    answers: Callable[[Concept, str], bool],
) -> tuple[FaqEntry, ...]:
    """Return the page's FAQ entries in page order.

    `derive` gives the question template for a concept (with `{subject}`), `answers` says whether a
    text speaks to a concept; both come from the profile, so this module holds no language.
    """
    explicit = _from_faq_sections(doc.sections, concepts)
    taken = {entry.section for entry in explicit}
    headings = [
        FaqEntry(
            question=section.title,
            answer=_answer_blocks(doc.sections, index),
            origin="heading",
            section=index,
            anchor=section.anchor,
        )
        for index, section in enumerate(doc.sections)
        if index not in taken and is_question(section.title)
    ]
    entries = sorted(
        (*explicit, *headings), key=lambda e: e.section if e.section is not None else -1
    )
    if not entries and subject is not None:
        entries = _derived(doc, concepts, subject, derive, answers)
    return _without_repeats(entries)


def _from_faq_sections(
    sections: Sequence[Section], concepts: Sequence[ConceptMatch]
) -> list[FaqEntry]:
    entries: list[FaqEntry] = []
    parents = section_parents(tuple(sections))
    faq_sections = {match.section for match in concepts if match.concept == "faq"}
    for index, section in enumerate(sections):
        parent = parents[index]
        if (parent in faq_sections and is_question(section.title)) or section.kind == "summary":
            entries.append(
                FaqEntry(
                    question=section.title,
                    answer=_answer_blocks(sections, index),
                    origin="faq",
                    section=index,
                    anchor=section.anchor,
                )
            )
        if index in faq_sections:
            entries.extend(_qa_pairs(section.blocks, index))
    return entries


def _qa_pairs(blocks: Sequence[Block], index: int) -> list[FaqEntry]:
    """`Q: ... A: ...` written as paragraphs or as list items inside an FAQ section."""
    texts: list[tuple[str, Block]] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            texts.append((block.text, block))
        elif isinstance(block, BulletList):
            texts.extend(
                (f"{item.label}: {item.text}" if item.label else item.text, block)
                for item in block.items
            )
    entries = []
    for position, (text, block) in enumerate(texts):
        if not _QA_PREFIX.match(text):
            continue
        body = _QA_PREFIX.sub("", text, count=1)
        question, _, answer = body.partition("?")
        if answer and _ANSWER_PREFIX.match(answer):
            answer_text = _ANSWER_PREFIX.sub("", answer, count=1).strip()
        elif position + 1 < len(texts) and _ANSWER_PREFIX.match(texts[position + 1][0]):
            answer_text = _ANSWER_PREFIX.sub("", texts[position + 1][0], count=1).strip()
        else:
            continue
        if answer_text:
            entries.append(
                FaqEntry(
                    question=f"{question.strip()}?",
                    answer=(Paragraph(text=answer_text, span=block.span),),
                    origin="faq",
                    section=index,
                )
            )
    return entries


def _answer_blocks(sections: Sequence[Section], index: int) -> tuple[Block, ...]:
    """A section's own blocks; when it has none, those of its sub-sections."""
    own = sections[index].blocks
    if own:
        return own
    level = sections[index].level
    blocks: list[Block] = []
    for section in sections[index + 1 :]:
        if section.level <= level:
            break
        blocks.extend(section.blocks)
    return tuple(blocks)


def _derived(
    doc: Document,
    concepts: Sequence[ConceptMatch],
    subject: Subject,
    derive: Callable[[Concept], str | None],
    answers: Callable[[Concept, str], bool],
) -> list[FaqEntry]:
    """One question per concept, answered by all the sections of that concept, in page order."""
    order: dict[Concept, list[int]] = {}
    for match in concepts:
        order.setdefault(match.concept, []).append(match.section)
    entries = []
    for concept, indexes in order.items():
        template = derive(concept)
        blocks = tuple(block for i in indexes for block in doc.sections[i].blocks)
        text = " ".join(_block_sentences(blocks))
        if template is None or not blocks or not answers(concept, text):
            continue
        entries.append(
            FaqEntry(
                question=template.replace("{subject}", subject.mention or subject.name),
                answer=blocks,
                origin="derived",
                section=indexes[0],
                anchor=doc.sections[indexes[0]].anchor,
            )
        )
    return entries


def _block_sentences(blocks: Iterable[Block]) -> list[str]:
    texts: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            texts.append(block.text)
        elif isinstance(block, BulletList):
            texts.extend(
                f"{item.label}: {item.text}" if item.label else item.text for item in block.items
            )
        elif isinstance(block, Table):
            texts.extend(" ".join(row) for row in block.rows)
    return texts


_SENTENCE: Final = re.compile(r"(?<=[.!?。！？])\s+")


def _without_repeats(entries: Sequence[FaqEntry]) -> tuple[FaqEntry, ...]:
    """Drop sentences and list items an earlier answer already gave; drop answers left empty."""
    seen: set[str] = set()
    kept: list[FaqEntry] = []
    questions: set[str] = set()
    for entry in entries:
        question_key = text_key(entry.question)
        # A question of punctuation alone (":?") has no name a reader or validator accepts.
        if not question_key or question_key in questions:
            continue
        blocks = tuple(
            b for b in (_new_part(block, seen) for block in entry.answer) if b is not None
        )
        if blocks:
            questions.add(question_key)
            kept.append(entry if blocks == entry.answer else replace(entry, answer=blocks))
    return tuple(kept)


def _new_part(block: Block, seen: set[str]) -> Block | None:
    def fresh(text: str) -> bool:
        key = text_key(text)
        if not key or key in seen:
            return False
        seen.add(key)
        return True

    if isinstance(block, Paragraph):
        sentences = [s for s in _SENTENCE.split(block.text) if fresh(s)]
        text = " ".join(sentences)
        # An answer left whole is the block itself: a copy would be equal.
        return (block if text == block.text else replace(block, text=text)) if sentences else None
    if isinstance(block, BulletList):
        items = tuple(item for item in block.items if fresh(f"{item.label or ''} {item.text}"))
        return (block if items == block.items else replace(block, items=items)) if items else None
    return block if fresh(" ".join(" ".join(row) for row in block.rows)) else None
