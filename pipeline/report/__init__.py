"""Report formatters: each turns (source, Report) pairs into one string, deterministically.

`FORMATTERS` maps the `--format` values to their functions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from pipeline.report.json import format_json
from pipeline.report.junit import format_junit
from pipeline.report.path import to_json_path
from pipeline.report.sarif import format_sarif
from pipeline.report.text import format_text

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from pipeline.model import Report

Formatter = "Callable[[Sequence[tuple[str, Report]]], str]"

FORMATTERS: Final[dict[str, Callable[[Sequence[tuple[str, Report]]], str]]] = {
    "text": format_text,
    "json": format_json,
    "sarif": format_sarif,
    "junit": format_junit,
}

__all__ = [
    "FORMATTERS",
    "format_json",
    "format_junit",
    "format_sarif",
    "format_text",
    "to_json_path",
]
