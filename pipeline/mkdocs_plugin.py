"""The MkDocs adapter: converts each page's Markdown source and injects the block into its HTML.

Register it in `mkdocs.yml` as `plugins: [schemapress]`; all logic lives in `pipeline.api`.
"""

from __future__ import annotations

from dataclasses import fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Final, get_args

import yaml
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger

from pipeline.api import Toolkit, convert_source
from pipeline.cache import CACHE_DIR_NAME, Cache
from pipeline.emit.inject import inject
from pipeline.emit.script import script_block
from pipeline.errors import ProfileError, SchemapressError
from pipeline.model import Severity, Source
from pipeline.report.path import to_json_path
from pipeline.settings import EntityType, Settings, SiteConfig, load_settings

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page

    from pipeline.model import Report, Result
    from pipeline.settings import OutputConfig

log = get_plugin_logger("schemapress")

# Our marker value: `schemapress inject` leaves blocks it did not make (marker `inject`) as they
# are, since the page source the plugin reads knows more than the built HTML.
MARKER_VALUE: Final = "mkdocs"

# Every site setting but `base_url`: MkDocs gives each page its own URL.
_SITE_OPTIONS: Final = tuple(f.name for f in fields(SiteConfig) if f.name != "base_url")


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
    cache = c.Type(bool, default=True)
    cache_dir = c.Type(str, default=CACHE_DIR_NAME)


class SchemapressPlugin(BasePlugin[SchemapressConfig]):  # type: ignore[no-untyped-call] # same
    """Adds one schema.org JSON-LD block to the `<head>` of every page the site builds.

    Findings are logged as MkDocs warnings and errors, so `mkdocs build --strict` fails on them;
    the `strict` option fails the build on what `schemapress convert --strict` would fail on.
    """

    _settings: Settings
    _failed: list[str]
    _cache: Cache | None

    def on_config(self, config: MkDocsConfig) -> None:
        """Build the settings once: site_url, site_name < schemapress.toml < plugin options."""
        try:
            found = load_settings(start=Path(config.config_file_path or ".").resolve().parent)
            given = {key: self.config[key] for key in _SITE_OPTIONS if self.config[key] is not None}
            site = replace(found.site, **given)
            site = replace(
                site, url=site.url or config.site_url or None, name=site.name or config.site_name
            )
            strict = found.check.strict if self.config.strict is None else self.config.strict
            ignore = (*found.check.ignore, *self.config.ignore)
            self._settings = replace(
                found, site=site, check=replace(found.check, strict=strict, ignore=ignore)
            )
        except SchemapressError as error:
            raise PluginError(f"schemapress: {error}") from error
        self._failed = []
        folder = Path(config.config_file_path or ".").parent / self.config.cache_dir
        self._cache = Cache(folder) if self.config.cache else None

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:  # noqa: ARG002
        """Convert the page's source and splice the block into the themed HTML."""
        name = page.file.src_uri
        try:
            block, report = self._page_block(page)
            html = inject(output, block, page=name)
        except ProfileError as error:
            raise PluginError(f"schemapress: {error}") from error
        except SchemapressError as error:
            # The error names the file, line and fix; a traceback would add nothing.
            log.error("%s: no JSON-LD: %s", name, error)  # noqa: TRY400
            self._failed.append(name)
            return None
        _log_findings(name, report)
        if report.exit_code(strict=self._settings.check.strict):
            self._failed.append(name)
        return html

    def _page_block(self, page: Page) -> tuple[str, Report]:
        """Return the page's block and report, from the cache when page and tool are unchanged."""
        data, source, settings, cache = (
            _page_bytes(page),
            _source(page),
            self._settings,
            self._cache,
        )
        parts = (source.path, source.url or "", repr(settings))
        key = cache.key("mkdocs", data, parts) if cache else ""
        if cache and (hit := cache.lookup_block(key)):
            return hit.block, hit.report
        result = convert_source(data, source, settings, Toolkit.from_settings(settings))
        block = _block(result, settings.output)
        if cache:
            cache.record_block(key, block, result.report)
        return block, result.report

    def on_post_build(self, *, config: MkDocsConfig) -> None:  # noqa: ARG002
        """Under `strict`, fail the build once every page has been reported."""
        if self._settings.check.strict and self._failed:
            pages = ", ".join(self._failed)
            raise PluginError(f"schemapress: JSON-LD findings fail the strict build in {pages}")


def _block(result: Result, output: OutputConfig) -> str:
    return script_block(
        result.graph.jsonld, minify=output.minify, ascii_only=output.ascii, marker=MARKER_VALUE
    )


def _source(page: Page) -> Source:
    file = page.file
    return Source(
        path=file.abs_src_path or file.src_uri,
        relative=file.src_uri,
        url=page.canonical_url,
        media="markdown",
    )


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
