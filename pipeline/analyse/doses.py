"""Doses, dosage forms and routes: structured values read from the page's own dosage sentences.

Patterns live in `profiles/dose.toml`. A dose is only structured when an amount and a unit are
written out; its sentence goes with it so that nothing is claimed beyond what the page says.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

from pipeline.analyse.matcher import Matcher
from pipeline.analyse.properties import first_tellings
from pipeline.model import Dose, Value

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pipeline.analyse.properties import Unit
    from pipeline.analyse.scan import PageScan


@dataclass(frozen=True, slots=True, kw_only=True)
class DoseRules:
    """The compiled patterns of `dose.toml`."""

    amount: re.Pattern[str]
    frequency: re.Pattern[str]
    form_cue: Matcher
    form_words: frozenset[str]
    form_split: re.Pattern[str]
    # Every route's patterns in one matcher; `route_of` names the route of each pattern.
    routes: Matcher
    route_of: tuple[str, ...]


@functools.cache
def load_dose_rules() -> DoseRules:
    """Load `profiles/dose.toml`."""
    data = tomllib.loads(
        resources.files("pipeline.profiles").joinpath("dose.toml").read_text("utf-8")
    )
    routes = [(route, patterns) for route, patterns in data["routes"].items() if route != "note"]
    return DoseRules(
        amount=re.compile(data["dose"]["amount"]),
        frequency=re.compile(data["dose"]["frequency"], re.IGNORECASE),
        form_cue=Matcher.build([re.compile(data["forms"]["cue"], re.IGNORECASE)]),
        form_words=frozenset(w.casefold() for w in data["forms"]["words"]),
        form_split=re.compile(data["forms"]["split"], re.IGNORECASE),
        routes=Matcher.build(
            [re.compile(p, re.IGNORECASE) for _, patterns in routes for p in patterns]
        ),
        route_of=tuple(route for route, patterns in routes for _ in patterns),
    )


def find_doses(units: Sequence[Unit], rules: DoseRules) -> tuple[Dose, ...]:
    """One dose per dosage sentence or list item that writes out an amount and a unit."""
    doses = []
    for unit in units:
        if unit.section_concept != "dosage":
            continue
        amount = rules.amount.search(unit.text)
        if amount is None:
            continue
        label, _, _ = unit.text.partition(": ")
        frequency = rules.frequency.search(unit.text)
        doses.append(
            Dose(
                value=_number(amount.group("value")),
                unit=amount.group("unit"),
                frequency=frequency.group("frequency") if frequency else None,
                population=label if ": " in unit.text and len(label.split()) <= 6 else None,  # noqa: PLR2004
                text=unit.text,
                span=unit.span,
            )
        )
    return tuple(doses)


def _number(text: str) -> float | int:
    """`1,000` and `1.000` are thousands; `2,5` and `2.5` are decimals."""
    if re.fullmatch(r"\d{1,3}(?:[,.]\d{3})+", text):
        return int(re.sub(r"[,.]", "", text))
    value = float(text.replace(",", "."))
    return int(value) if value.is_integer() else value


def find_forms(
    units: Sequence[Unit], rules: DoseRules, scan: PageScan | None = None
) -> tuple[Value, ...]:
    """Dosage forms named after 'sold as', 'available in', as the page writes them."""
    found: dict[str, Value] = {}
    # A repeated text names no form its first telling did not: only first tellings are read.
    firsts = first_tellings(units)
    cues = rules.form_cue.finditer_many([unit.text for unit in firsts], scan)
    for unit, (matches,) in zip(firsts, cues, strict=True):
        for match in matches:
            for item in rules.form_split.split(match.group("list")):
                word = next((w for w in item.split() if w.casefold() in rules.form_words), None)
                if word is not None:
                    found.setdefault(word.casefold(), Value(text=word, span=unit.span))
    return tuple(found.values())


def find_routes(
    units: Sequence[Unit], rules: DoseRules, scan: PageScan | None = None
) -> tuple[Value, ...]:
    """Routes of administration the dosage text names."""
    routes: dict[str, Value] = {}
    dosage = first_tellings(unit for unit in units if unit.section_concept == "dosage")
    for unit, hits in zip(
        dosage, rules.routes.matching_many([u.text for u in dosage], scan), strict=True
    ):
        # Hits come in pattern order, and the patterns in the file's order of routes.
        for index in hits:
            route = rules.route_of[index]
            routes.setdefault(route, Value(text=route, span=unit.span))
    return tuple(routes.values())
