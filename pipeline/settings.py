"""Settings: one frozen record of sub-records, built once at the edge (CLI, plugin or API caller)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

EntityType = Literal["auto", "Drug", "DietarySupplement", "both"]


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
