"""The MkDocs adapter: converts each page's Markdown source and injects the block into its HTML.

Register it in `mkdocs.yml` as `plugins: [schemapress]`; all logic lives in `pipeline.api`.
"""

from __future__ import annotations

import os
from concurrent.futures import Future, ProcessPoolExecutor
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
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

    from pipeline.model import Report, Result

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
    # Worker processes converting pages while MkDocs renders: 0 is one per CPU, 1 converts inline.
    jobs = c.Type(int, default=0)


class SchemapressPlugin(BasePlugin[SchemapressConfig]):  # type: ignore[no-untyped-call] # same
    """Adds one schema.org JSON-LD block to the `<head>` of every page the site builds.

    Findings are logged as MkDocs warnings and errors, so `mkdocs build --strict` fails on them;
    the `strict` option fails the build on what `schemapress convert --strict` would fail on.
    """

    _settings: Settings
    _failed: list[str]
    _pool: ProcessPoolExecutor | None
    _pending: dict[str, Future[Result]]

    def on_config(self, config: MkDocsConfig) -> None:
        """Build settings and toolkit once: site_url, site_name < schemapress.toml < options."""
        try:
            found = load_settings(start=Path(config.config_file_path or ".").resolve().parent)
            given = {key: self.config[key] for key in _SITE_OPTIONS if self.config[key] is not None}
            site = replace(found.site, **given)
            site = replace(
                site, url=site.url or config.site_url, name=site.name or config.site_name
            )
            strict = found.check.strict if self.config.strict is None else self.config.strict
            ignore = (*found.check.ignore, *self.config.ignore)
            self._settings = replace(
                found, site=site, check=replace(found.check, strict=strict, ignore=ignore)
            )
            Toolkit.from_settings(self._settings)  # a bad profile fails here, before any page
        except SchemapressError as error:
            raise PluginError(f"schemapress: {error}") from error
        self._failed, self._pool, self._pending = [], None, {}

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> None:  # noqa: ARG002
        """Start converting every page file in worker processes while MkDocs renders the site."""
        pages = [f.page for f in files.documentation_pages() if f.page and f.abs_src_path]
        workers = min(self.config.jobs or os.cpu_count() or 1, len(pages))
        if workers <= 1:
            return
        self._pool = ProcessPoolExecutor(max_workers=workers)
        self._pending = {
            page.file.src_uri: self._pool.submit(
                _convert, _page_bytes(page), _source(page), self._settings
            )
            for page in pages
        }

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:  # noqa: ARG002
        """Take the page's result (or convert it now) and splice the block into the HTML."""
        name = page.file.src_uri
        pending = self._pending.pop(name, None)
        try:
            result = (
                pending.result()
                if pending
                else _convert(_page_bytes(page), _source(page), self._settings)
            )
            html = inject(output, result.snippet, page=name)
        except SchemapressError as error:
            # The error names the file, line and fix; a traceback would add nothing.
            log.error("%s: no JSON-LD: %s", name, error)  # noqa: TRY400
            self._failed.append(name)
            return None
        _log_findings(name, result.report)
        if result.report.exit_code(strict=self._settings.check.strict):
            self._failed.append(name)
        return html

    def on_post_build(self, *, config: MkDocsConfig) -> None:  # noqa: ARG002
        """Under `strict`, fail the build once every page has been reported."""
        self._close_pool()
        if self._settings.check.strict and self._failed:
            pages = ", ".join(self._failed)
            raise PluginError(f"schemapress: JSON-LD findings fail the strict build in {pages}")

    def on_build_error(self, *, error: Exception) -> None:  # noqa: ARG002
        """Stop the workers when another part of the build failed."""
        self._close_pool()

    def _close_pool(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
        self._pool, self._pending = None, {}


def _convert(data: bytes, source: Source, settings: Settings) -> Result:
    """Convert one page; module level so worker processes can run it (the toolkit is cached)."""
    return convert_source(data, source, settings, Toolkit.from_settings(settings))


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
