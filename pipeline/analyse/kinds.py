"""What the subject is, by the page's words: a drug or a dietary supplement, and its compounds."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Iterable

    from pipeline.analyse.scan import PageScan
    from pipeline.analyse.subject import SubjectRules

# Front-matter keys that name the subject's type outright.
TYPE_KEYS: Final = ("schema_type", "entity_type", "type")


def subject_types(
    text: str, extra: dict[str, str], rules: SubjectRules, scan: PageScan | None = None
) -> tuple[str, ...]:
    """The declared type, else a supplement when supplement words clearly outnumber drug words."""
    declared = next((extra[key] for key in TYPE_KEYS if extra.get(key)), "")
    if declared in {"Drug", "DietarySupplement"}:
        return (declared,)
    lowered = text.casefold()
    counts = rules.type_words.counts_many([lowered], scan)[0]
    supplement = sum(counts[: rules.supplement_words])
    drug = sum(counts[rules.supplement_words :])
    if supplement >= rules.min_supplement_hits and supplement > drug:
        return ("DietarySupplement",)
    return ("Drug",)


def ingredients(
    text: str, name: str, rules: SubjectRules, scan: PageScan | None = None
) -> tuple[str, ...]:
    """The compound names the page lists after its cues ("contains compounds such as ...")."""
    found: list[str] = []
    for matches in rules.ingredients.finditer_many([text], scan)[0]:
        for match in matches:
            for item in rules.alias_split.split(match.group("list")):
                candidate = item.strip().strip("*_").strip()
                if rules.name_shape.match(candidate) and candidate.casefold() != name.casefold():
                    found.append(candidate)
    return unique_names(found)


def unique_names(values: Iterable[str]) -> tuple[str, ...]:
    """Each name once, spaces evened out, in its first spelling: a page repeats its lists."""
    seen: dict[str, str] = {}
    for value in values:
        spaced = " ".join(value.split())
        seen.setdefault(spaced.casefold(), spaced)
    return tuple(seen.values())
