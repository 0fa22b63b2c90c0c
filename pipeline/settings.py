"""Settings: one frozen record of sub-records, built once at the edge (CLI, plugin or API)."""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Final, Literal, get_args

from pipeline.errors import ConfigError
from pipeline.limits import Limits

EntityType = Literal["auto", "Drug", "DietarySupplement", "both"]
# The cache folder's default name: inside OUT for `convert`, beside the config for the plugins.
CACHE_DIR_NAME: Final = ".schemapress-cache"


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteConfig:
    """Facts about the site that no page states: where it lives, who publishes and reviews it."""

    url: str | None = None
    base_url: str | None = None
    name: str | None = None
    publisher_name: str | None = None
    publisher_logo: str | None = None
    author: str | None = None
    reviewer: str | None = None
    language: str | None = None
    profile: str = "medical"
    entity_type: EntityType = "auto"
    audience: str = "Patient"


@dataclass(frozen=True, slots=True, kw_only=True)
class OutputConfig:
    """Where and how results are written."""

    out_dir: str = "output"
    minify: bool = False
    ascii: bool = False
    split: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckConfig:
    """Which validation findings count: `strict` fails on warnings, `ignore` drops rule ids."""

    strict: bool = False
    ignore: tuple[str, ...] = ()
    check_visibility: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """All settings of one run."""

    site: SiteConfig = field(default_factory=SiteConfig)
    output: OutputConfig = field(default_factory=OutputConfig)
    check: CheckConfig = field(default_factory=CheckConfig)
    limits: Limits = field(default_factory=Limits)


_SECTIONS: dict[str, type[SiteConfig | OutputConfig | CheckConfig | Limits]] = {
    "site": SiteConfig,
    "output": OutputConfig,
    "check": CheckConfig,
    "limits": Limits,
}
CONFIG_NAME = "schemapress.toml"


def find_config(start: Path) -> Path | None:
    """The nearest `schemapress.toml`, or `pyproject.toml` with `[tool.schemapress]`, upward."""
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "[tool.schemapress" in pyproject.read_text("utf-8", "replace"):
            return pyproject
    return None


def load_settings(path: Path | None = None, *, start: Path | None = None) -> Settings:
    """Load settings from a file (or the one found from `start` upward); defaults when none.

    Raises ConfigError naming the file and key, with "did you mean" for a near-miss key.
    """
    path = path or find_config(start or Path.cwd())
    if path is None:
        return Settings()
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(str(path), "(file)", f"cannot be read: {error}") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(str(path), "(file)", f"is not valid TOML: {error}") from error
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("schemapress", {})
    return settings_from_mapping(data, str(path))


def settings_from_mapping(data: Mapping[str, Any], file: str | None) -> Settings:
    """Build Settings from `{"site": {...}, "output": {...}, "check": {...}}`."""
    parts: dict[str, Any] = {}
    for section, values in data.items():
        if section not in _SECTIONS:
            raise ConfigError(
                file, section, "is not a settings table", hint=_did_you_mean(section, _SECTIONS)
            )
        if not isinstance(values, Mapping):
            raise ConfigError(file, section, "must be a table")
        parts[section] = _record(_SECTIONS[section], values, file, section)
    return Settings(**parts)


def _record(kind: type[Any], values: Mapping[str, Any], file: str | None, section: str) -> Any:  # noqa: ANN401 - one of the settings records
    known = {f.name: f for f in fields(kind)}
    checked: dict[str, Any] = {}
    for key, value in values.items():
        where = f"{section}.{key}"
        if key not in known:
            raise ConfigError(file, where, "is not a known setting", hint=_did_you_mean(key, known))
        default = getattr(kind(), key)
        expected = type(default) if default is not None else str
        if isinstance(default, tuple):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(file, where, "must be a list of strings")
            checked[key] = tuple(value)
            continue
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise ConfigError(
                file, where, f"must be {expected.__name__}, not {type(value).__name__}"
            )
        checked[key] = value
    record = kind(**checked)
    if isinstance(record, SiteConfig):
        _check_site(record, file)
    return record


def _check_site(site: SiteConfig, file: str | None) -> None:
    for key in ("url", "base_url"):
        value = getattr(site, key)
        if value is not None and not value.startswith(("http://", "https://")):
            raise ConfigError(file, f"site.{key}", f"must be an http(s) URL, not {value!r}")
    if site.entity_type not in get_args(EntityType):
        raise ConfigError(
            file, "site.entity_type", f"must be one of {', '.join(get_args(EntityType))}"
        )


def _did_you_mean(key: str, known: Mapping[str, object]) -> str | None:
    close = difflib.get_close_matches(key, list(known), n=1)
    return f"did you mean {close[0]!r}?" if close else f"known: {', '.join(sorted(known))}"
