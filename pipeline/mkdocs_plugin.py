"""The MkDocs adapter: converts each page's Markdown source and injects the block into its HTML.

Register it in `mkdocs.yml` as `plugins: [schemapress]`; all logic lives in `pipeline.api`.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Final, get_args

import yaml
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger

from pipeline.api import Toolkit, convert_source
from pipeline.emit.inject import inject
from pipeline.errors import SchemapressError
from pipeline.model import Severity, Source
from pipeline.report.path import to_json_path
from pipeline.settings import EntityType, Settings, load_settings

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page

    from pipeline.model import Report

log = get_plugin_logger("schemapress")

_SITE_OPTIONS: Final = (
    "url",
    "name",
    "publisher_name",
    "publisher_logo",
    "author",
    "reviewer",
    "language",
    "profile",
    "entity_type",
    "audience",
)


class SchemapressConfig(base.Config):  # type: ignore[no-untyped-call] # mkdocs leaves it untyped
    """Plugin options: the `Settings` field names; unset ones come from schemapress.toml."""

    url = c.Optional(c.URL())
    name = c.Optional(c.Type(str))
    publisher_name = c.Optional(c.Type(str))
    publisher_logo = c.Optional(c.URL())
    author = c.Optional(c.Type(str))
    reviewer = c.Optional(c.Type(str))
    language = c.Optional(c.Type(str))
    profile = c.Optional(c.Type(str))
    entity_type = c.Optional(c.Choice(get_args(EntityType)))
    audience = c.Optional(c.Type(str))
    strict = c.Optional(c.Type(bool))
    ignore = c.ListOfItems(c.Type(str), default=[])


class SchemapressPlugin(BasePlugin[SchemapressConfig]):  # type: ignore[no-untyped-call] # same
    """Adds one schema.org JSON-LD block to the `<head>` of every page the site builds.

    Findings are logged as MkDocs warnings and errors, so `mkdocs build --strict` fails on them;
    the `strict` option fails the build on what `schemapress convert --strict` would fail on.
    """

    _settings: Settings
    _toolkit: Toolkit
    _failed: list[str]

    def on_config(self, config: MkDocsConfig) -> None:
        """Build settings and toolkit once: site_url, site_name < schemapress.toml < options."""
        try:
            found = load_settings(start=Path(config.config_file_path or ".").resolve().parent)
        except SchemapressError as error:
            raise PluginError(f"schemapress: {error}") from error
        given = {key: self.config[key] for key in _SITE_OPTIONS if self.config[key] is not None}
        site = replace(found.site, **given)
        site = replace(site, url=site.url or config.site_url, name=site.name or config.site_name)
        strict = found.check.strict if self.config.strict is None else self.config.strict
        check = replace(
            found.check, strict=strict, ignore=(*found.check.ignore, *self.config.ignore)
        )
        self._settings = replace(found, site=site, check=check)
        try:
            self._toolkit = Toolkit.from_settings(self._settings)
        except SchemapressError as error:
            raise PluginError(f"schemapress: {error}") from error
        self._failed = []

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:  # noqa: ARG002
        """Convert the page's source and splice the block into the themed HTML."""
        file = page.file
        source = Source(
            path=file.abs_src_path or file.src_uri,
            relative=file.src_uri,
            url=page.canonical_url,
            media="markdown",
        )
        try:
            result = convert_source(_page_bytes(page), source, self._settings, self._toolkit)
        except SchemapressError as error:
            # The error names the file, line and fix; a traceback would add nothing.
            log.error("%s: no JSON-LD: %s", file.src_uri, error)  # noqa: TRY400
            self._failed.append(file.src_uri)
            return None
        _log_findings(file.src_uri, result.report)
        if result.report.exit_code(strict=self._settings.check.strict):
            self._failed.append(file.src_uri)
        return inject(output, result.snippet)

    def on_post_build(self, *, config: MkDocsConfig) -> None:  # noqa: ARG002
        """Under `strict`, fail the build once every page has been reported."""
        if self._settings.check.strict and self._failed:
            pages = ", ".join(self._failed)
            raise PluginError(f"schemapress: JSON-LD findings fail the strict build in {pages}")


def _page_bytes(page: Page) -> bytes:
    """Return the page as written, front matter included, so finding lines match the file.

    A page generated in memory by another plugin has no file; it is rebuilt from its parts.
    """
    if page.file.abs_src_path:
        return Path(page.file.abs_src_path).read_bytes()
    front = f"---\n{yaml.safe_dump(page.meta, sort_keys=False)}---\n" if page.meta else ""
    return f"{front}{page.markdown or ''}".encode()


def _log_findings(src_uri: str, report: Report) -> None:
    for finding in report:
        where = f":{finding.line}" if finding.line is not None else ""
        text = f"{src_uri}{where}: {finding.rule} {to_json_path(finding.path)}: {finding.message}"
        if finding.severity is Severity.ERROR:
            log.error(text)
        elif finding.severity is Severity.WARNING:
            log.warning(text)
        else:
            log.debug(text)
