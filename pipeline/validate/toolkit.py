"""The expensive parts of validation, built once: a JSON Schema validator per @type, the vocabulary.

Each type's schema is compiled twice. jsonschema-rs (Rust) gives the verdict of a node in a
fortieth of the time; jsonschema gives the errors, with the error objects our findings are made
of, and has the last word: a node the first calls invalid is valid if the second finds no error.
jsonschema (and `referencing`, which it resolves `$ref`s with) is imported and compiled only when
a node first fails the screen: a run of valid pages never loads it, which saves some 70 ms of
start-up in every process. Nothing here runs at import time; `load_validators()` builds the
toolkit on first use and caches it.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Protocol
from urllib.parse import unquote, urljoin, urlsplit

import jsonschema_rs

from pipeline.validate.vocabulary import Vocabulary

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from jsonschema import FormatChecker
    from jsonschema.protocols import Validator
    from referencing import Registry

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
    documents, typed = _load_documents(schema_dir())
    inlined = {
        type_name: _inline_refs(documents[uri], uri, documents) for type_name, uri in typed.items()
    }
    # Retrieval off: a `$ref` resolves within our schemas or not at all.
    screen_registry = jsonschema_rs.Registry(list(documents.items()))
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
        schemas=_Explainers(inlined, documents),
        screens=screens,
        vocabulary=Vocabulary.from_compact(vocabulary),
        answer_tags=frozenset(answer_html["allowed_tags"]),
    )


class _Explainers(Mapping[str, "Validator"]):
    """jsonschema's validator of each type, compiled when first asked for: see the module text."""

    def __init__(self, inlined: Mapping[str, Any], documents: Mapping[str, Any]) -> None:
        self._inlined = inlined
        self._documents = documents
        self._built: dict[str, Validator] = {}

    def __getitem__(self, type_name: str) -> Validator:
        found = self._built.get(type_name)
        if found is None:
            from jsonschema import Draft202012Validator  # noqa: PLC0415 - see the module text

            registry, checker = self._shared
            found = Draft202012Validator(
                self._inlined[type_name], registry=registry, format_checker=checker
            )
            self._built[type_name] = found
        return found

    @functools.cached_property
    def _shared(self) -> tuple[Registry[Any], FormatChecker]:
        """The registry and format checker every type's validator uses, built on first need."""
        from referencing import Registry, Resource  # noqa: PLC0415 - see the module text

        # A Registry's default retrieve refuses every URI: a $ref never reaches the network.
        registry: Registry[Any] = Registry().with_resources(
            (uri, Resource.from_contents(contents)) for uri, contents in self._documents.items()
        )
        return registry, _format_checker()

    def __contains__(self, type_name: object) -> bool:
        """Membership without compiling: Mapping's own `in` would build the validator."""
        return type_name in self._inlined

    def __iter__(self) -> Iterator[str]:
        return iter(self._inlined)

    def __len__(self) -> int:
        return len(self._inlined)


def schema_dir() -> Path:
    """Return the folder of JSON Schemas: inside the package when installed, else the repo's."""
    packaged = Path(str(resources.files("pipeline"))) / "schemas"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "schemas"


def _load_documents(folder: Path) -> tuple[dict[str, Any], dict[str, str]]:
    """Each schema by its `$id`, and the `$id` of the schema of each schema.org type."""
    documents: dict[str, Any] = {}
    typed: dict[str, str] = {}
    for path in sorted(folder.glob("*.schema.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        documents[contents["$id"]] = contents
        if TYPE_KEYWORD in contents:
            typed[contents[TYPE_KEYWORD]] = contents["$id"]
    return documents, typed


def _inline_refs(schema: Any, base: str, documents: Mapping[str, Any], depth: int = 0) -> Any:  # noqa: ANN401
    """Replace each bare `{"$ref": ...}` by the schema it names, resolved once at load time.

    Following a `$ref` is most of jsonschema's time per node. A bare reference validates exactly
    as its target does, and errors carry the same keyword, message and schema; a `$ref` with
    sibling keywords, or past `_MAX_REF_DEPTH` (a cycle), is left to the validators' registries.
    Our references name a schema by URI and a place in it by JSON pointer, nothing else.
    """
    if isinstance(schema, list):
        return [_inline_refs(item, base, documents, depth) for item in schema]
    if not isinstance(schema, dict):
        return schema
    reference = schema.get("$ref")
    if isinstance(reference, str) and len(schema) == 1 and depth < _MAX_REF_DEPTH:
        uri, _, pointer = urljoin(base, reference).partition("#")
        document = documents[uri]
        target = document
        for part in filter(None, unquote(pointer).split("/")):
            key = part.replace("~1", "/").replace("~0", "~")
            target = target[int(key)] if isinstance(target, list) else target[key]
        return _inline_refs(target, document.get("$id", uri), documents, depth + 1)
    return {key: _inline_refs(value, base, documents, depth) for key, value in schema.items()}


def _format_checker() -> FormatChecker:
    from jsonschema import FormatChecker  # noqa: PLC0415 - see the module text

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
