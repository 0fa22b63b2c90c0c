"""The subject node: a Drug or DietarySupplement whose properties are the page's own sentences."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from pipeline.build.ids import node_id_for, slug

if TYPE_CHECKING:
    from pipeline.model import Analysis, Dose, JsonObject, JsonValue, Value

# Concept → schema.org property, per type, from the 30.0 vocabulary: DietarySupplement has no
# `warning`, `overdosage`, `pregnancyWarning` or `interactingDrug`; `safetyConsideration` is its
# place for side effects. A property with `True` takes one text; the others take a list.
_PROPERTIES: Final[dict[str, dict[str, tuple[str, bool]]]] = {
    "Drug": {
        "mechanism": ("mechanismOfAction", True),
        "warnings": ("warning", False),
        "legalStatus": ("legalStatus", False),
        "overdose": ("overdosage", True),
        "pregnancy": ("pregnancyWarning", True),
        "dosageForm": ("dosageForm", False),
        "administrationRoute": ("administrationRoute", True),
    },
    "DietarySupplement": {
        "mechanism": ("mechanismOfAction", True),
        "warnings": ("safetyConsideration", False),
        "legalStatus": ("legalStatus", False),
    },
}


def drug_node(analysis: Analysis, url: str | None) -> JsonObject:
    """Build the subject node; the caller checks that the analysis has a subject."""
    subject = analysis.subject
    if subject is None:
        msg = "drug_node needs an analysis with a subject"
        raise ValueError(msg)
    types = subject.types
    node: JsonObject = {
        "@type": types[0] if len(types) == 1 else list(types),
        "@id": node_id_for(url, f"drug-{slug(subject.name)}"),
        "name": subject.name,
    }
    if subject.alternate_names:
        node["alternateName"] = _one_or_many(subject.alternate_names)
    if subject.active_ingredients:
        node["activeIngredient"] = _one_or_many(subject.active_ingredients)
    mapping: dict[str, tuple[str, bool]] = {}
    for schema_type in types:
        for concept, target in _PROPERTIES.get(schema_type, {}).items():
            mapping.setdefault(concept, target)
    for concept, values in analysis.properties:
        if concept in mapping and values:
            name, single = mapping[concept]
            texts = [value.text for value in values]
            node[name] = _joined(texts) if single else _one_or_many(texts)
    if "Drug" in types and analysis.interacting:
        node["interactingDrug"] = [_named_drug(value) for value in analysis.interacting]
    if "Drug" in types and analysis.doses:
        node["doseSchedule"] = [_dose_schedule(dose) for dose in analysis.doses]
    return node


def _dose_schedule(dose: Dose) -> JsonValue:
    """A DoseSchedule with the numbers the page gives; its sentence is the description."""
    schedule: JsonObject = {"@type": "DoseSchedule", "doseValue": dose.value, "doseUnit": dose.unit}
    if dose.frequency:
        schedule["frequency"] = dose.frequency
    if dose.population:
        schedule["targetPopulation"] = dose.population
    schedule["description"] = dose.text
    return schedule


def _named_drug(value: Value) -> JsonValue:
    return {"@type": "Drug", "name": value.text}


def _joined(texts: list[str]) -> str:
    """One text from sentences and list items; an item without an end mark is closed with ';'."""
    parts = [
        text if index == len(texts) - 1 or text.endswith((".", "!", "?", ":", ";")) else f"{text};"
        for index, text in enumerate(texts)
    ]
    return " ".join(parts)


def _one_or_many(values: tuple[str, ...] | list[str]) -> JsonValue:
    return values[0] if len(values) == 1 else list(values)
