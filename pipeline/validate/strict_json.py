"""Layer 1, strict JSON: what `json.loads` lets through but a JSON-LD consumer may not.

Python accepts `NaN`, `Infinity` and repeated keys by default; this parse rejects them with a path.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, NoReturn

from pipeline.validate.rules import Issue

if TYPE_CHECKING:
    from collections.abc import Iterator

    from pipeline.model import JsonValue
    from pipeline.validate.nodes import Path


class _Pairs(dict[str, "JsonValue"]):
    """An object that remembers the keys it saw more than once."""

    __slots__ = ("repeated",)

    def __init__(self, pairs: list[tuple[str, JsonValue]]) -> None:
        super().__init__(pairs)
        seen: set[str] = set()
        repeated: list[str] = []
        for key, _ in pairs:
            if key in seen:
                repeated.append(key)
            seen.add(key)
        self.repeated = tuple(repeated)


@dataclass(frozen=True, slots=True)
class _NonFinite:
    """Stands in for NaN or Infinity until the walk reports it."""

    token: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Parsed:
    """The parsed value (None when the text is not JSON) and what the strict parse found."""

    data: JsonValue
    issues: tuple[Issue, ...]
    ok: bool


class _NotPlainError(Exception):
    """Raised inside the quick parse at the first repeated key or non-finite number."""


def _plain_object(pairs: list[tuple[str, JsonValue]]) -> dict[str, JsonValue]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise _NotPlainError
    return obj


def _refuse_constant(token: str) -> NoReturn:
    raise _NotPlainError(token)


def parse_strict(text: str, *, line: int = 1) -> Parsed:
    """Parse JSON text, reporting syntax errors, repeated keys and non-finite numbers.

    `line` is the line of the text's first character in its file, so findings point into the file.
    Most text has neither a repeated key nor NaN: a quick parse into plain objects returns it as
    is, and only text it stops on takes the parse that records where each problem sits.
    """
    try:
        data = json.loads(text, object_pairs_hook=_plain_object, parse_constant=_refuse_constant)
    except _NotPlainError:
        return _parse_recording(text, line)
    except json.JSONDecodeError as error:
        return _syntax_error(text, error, line)
    return Parsed(data=data, issues=(), ok=True)


def _parse_recording(text: str, line: int) -> Parsed:
    try:
        raw = json.loads(text, object_pairs_hook=_Pairs, parse_constant=_NonFinite)
    except json.JSONDecodeError as error:
        return _syntax_error(text, error, line)
    issues = tuple(_strict_issues(raw, ()))
    return Parsed(data=_clean(raw), issues=issues, ok=True)


def _syntax_error(text: str, error: json.JSONDecodeError, line: int) -> Parsed:
    issue = Issue(
        rule="json.syntax",
        message=f"{error.msg} at line {error.lineno} column {error.colno}",
        line=line + error.lineno - 1,
        hint=_syntax_hint(text, error),
    )
    return Parsed(data=None, issues=(issue,), ok=False)


def _syntax_hint(text: str, error: json.JSONDecodeError) -> str | None:
    if error.msg.startswith("Unterminated string") or error.pos >= len(text.rstrip()):
        return (
            "a literal </script> inside a string ends the script block early; "
            "write < as \\u003c in JSON-LD"
        )
    if text[: error.pos].rstrip().endswith(","):
        return "remove the trailing comma before the closing bracket"
    return None


def _strict_issues(value: object, path: Path) -> Iterator[Issue]:
    if isinstance(value, _NonFinite):
        yield Issue(
            rule="json.non-finite-number", message=f"{value.token} is not a JSON number", path=path
        )
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strict_issues(item, (*path, index))
    elif isinstance(value, _Pairs):
        for key in value.repeated:
            yield Issue(
                rule="json.duplicate-key",
                message=f'key "{key}" appears more than once; only the last value is kept',
                path=(*path, key),
            )
        for key, item in value.items():
            yield from _strict_issues(item, (*path, key))


def _clean(value: object) -> JsonValue:
    if isinstance(value, _NonFinite):
        return None
    if isinstance(value, list):
        return [_clean(item) for item in value]
    if isinstance(value, dict):
        return {key: _clean(item) for key, item in value.items()}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(type(value).__name__)
