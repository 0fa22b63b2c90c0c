"""Concept profiles: domain rules read from TOML, checked against the profile schema, compiled once.

A profile holds every domain word the analyse stage uses; code only walks the rules.
"""

from __future__ import annotations

import functools
import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, NotRequired, TypedDict, TypeVar, cast

from pipeline.errors import ProfileError

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from jsonschema.protocols import Validator
    from jsonschema_rs import Validator as Screen

    from pipeline.model import Concept

PROFILE_DIR: Final = Path(__file__).resolve().parents[1] / "profiles"
DEFAULT_PRIORITY: Final = 1
_SCHEMA_NAME: Final = "profile.schema.json"


class RawConceptRule(TypedDict):
    """A `[[heading]]` or `[[body]]` table as TOML gives it."""

    id: str
    concept: Concept
    language: str
    patterns: list[str]
    priority: NotRequired[int]
    weight: NotRequired[float]
    note: NotRequired[str]


@dataclass(frozen=True, slots=True, kw_only=True)
class ConceptRule:
    """Patterns saying that a heading or a text speaks of one concept, in one language."""

    id: str
    concept: Concept
    language: str
    pattern: re.Pattern[str]
    priority: int = DEFAULT_PRIORITY
    weight: float = 1.0
    note: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class InteractionRule:
    """A phrase that names interacting drugs in its `items` group (and their kind in `head`)."""

    id: str
    language: str
    pattern: re.Pattern[str]
    note: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ItemRewrite:
    """Turns a descriptive list item ("those for pain management") into a name."""

    id: str
    language: str
    pattern: re.Pattern[str]
    replacement: str
    note: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ListWords:
    """The words that join, pad and end a list of named drugs in one language."""

    language: str
    conjunctions: tuple[str, ...]
    fillers: tuple[str, ...] = ()
    stops: tuple[str, ...] = ()
    head: str


@dataclass(frozen=True, slots=True, kw_only=True)
class QuestionTemplate:
    """The question a derived FAQ entry asks for a concept, with `{subject}` to fill in."""

    id: str
    concept: Concept
    language: str
    template: str


RuleT = TypeVar("RuleT", ConceptRule, InteractionRule, ItemRewrite)


@dataclass(frozen=True, slots=True, kw_only=True)
class Profile:
    """A domain's compiled rules; built once per file by `load_profile` and shared read-only."""

    name: str
    source: str
    default_language: str
    headings: tuple[ConceptRule, ...]
    bodies: tuple[ConceptRule, ...]
    interactions: tuple[InteractionRule, ...] = ()
    item_rewrites: tuple[ItemRewrite, ...] = ()
    lists: tuple[ListWords, ...] = ()
    questions: tuple[QuestionTemplate, ...] = ()


def base_language(tag: str | None) -> str | None:
    """Return the primary subtag of a language tag, lower-cased ("en-GB" → "en")."""
    if not tag:
        return None
    return re.split(r"[-_]", tag.strip(), maxsplit=1)[0].lower() or None


def in_language(
    rules: Iterable[RuleT], language: str | None, default_language: str
) -> tuple[RuleT, ...]:
    """Keep the rules for `language` and the profile's default language; all when it is unknown.

    The default language stays in because pages in any language borrow its terms ("CBD vs THC").
    """
    base = base_language(language)
    if base is None:
        return tuple(rules)
    wanted = {base, default_language}
    return tuple(rule for rule in rules if rule.language in wanted)


def load_profile(name_or_path: str = "medical") -> Profile:
    """Load a bundled profile by name, or a profile file by path.

    Raises ProfileError naming the file and the key path when the file does not match the schema
    or a pattern does not compile. Each file is read once per process.
    """
    path = Path(name_or_path)
    if path.suffix != ".toml" and len(path.parts) == 1:
        path = PROFILE_DIR / f"{name_or_path}.toml"
    return _load_profile_file(str(path.resolve()))


@functools.cache
def _load_profile_file(path: str) -> Profile:
    raw = read_toml(path)
    check_against_schema(raw, path, "#")
    bounded = set(raw.get("unbounded_languages", ()))
    default_language = str(raw["default_language"])
    return Profile(
        name=str(raw["name"]),
        source=path,
        default_language=default_language,
        headings=_concept_rules(raw.get("heading", []), "heading", path, bounded),
        bodies=_concept_rules(raw.get("body", []), "body", path, bounded),
        interactions=tuple(
            InteractionRule(
                id=item["id"],
                language=item["language"],
                pattern=_compile(item["pattern"], f"interaction[{index}].pattern", path),
                note=item.get("note"),
            )
            for index, item in enumerate(raw.get("interaction", []))
        ),
        item_rewrites=tuple(
            ItemRewrite(
                id=item["id"],
                language=item["language"],
                pattern=_compile(item["pattern"], f"interaction_item[{index}].pattern", path),
                replacement=item["replacement"],
                note=item.get("note"),
            )
            for index, item in enumerate(raw.get("interaction_item", []))
        ),
        lists=tuple(
            ListWords(
                language=language,
                conjunctions=tuple(words["conjunctions"]),
                fillers=tuple(words.get("fillers", ())),
                stops=tuple(words.get("stops", ())),
                head=words["head"],
            )
            for language, words in raw.get("lists", {}).items()
        ),
        questions=_question_templates(raw.get("questions", {})),
    )


def read_toml(path: str) -> dict[str, Any]:
    """Parse a TOML file, turning a missing file or bad syntax into a ProfileError."""
    try:
        with Path(path).open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ProfileError(path, "(file)", "no such profile file") from None
    except tomllib.TOMLDecodeError as error:
        raise ProfileError(path, "(syntax)", str(error)) from None


def check_against_schema(raw: Mapping[str, Any], path: str, pointer: str) -> None:
    """Check `raw` against the profile schema at `pointer`; raise ProfileError with the key path.

    jsonschema-rs clears a valid profile in a fraction of the time, which counts at start-up;
    jsonschema finds the error to report, and has the last word, as in the validate stage.
    """
    try:
        if _screen(pointer).is_valid(raw):
            return
    except ValueError:  # a value JSON has no type for, such as a TOML date: jsonschema decides
        pass
    from jsonschema.exceptions import best_match  # noqa: PLC0415  (only for a failing profile)

    error = best_match(_validator(pointer).iter_errors(raw))
    if error is not None:
        raise ProfileError(path, key_path(error.absolute_path), error.message)


def key_path(parts: Iterable[str | int]) -> str:
    """Render a key path the way a TOML author reads it: `heading[3].patterns[0]`."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else part
    return text or "(top level)"


@functools.cache
def _validator(pointer: str) -> Validator:
    from jsonschema import Draft202012Validator  # noqa: PLC0415  (keeps --help free of jsonschema)

    return cast("Validator", Draft202012Validator(_root(pointer)))


@functools.cache
def _screen(pointer: str) -> Screen:
    import jsonschema_rs  # noqa: PLC0415  (keeps --help free of it)

    return jsonschema_rs.Draft202012Validator(_root(pointer), offline=True)


def _root(pointer: str) -> dict[str, Any]:
    schema = json.loads(_schema_file().read_text(encoding="utf-8"))
    return schema if pointer == "#" else {"$ref": pointer, "$defs": schema["$defs"]}


def _schema_file() -> Path:
    # The wheel ships schemas/ inside the package; a source checkout has it at the top level.
    here = Path(__file__).resolve().parents[1]
    for candidate in (here / "schemas" / _SCHEMA_NAME, here.parent / "schemas" / _SCHEMA_NAME):
        if candidate.is_file():
            return candidate
    raise ProfileError(_SCHEMA_NAME, "(file)", "profile schema not found; reinstall schemapress")


def _concept_rules(
    items: list[RawConceptRule], table: str, path: str, unbounded: set[str]
) -> tuple[ConceptRule, ...]:
    rules: list[ConceptRule] = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        where = f"{table}[{index}]"
        if item["id"] in seen:
            raise ProfileError(path, f"{where}.id", f"duplicate rule id {item['id']!r}")
        seen.add(item["id"])
        # Left word boundary: "indications" must not match inside "contraindications";
        # no right boundary, so a stem ("nebenwirkung") matches its inflections.
        prefix = "" if item["language"] in unbounded else r"(?<!\w)"
        rules.append(
            ConceptRule(
                id=item["id"],
                concept=item["concept"],
                language=item["language"],
                pattern=_compile_joined(prefix, item["patterns"], where, path),
                priority=item.get("priority", DEFAULT_PRIORITY),
                weight=item.get("weight", 1.0),
                note=item.get("note"),
            )
        )
    return tuple(rules)


def _compile_joined(prefix: str, patterns: list[str], where: str, path: str) -> re.Pattern[str]:
    """One alternation per rule; compiled once, and pattern by pattern only to name a bad one.

    A profile holds some 2,000 patterns: compiling each alone as well doubled start-up.
    """
    try:
        return re.compile(f"{prefix}(?:{'|'.join(f'(?:{p})' for p in patterns)})", re.IGNORECASE)
    except re.error:
        for number, pattern in enumerate(patterns):
            _compile(pattern, f"{where}.patterns[{number}]", path)
        raise


def _compile(pattern: str, where: str, path: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as error:
        raise ProfileError(path, where, f"bad regular expression: {error}") from None


def _question_templates(raw: Mapping[str, Mapping[str, str]]) -> tuple[QuestionTemplate, ...]:
    return tuple(
        QuestionTemplate(
            id=f"concept.question.{_kebab(concept)}.{language}",
            concept=cast("Concept", concept),
            language=language,
            template=template,
        )
        for language, templates in raw.items()
        for concept, template in templates.items()
    )


def _kebab(name: str) -> str:
    return re.sub(r"(?<=[a-z])(?=[A-Z])", "-", name).lower()
