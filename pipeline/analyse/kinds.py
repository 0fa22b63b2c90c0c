"""Whether a page's subject is a drug or a dietary supplement, by front matter or by its words."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from pipeline.analyse.subject import SubjectRules

# Front-matter keys that name the subject's type outright.
TYPE_KEYS: Final = ("schema_type", "entity_type", "type")


def subject_types(text: str, extra: dict[str, str], rules: SubjectRules) -> tuple[str, ...]:
    """The declared type, else a supplement when supplement words clearly outnumber drug words."""
    declared = next((extra[key] for key in TYPE_KEYS if extra.get(key)), "")
    if declared in {"Drug", "DietarySupplement"}:
        return (declared,)
    lowered = text.casefold()
    counts = rules.type_words.counts(lowered)
    supplement = sum(counts[: rules.supplement_words])
    drug = sum(counts[rules.supplement_words :])
    if supplement >= rules.min_supplement_hits and supplement > drug:
        return ("DietarySupplement",)
    return ("Drug",)
