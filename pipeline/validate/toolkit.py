"""The expensive parts of validation, built once: a JSON Schema validator per @type, the vocabulary.

Each type's schema is compiled twice. jsonschema-rs (Rust) gives the verdict of a node in a
fortieth of the time; jsonschema gives the errors, with the error objects our findings are made
of, and has the last word: a node the first calls invalid is valid if the second finds no error.
Nothing here runs at import time; `load_validators()` builds the toolkit on first use and caches it.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Protocol
from urllib.parse import urlsplit

import jsonschema_rs
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

from pipeline.validate.vocabulary import Vocabulary

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from jsonschema.protocols import Validator

VOCABULARY_FILE: Final = "schemaorg-vocabulary.json"
ANSWER_HTML_FILE: Final = "answer_html.toml"
# Each per-type schema names the schema.org type it checks; other schemas in the folder are skipped.
TYPE_KEYWORD: Final = "x-schemaorg-type"
_ISO8601: Final = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$"
)
_NO_SCHEME_AUTHORITY: Final = frozenset({"urn", "mailto", "tel", "data"})
# Our schemas nest references three deep; deeper means a cycle, which stays a `$ref`.
_MAX_REF_DEPTH: Final = 16


class Screen(Protocol):
    """A compiled schema that only answers whether an instance is valid."""

    def is_valid(self, instance: Any) -> bool:  # noqa: ANN401 - any JSON value
        """Whether the instance is valid against the schema."""
        ...


@dataclass(frozen=True, slots=True, kw_only=True)
class Validators:
    """Per schema.org type we have a schema for: a fast screen and the validator that explains.

    `screens` and `schemas` hold the same schemas, formats and references; see the module text.
    """

    schemas: Mapping[str, Validator]
    screens: Mapping[str, Screen]
    vocabulary: Vocabulary
    answer_tags: frozenset[str]


@functools.cache
def load_validators() -> Validators:
    """Build the toolkit from the bundled schemas and data; later calls return the same one."""
    registry, typed = _load_registry(schema_dir())
    checker = _format_checker()
    inlined = {
        type_name: _inline_refs(registry.contents(uri), uri, registry)
        for type_name, uri in typed.items()
    }
    schemas = {
        type_name: Draft202012Validator(schema, registry=registry, format_checker=checker)
        for type_name, schema in inlined.items()
    }
    # Retrieval off, as for `registry`: a `$ref` resolves within our schemas or not at all.
    screen_registry = jsonschema_rs.Registry([(uri, registry.contents(uri)) for uri in registry])
    screens = {
        type_name: jsonschema_rs.Draft202012Validator(
            schema,
            formats=dict(FORMATS),
            validate_formats=True,
            registry=screen_registry,
            offline=True,
        )
        for type_name, schema in inlined.items()
    }
    data = resources.files("pipeline") / "data"
    vocabulary = json.loads((data / VOCABULARY_FILE).read_text(encoding="utf-8"))
    answer_html = tomllib.loads((data / ANSWER_HTML_FILE).read_text(encoding="utf-8"))
    return Validators(
        schemas=schemas,
        screens=screens,
        vocabulary=Vocabulary.from_compact(vocabulary),
        answer_tags=frozenset(answer_html["allowed_tags"]),
    )


def schema_dir() -> Path:
    """Return the folder of JSON Schemas: inside the package when installed, else the repo's."""
    packaged = Path(str(resources.files("pipeline"))) / "schemas"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "schemas"


def _load_registry(folder: Path) -> tuple[Registry[Any], dict[str, str]]:
    resources_by_uri: list[tuple[str, Resource[Any]]] = []
    typed: dict[str, str] = {}
    for path in sorted(folder.glob("*.schema.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        uri = contents["$id"]
        resources_by_uri.append((uri, Resource.from_contents(contents)))
        if TYPE_KEYWORD in contents:
            typed[contents[TYPE_KEYWORD]] = uri
    # A Registry's default retrieve refuses every URI, so a $ref never reaches the network.
    return Registry().with_resources(resources_by_uri), typed


def _inline_refs(schema: Any, base: str, registry: Registry[Any], depth: int = 0) -> Any:  # noqa: ANN401
    """Replace each bare `{"$ref": ...}` by the schema it names, resolved once at load time.

    Following a `$ref` is most of jsonschema's time per node. A bare reference validates exactly
    as its target does, and errors carry the same keyword, message and schema; a `$ref` with
    sibling keywords, or past `_MAX_REF_DEPTH` (a cycle), is left to the registry.
    """
    if isinstance(schema, list):
        return [_inline_refs(item, base, registry, depth) for item in schema]
    if not isinstance(schema, dict):
        return schema
    reference = schema.get("$ref")
    if isinstance(reference, str) and len(schema) == 1 and depth < _MAX_REF_DEPTH:
        resolved = registry.resolver(base_uri=base).lookup(reference)
        target_base = resolved.resolver.lookup("#").contents.get("$id", base)
        return _inline_refs(resolved.contents, target_base, registry, depth + 1)
    return {key: _inline_refs(value, base, registry, depth) for key, value in schema.items()}


def _format_checker() -> FormatChecker:
    checker = FormatChecker(formats=())
    for name, check in FORMATS.items():
        checker.checks(name)(check)
    return checker


def is_iso8601(value: object) -> bool:
    """Whether a value is an ISO 8601 date or date-time as schema.org writes it."""
    if not isinstance(value, str):
        return True
    match = _ISO8601.match(value)
    return match is not None and _is_date(match.group("date"))


def _is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == len("2000-01-01")


def _is_iri_reference(value: object) -> bool:
    """An absolute IRI, or a fragment or path that JSON-LD resolves against the page's base."""
    if not isinstance(value, str):
        return True
    if value.startswith(("#", "/")):
        return bool(value.strip("#/")) and not any(char.isspace() for char in value)
    return _is_absolute_iri(value)


def _is_absolute_iri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if any(char.isspace() for char in value):
        return False
    parts = urlsplit(value)
    return bool(parts.scheme) and (bool(parts.netloc) or parts.scheme in _NO_SCHEME_AUTHORITY)


# The formats our schemas assert, checked by the same functions in both validators; others pass.
FORMATS: Final[Mapping[str, Callable[[object], bool]]] = {
    "iso8601": is_iso8601,
    "date": _is_date,
    "iri": _is_absolute_iri,
    "iri-reference": _is_iri_reference,
}
