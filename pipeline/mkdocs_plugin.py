"""The MkDocs adapter: converts each page's Markdown source and injects the block into its HTML.

Register it in `mkdocs.yml` as `plugins: [schemapress]`; all logic lives in `pipeline.api`.

MkDocs renders on one core. With a core to spare, each page goes to a worker process as soon as
MkDocs starts on it, so conversion runs while MkDocs renders, and `on_post_page` only collects the
block. Small sites and single cores convert inline, through the same function, so the bytes match.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Final, get_args

import yaml
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger

from pipeline.emit.inject import inject
from pipeline.errors import ProfileError, SchemapressError
from pipeline.model import Severity, Source
from pipeline.pool import MIN_POOL_PAGES, POOL_CHUNK_PAGES
from pipeline.settings import CACHE_DIR_NAME, EntityType, Settings, SiteConfig, load_settings

if TYPE_CHECKING:
    from concurrent.futures import Future

    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

    from pipeline.model import Report

log = get_plugin_logger("schemapress")

# Our marker value: `schemapress inject` leaves blocks it did not make (marker `inject`) as they
# are, since the page source the plugin reads knows more than the built HTML.
MARKER_VALUE: Final = "mkdocs"

# Every site setting but `base_url`: MkDocs gives each page its own URL.
_SITE_OPTIONS: Final = tuple(f.name for f in fields(SiteConfig) if f.name != "base_url")

# A page converts in about the time MkDocs takes to render it, so a few workers keep up; more
# would only add start-up time and memory.
_MAX_WORKERS: Final = 4
# Chunks in flight per worker: enough to keep it busy through the pause between MkDocs reading the
# last page and writing the first (static files, theme templates), few enough that a stopped build
# waits for little. A waiting result is a block and its findings, a few KB.
_CHUNKS_IN_FLIGHT: Final = 4

# Findings of other severities (info) are logged at debug level, shown by `mkdocs build -v`.
_LOG_LEVELS: Final = {Severity.ERROR: logging.ERROR, Severity.WARNING: logging.WARNING}


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


@dataclass(frozen=True, slots=True, kw_only=True)
class _Outcome:
    """One page's conversion, small enough that a worker sends it back for next to nothing.

    `lines` are the findings as log records, `fails` whether they fail a strict build; `error`
    says why the page got no block, and `fatal` that the error stops the whole build.
    """

    block: str = ""
    lines: tuple[tuple[int, str], ...] = ()
    fails: bool = False
    error: str | None = None
    fatal: bool = False


class SchemapressPlugin(BasePlugin[SchemapressConfig]):  # type: ignore[no-untyped-call] # same
    """Adds one schema.org JSON-LD block to the `<head>` of every page the site builds.

    Findings are logged as MkDocs warnings and errors, so `mkdocs build --strict` fails on them;
    the `strict` option fails the build on what `schemapress convert --strict` would fail on.
    """

    _job: _Job
    _failed: list[str]
    # Set before any event, since `on_build_error` may come before `on_config` has run.
    _pool: _Pool | None = None

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
            settings = replace(
                found, site=site, check=replace(found.check, strict=strict, ignore=ignore)
            )
        except SchemapressError as error:
            raise PluginError(f"schemapress: {error}") from error
        self._failed = []
        folder = Path(config.config_file_path or ".").parent / self.config.cache_dir
        self._job = _Job(
            settings=settings,
            cache_dir=folder if self.config.cache else None,
            debug=log.isEnabledFor(logging.DEBUG),
        )

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> None:  # noqa: ARG002
        """Start the workers, if there are enough pages and cores for them to pay for themselves."""
        workers = min(_spare_cores(), _MAX_WORKERS)
        if workers and len(files.documentation_pages()) >= MIN_POOL_PAGES:
            self._pool = _Pool(workers, self._job)
            log.debug("converting pages in %d worker process(es)", workers)

    def on_pre_page(self, page: Page, /, *, config: MkDocsConfig, files: Files) -> None:  # noqa: ARG002
        """Hand the page to the workers as MkDocs starts on it; they read its file themselves."""
        if self._pool is not None and page.file.abs_src_path:
            self._pool.add(_source(page))

    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> None:  # noqa: ARG002
        """Every page has been read, so the last, short chunk need not wait to fill up."""
        if self._pool is not None:
            self._pool.all_added()

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:  # noqa: ARG002
        """Splice the page's block into the themed HTML and log its findings, in page order."""
        name = page.file.src_uri
        outcome = self._outcome(page)
        if outcome.fatal:
            raise PluginError(f"schemapress: {outcome.error}")
        error, html = outcome.error, None
        if error is None:
            try:
                html = inject(output, outcome.block, page=name)
            except SchemapressError as failure:
                error = str(failure)
        if html is None:
            # The error names the file, line and fix; a traceback would add nothing.
            log.error("%s: no JSON-LD: %s", name, error)
            self._failed.append(name)
            return None
        for level, text in outcome.lines:
            log.log(level, text)
        if outcome.fails:
            self._failed.append(name)
        return html

    def _outcome(self, page: Page) -> _Outcome:
        """The page's outcome from the workers, or converted here if they never had the page."""
        source = _source(page)
        done = self._pool.take(source) if self._pool is not None else None
        if done is None:
            done = self._job.convert(_page_bytes(page), source)
        return done

    def on_post_build(self, *, config: MkDocsConfig) -> None:  # noqa: ARG002
        """Under `strict`, fail the build once every page has been reported."""
        self._close_pool()
        if self._job.settings.check.strict and self._failed:
            pages = ", ".join(self._failed)
            raise PluginError(f"schemapress: JSON-LD findings fail the strict build in {pages}")

    def on_build_error(self, *, error: Exception) -> None:  # noqa: ARG002
        """Stop the workers: `mkdocs serve` outlives a failed build and must not keep them."""
        self._close_pool()

    def _close_pool(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None


class _Pool:
    """Worker processes converting pages in the order MkDocs reads them, in chunks.

    At most `_CHUNKS_IN_FLIGHT` chunks per worker are in flight; finished ones wait until
    `on_post_page` takes them.
    """

    def __init__(self, workers: int, job: _Job) -> None:
        self._executor = ProcessPoolExecutor(max_workers=workers)
        self._task = functools.partial(_convert_chunk, job=job)
        self._window = workers * _CHUNKS_IN_FLIGHT
        self._queued: deque[Source] = deque()
        self._in_flight: deque[Future[list[_Outcome]]] = deque()
        # Each page added: where its outcome will be (chunk, index), or None while still queued.
        self._pages: dict[Source, tuple[Future[list[_Outcome]], int] | None] = {}
        self._adding = True
        if job.cache_dir is None:
            # Every page will be converted: load the rules now, while MkDocs reads the files.
            self._executor.submit(_warm_up, job.settings)

    def add(self, source: Source) -> None:
        """Queue a page; it is sent once a chunk fills and the window has room."""
        self._pages[source] = None
        self._queued.append(source)
        self._top_up()

    def all_added(self) -> None:
        """No more pages will come, so a partial chunk may go."""
        self._adding = False
        self._top_up()

    def take(self, source: Source) -> _Outcome | None:
        """The page's outcome, waiting for its chunk; None if the page was never added."""
        if source not in self._pages:
            return None
        self._top_up()
        while (place := self._pages[source]) is None:
            self._send()
        del self._pages[source]
        chunk, index = place
        return chunk.result()[index]

    def close(self) -> None:
        """Drop the chunks not yet started and wait for the workers to exit."""
        self._executor.shutdown(wait=True, cancel_futures=True)

    def _top_up(self) -> None:
        while self._in_flight and self._in_flight[0].done():
            self._in_flight.popleft()
        while (
            self._queued
            and len(self._in_flight) < self._window
            and (len(self._queued) >= POOL_CHUNK_PAGES or not self._adding)
        ):
            self._send()

    def _send(self) -> None:
        size = min(POOL_CHUNK_PAGES, len(self._queued))
        chunk = [self._queued.popleft() for _ in range(size)]
        future = self._executor.submit(self._task, chunk)
        self._in_flight.append(future)
        for index, source in enumerate(chunk):
            self._pages[source] = (future, index)


def _spare_cores() -> int:
    """Cores this process may use besides the one MkDocs renders on."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (usable or 1) - 1


def _warm_up(settings: Settings) -> None:
    """Load the toolkit before the first page arrives; a failure is left for the pages to report."""
    from pipeline.api import Toolkit  # noqa: PLC0415 - see `_Job.convert`

    with contextlib.suppress(SchemapressError):
        Toolkit.from_settings(settings)


def _convert_chunk(chunk: list[Source], *, job: _Job) -> list[_Outcome]:
    """A worker's task: read each page's file and convert it."""
    return [job.convert(Path(source.path).read_bytes(), source) for source in chunk]


@dataclass(frozen=True, slots=True, kw_only=True)
class _Job:
    """What converting a page takes besides the page; sent to each worker with its pages.

    `debug` says whether MkDocs shows debug messages, the level info findings are logged at:
    wording them needs the validators loaded, so it is skipped when no one would see them.
    """

    settings: Settings
    cache_dir: Path | None
    debug: bool

    def convert(self, data: bytes, source: Source) -> _Outcome:
        """Convert one page, or take its block from the cache when page and tool are unchanged.

        The conversion's modules are imported here, not with the plugin: with workers, MkDocs'
        own process never converts, and each worker imports them on its own core.
        """
        from pipeline.api import Toolkit, convert_source  # noqa: PLC0415
        from pipeline.cache import Cache  # noqa: PLC0415
        from pipeline.emit.script import script_block  # noqa: PLC0415

        settings = self.settings
        cache = Cache(self.cache_dir) if self.cache_dir else None
        parts = (source.path, source.url or "", repr(settings))
        key = cache.key("mkdocs", data, parts) if cache else ""
        if cache and (hit := cache.lookup_block(key)):
            block, report = hit.block, hit.report
        else:
            try:
                result = convert_source(data, source, settings, Toolkit.from_settings(settings))
            except SchemapressError as error:
                return _Outcome(error=str(error), fatal=isinstance(error, ProfileError))
            output = settings.output
            block = script_block(
                result.graph.jsonld,
                minify=output.minify,
                ascii_only=output.ascii,
                marker=MARKER_VALUE,
            )
            report = result.report
            if cache:
                cache.record_block(key, block, report)
        return _Outcome(
            block=block,
            lines=_log_lines(source.relative, report, debug=self.debug),
            fails=bool(report.exit_code(strict=settings.check.strict)),
        )


def _log_lines(src_uri: str, report: Report, *, debug: bool) -> tuple[tuple[int, str], ...]:
    """The findings as (log level, message); info ones, logged at debug level, only if shown."""
    shown = [f for f in report if debug or f.severity in _LOG_LEVELS]
    if not shown:
        return ()
    # Wording a finding loads the validators: a worker pays for that, or a page with findings.
    from pipeline.report.path import to_json_path  # noqa: PLC0415

    lines = []
    for finding in shown:
        where = f":{finding.line}" if finding.line is not None else ""
        text = f"{src_uri}{where}: {finding.rule} {to_json_path(finding.path)}: {finding.message}"
        lines.append((_LOG_LEVELS.get(finding.severity, logging.DEBUG), text))
    return tuple(lines)


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
