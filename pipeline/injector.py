"""The post-build injector: our block spliced into every HTML page of a built site.

Hugo, Jekyll, Eleventy, MkDocs and Zensical all write a folder of pages; this walks it, converts
each page through the API and splices the block with `pipeline.emit.inject`, touching nothing else.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass, field, replace
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Final, Literal
from urllib.parse import urljoin

from pipeline.api import Toolkit, convert_document, discover, read_page_bytes
from pipeline.errors import InputError, SchemapressError
from pipeline.model import Finding, Severity, Source, sorted_report
from pipeline.pool import MIN_POOL_PAGES, ordered_map

if TYPE_CHECKING:
    import os
    from collections.abc import Callable, Iterable, Iterator

    from pipeline.model import Report
    from pipeline.settings import Settings

log = logging.getLogger(__name__)

SITE_PAGE_SUFFIXES: Final = frozenset({".html", ".htm", ".xhtml"})
# The marker value of blocks the site injector owns; it leaves blocks others made (the MkDocs
# plugin converts the page source, which knows more than the built HTML) as they are.
INJECT_MARKER: Final = "inject"
InjectStatus = Literal["changed", "unchanged", "failed"]


@dataclass(frozen=True, slots=True, kw_only=True)
class InjectOptions:
    """How `inject_site` treats a built site: the flags of `schemapress inject`.

    `exclude` holds globs matched against the path below the site folder (`*` crosses folders; a
    glob naming a folder leaves out all of it). `merge` gives our page node the `@id` of a page
    node the page already carries, so both blocks describe one page. `check` writes nothing;
    `remove` takes our blocks out instead. `cache_dir` None means no cache.
    """

    exclude: tuple[str, ...] = ()
    merge: bool = False
    check: bool = False
    remove: bool = False
    jobs: int = 1
    cache_dir: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class InjectOutcome:
    """What happened to one page of a site; under `check`, `changed` means it would change."""

    path: str
    status: InjectStatus
    report: Report = field(default_factory=lambda: sorted_report(()))
    message: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class InjectedPage:
    """A page's bytes with our block in place, the block itself, and the page's report."""

    html: bytes
    block: str
    report: Report


def inject_site(
    site_dir: os.PathLike[str] | str, settings: Settings, *, options: InjectOptions | None = None
) -> Iterator[InjectOutcome]:
    """Splice our block into every HTML page of a built site, yielding outcomes in path order.

    Each page is read, converted without our old block, and rewritten atomically only when its
    bytes change, so a second run changes nothing. Raises InputError if `site_dir` is no folder.
    """
    options = options or InjectOptions()
    root = Path(site_dir)
    if not root.is_dir():
        raise InputError(str(root), "not a folder", hint="give the output folder of a site build")
    pages = site_pages(root, options.exclude)
    task = functools.partial(_inject_one, root=root, settings=settings, options=options)
    if options.jobs <= 1 or len(pages) < MIN_POOL_PAGES:
        yield from map(task, pages)
        return
    # Built before the pool forks, so each worker starts with the toolkit instead of building it.
    Toolkit.from_settings(settings)
    yield from ordered_map(functools.partial(_inject_chunk, task=task), pages, jobs=options.jobs)


def _inject_chunk(chunk: list[str], *, task: Callable[[str], InjectOutcome]) -> list[InjectOutcome]:
    return [task(relative) for relative in chunk]


def site_pages(root: Path, exclude: Iterable[str] = ()) -> list[str]:
    """HTML pages below `root` as sorted `/`-separated relative paths, less the excluded ones."""
    patterns = tuple(exclude)
    pages = [
        source.relative
        for source in discover([str(root)])
        if PurePosixPath(source.relative).suffix.lower() in SITE_PAGE_SUFFIXES
    ]
    folders = tuple(f"{g.rstrip('/')}/*" for g in patterns)
    return [page for page in pages if not any(fnmatchcase(page, g) for g in patterns + folders)]


def site_page_url(relative: str, base_url: str | None) -> str | None:
    """`BASE/<path>` of a built page; `index.html` stands for its folder (`BASE/<folder>/`)."""
    if not base_url:
        return None
    path = PurePosixPath(relative)
    tail = path.parent.as_posix() + "/" if path.name == "index.html" else relative
    return urljoin(base_url.rstrip("/") + "/", "" if tail == "./" else tail)


def inject_page(
    data: bytes, source: Source, settings: Settings, toolkit: Toolkit, *, merge: bool = False
) -> InjectedPage:
    """Convert a built page and splice the block into its bytes; `source.url` is the fallback URL.

    The page is read without our old block, so neither its JSON-LD nor its text feeds back into the
    new one. The URL is the page's canonical link (made absolute against `source.url`), else
    `source.url`. A page node the page already carries is a warning, or with `merge` the node ours
    links to (see `pipeline.build.merge`). Raises InjectError or InputError for a page left as is.
    """
    from pipeline.build.merge import find_page_nodes, merge_page_node  # noqa: PLC0415
    from pipeline.emit.inject import inject_bytes, remove_block_bytes  # noqa: PLC0415
    from pipeline.emit.script import script_block  # noqa: PLC0415
    from pipeline.read import read  # noqa: PLC0415

    document = read(remove_block_bytes(data, page=source.path), replace(source, url=None))
    canonical = document.meta.canonical_url
    url = urljoin(source.url, canonical) if source.url and canonical else canonical or source.url
    result = convert_document(replace(document, source=replace(source, url=url)), settings, toolkit)
    lineage = toolkit.validators.vocabulary.lineage
    page_types = frozenset(name for name, parents in lineage.items() if "WebPage" in parents)
    graph, merged = merge_page_node(
        result.graph.jsonld, find_page_nodes(document.jsonld, page_types), merge=merge
    )
    findings = tuple(replace(f, source=source.path) for f in merged if not _ignored(f, settings))
    minify = settings.output.minify
    block = script_block(graph, minify=minify, ascii_only=True, marker=INJECT_MARKER)
    report = sorted_report(
        (*result.report.findings, *findings), checked_nodes=result.report.checked_nodes
    )
    html = inject_bytes(data, block, page=source.path)
    return InjectedPage(html=html, block=block, report=report)


def _ignored(finding: Finding, settings: Settings) -> bool:
    ignore = settings.check.ignore
    return finding.rule in ignore or finding.rule.split(".", 1)[0] in ignore


def _inject_one(
    relative: str, *, root: Path, settings: Settings, options: InjectOptions
) -> InjectOutcome:
    path = root / relative
    url = site_page_url(relative, settings.site.base_url)
    source = Source(path=path.as_posix(), relative=relative, url=url, media="html")
    try:
        return _inject_file(path, source, settings, options)
    except SchemapressError as error:
        return InjectOutcome(path=relative, status="failed", message=str(error))
    except OSError as error:
        return InjectOutcome(path=relative, status="failed", message=f"{path}: {error}")
    except RecursionError:
        return InjectOutcome(
            path=relative, status="failed", message=f"{path}: the page nests too deeply to read"
        )
    # A bug on one page must not stop the site; it is reported for that page.
    except Exception as error:
        log.debug("internal error on %s", path, exc_info=True)
        message = f"{path}: internal error ({type(error).__name__}: {error}); please report it"
        return InjectOutcome(path=relative, status="failed", message=message)


def _inject_file(
    path: Path, source: Source, settings: Settings, options: InjectOptions
) -> InjectOutcome:
    """Inject into (or remove from) one page, writing it only when its bytes change."""
    from pipeline.emit.files import write_atomic  # noqa: PLC0415
    from pipeline.emit.inject import remove_block_bytes  # noqa: PLC0415

    original = read_page_bytes(path, max_bytes=settings.limits.max_page_bytes)
    kept = _kept_block(original, source)
    if kept is not None:
        return InjectOutcome(path=source.relative, status="unchanged", report=kept)
    if options.remove:
        updated, report = remove_block_bytes(original, page=source.path), sorted_report(())
    else:
        updated, report = _injected(original, source, settings, options)
    if updated == original:
        return InjectOutcome(path=source.relative, status="unchanged", report=report)
    if not options.check:
        write_atomic(path, updated)
    return InjectOutcome(path=source.relative, status="changed", report=report)


def _kept_block(data: bytes, source: Source) -> Report | None:
    """A note for a page whose block another producer made, which the injector leaves alone."""
    from pipeline.emit.inject import block_markers  # noqa: PLC0415

    markers = [m for m in block_markers(data.decode("latin-1")) if m != INJECT_MARKER]
    if not markers:
        return None
    finding = Finding(
        rule="inject.block-kept",
        severity=Severity.INFO,
        message=f"the page already has a block made by {markers[0] or 'convert or a plugin'}; "
        "it is left as it is",
        source=source.path,
        hint="remove that block to let inject manage the page",
    )
    return sorted_report((finding,))


def _injected(
    original: bytes, source: Source, settings: Settings, options: InjectOptions
) -> tuple[bytes, Report]:
    """Return the page with its block, taken from the cache when this page was seen as it is."""
    from pipeline.cache import Cache  # noqa: PLC0415
    from pipeline.emit.inject import inject_bytes, remove_block_bytes  # noqa: PLC0415

    if options.cache_dir is None:
        injected = inject_page(
            original, source, settings, Toolkit.from_settings(settings), merge=options.merge
        )
        return injected.html, injected.report
    cache = Cache(Path(options.cache_dir), read_only=options.check)
    page = remove_block_bytes(original, page=source.path)
    parts = (source.path, source.url or "", repr(settings), f"merge={options.merge}")
    key = cache.key("inject", page, parts)
    hit = cache.lookup_block(key)
    if hit is not None:
        return inject_bytes(original, hit.block, page=source.path), hit.report
    injected = inject_page(
        original, source, settings, Toolkit.from_settings(settings), merge=options.merge
    )
    cache.record_block(key, injected.block, injected.report)
    return injected.html, injected.report
