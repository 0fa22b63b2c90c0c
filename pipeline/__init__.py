"""schemapress: health and drug article pages to validated schema.org JSON-LD.

The public API; everything else is internal. Names load on first use, so importing the package (and
`schemapress --help`) pulls in no parser or validator.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.api import (
        Toolkit,
        convert,
        convert_each,
        convert_many,
        discover,
        validate_paths,
    )
    from pipeline.errors import ConfigError, InjectError, InputError, ProfileError, SchemapressError
    from pipeline.model import (
        Analysis,
        Document,
        Failure,
        Finding,
        Graph,
        Report,
        Result,
        Section,
        Severity,
        Source,
    )
    from pipeline.settings import CheckConfig, OutputConfig, Settings, SiteConfig, load_settings
    from pipeline.validate import validate_html, validate_json_text, validate_jsonld

__all__ = [
    "Analysis",
    "CheckConfig",
    "ConfigError",
    "Document",
    "Failure",
    "Finding",
    "Graph",
    "InjectError",
    "InputError",
    "OutputConfig",
    "ProfileError",
    "Report",
    "Result",
    "SchemapressError",
    "Section",
    "Settings",
    "Severity",
    "SiteConfig",
    "Source",
    "Toolkit",
    "convert",
    "convert_each",
    "convert_many",
    "discover",
    "load_settings",
    "validate_html",
    "validate_json_text",
    "validate_jsonld",
    "validate_paths",
]

_HOMES = {
    **dict.fromkeys(
        ("Toolkit", "convert", "convert_each", "convert_many", "discover", "validate_paths"),
        "api",
    ),
    **dict.fromkeys(
        ("ConfigError", "InjectError", "InputError", "ProfileError", "SchemapressError"), "errors"
    ),
    **dict.fromkeys(
        (
            "Analysis",
            "Document",
            "Failure",
            "Finding",
            "Graph",
            "Report",
            "Result",
            "Section",
            "Severity",
            "Source",
        ),
        "model",
    ),
    **dict.fromkeys(
        ("CheckConfig", "OutputConfig", "Settings", "SiteConfig", "load_settings"), "settings"
    ),
    **dict.fromkeys(("validate_html", "validate_json_text", "validate_jsonld"), "validate"),
}


def __getattr__(name: str) -> Any:  # noqa: ANN401 - whatever the named module defines
    if name not in _HOMES:
        msg = f"module 'pipeline' has no attribute {name!r}"
        raise AttributeError(msg)
    return getattr(importlib.import_module(f"pipeline.{_HOMES[name]}"), name)
