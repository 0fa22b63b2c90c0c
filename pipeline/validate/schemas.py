"""Layer 2, our JSON Schemas: each node is checked against the schema of each of its types.

The graph is flattened first, so a Question nested in an FAQPage is checked as a Question and not
only as a value of `mainEntity`.
"""

from __future__ import annotations

import re
from itertools import groupby
from typing import TYPE_CHECKING, Final

from pipeline.validate.rules import RULES, Issue

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator

    from pipeline.validate.nodes import Node
    from pipeline.validate.toolkit import Validators

_CAMEL: Final = re.compile(r"(?<!^)(?=[A-Z])")
_MAX_VALUE_CHARS: Final = 60


def check_schemas(nodes: Sequence[Node], toolkit: Validators) -> Iterator[Issue]:
    """Yield one issue per failing JSON path of each node: the best match among its errors.

    The fast screen clears a valid node, so jsonschema's full `iter_errors` pass runs only for
    the types the screen fails it on; should jsonschema find no error there, the node is valid.
    """
    schemas, screens = toolkit.schemas, toolkit.screens
    for node in nodes:
        failed = [
            type_name
            for type_name in dict.fromkeys(node.types)
            if type_name in screens and not screens[type_name].is_valid(node.data)
        ]
        if failed:
            yield from _node_issues(node, failed, schemas)


def _node_issues(
    node: Node, failed: Sequence[str], schemas: Mapping[str, Validator]
) -> Iterator[Issue]:
    from jsonschema.exceptions import best_match  # noqa: PLC0415 - only for a failing node

    owner: dict[int, str] = {}
    errors: list[ValidationError] = []
    for type_name in failed:
        for error in schemas[type_name].iter_errors(node.data):
            owner[id(error)] = type_name
            errors.append(error)
    errors.sort(key=_location)
    for _, group in groupby(errors, key=_location):
        candidates = list(group)
        best = best_match(candidates)
        # best_match may descend into a oneOf's context; the top error names the type.
        top = next(e for e in candidates if e is best or best in _descendants(e))
        yield _to_issue(best, node, owner[id(top)])


def _location(error: ValidationError) -> tuple[str, ...]:
    return tuple(str(part) for part in error.absolute_path)


def _descendants(error: ValidationError) -> Iterator[ValidationError]:
    for child in error.context or ():
        yield child
        yield from _descendants(child)


def _to_issue(error: ValidationError, node: Node, type_name: str) -> Issue:
    """Turn a jsonschema error into an issue: the rule from its keyword, the path from the node."""
    rule = f"schema.{_CAMEL.sub('-', str(error.validator)).lower()}"
    schema = error.schema if isinstance(error.schema, dict) else {}
    description = schema.get("description")
    message = error.message
    if error.validator in {"oneOf", "anyOf"} and isinstance(description, str):
        message = f"{_short(error.instance)} does not fit: {description}"
    return Issue(
        rule=rule if rule in RULES else "schema.invalid",
        message=f"{type_name}: {message}",
        path=(*node.path, *error.absolute_path),
        node_id=node.node_id,
    )


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= _MAX_VALUE_CHARS else f"{text[: _MAX_VALUE_CHARS - 3]}..."
