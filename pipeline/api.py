"""The one pipeline every shell calls: read → clean → analyse → build → validate → emit.

The CLI, the MkDocs plugin and the site injector differ only in where pages come from and where
results go; each of them calls `convert`, `convert_many` or `convert_each` and nothing else of
the stages.
"""

from __future__ import annotations

import functools
import itertools
import logging
import os
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Final

from pipeline.errors import InputError, SchemapressError
from pipeline.limits import DEFAULT_LIMITS
from pipeline.model import Failure, Finding, Format, Result, Severity, Source, sorted_report
from pipeline.pool import MIN_POOL_PAGES, Outcome, ordered_map
from pipeline.settings import CheckConfig, Settings

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from pipeline.analyse import Rules
    from pipeline.clean import CleanRules
    from pipeline.model import Document, Report
    from pipeline.validate import Validators

log = logging.getLogger(__name__)

PAGE_SUFFIXES: Final = frozenset(
    {".txt", ".text", ".md", ".markdown", ".mdown", ".html", ".htm", ".xhtml"}
)
# Pages larger than this are refused rather than read into memory whole.
MAX_PAGE_BYTES: Final = DEFAULT_LIMITS.max_page_bytes


@dataclass(frozen=True, slots=True, kw_only=True)
class Toolkit:
    """Everything expensive, built once per run: compiled rules, profile and validators."""

    clean_rules: CleanRules
    analyse_rules: Rules
    validators: Validators = field(repr=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> Toolkit:
        """Load the furniture rules, the profile named in settings and the validators."""
        return _toolkit(settings.site.profile)


@functools.cache
def _toolkit(profile: str) -> Toolkit:
    from pipeline.analyse import Rules  # noqa: PLC0415 - the stages load on first use
    from pipeline.analyse.profile import load_profile  # noqa: PLC0415
    from pipeline.analyse.subject import load_subject_rules  # noqa: PLC0415
    from pipeline.clean import load_clean_rules  # noqa: PLC0415
    from pipeline.validate import load_validators  # noqa: PLC0415

    return Toolkit(
        clean_rules=load_clean_rules(),
        analyse_rules=Rules(profile=load_profile(profile), subject=load_subject_rules()),
        validators=load_validators(),
    )


def convert(
    source: str | bytes | os.PathLike[str],
    *,
    url: str | None = None,
    config: Settings | None = None,
    media: Format | None = None,
    toolkit: Toolkit | None = None,
) -> Result:
    r"""Convert one page; a `Path` is read from disk, `str` is page text and `bytes` its bytes.

    Raises InputError when the page cannot be read.

    >>> result = convert(
    ...     "How Aspirin Works\nAspirin blocks enzymes that make prostaglandins, "
    ...     "which is why people take it.\n"
    ...     "Side Effects\nAspirin can cause stomach upset, so take the drug with food.\n"
    ... )
    >>> result.status, result.analysis.subject.name, [q.question for q in result.analysis.faq]
    ('ok', 'Aspirin', ['How does Aspirin work?', 'What are the side effects of Aspirin?'])
    """
    settings = config or Settings()
    if isinstance(source, os.PathLike):
        path = Path(source)
        data = read_page_bytes(path, max_bytes=settings.limits.max_page_bytes)
        page = Source(path=str(path), relative=path.name, url=url, media=media)
    else:
        data = source.encode("utf-8") if isinstance(source, str) else source
        page = Source(path="<input>", relative="input", url=url, media=media or "text")
    return convert_source(data, page, settings, toolkit or Toolkit.from_settings(settings))


def convert_source(data: bytes, source: Source, settings: Settings, toolkit: Toolkit) -> Result:
    """Run the six stages on one page's bytes."""
    from pipeline.read import read  # noqa: PLC0415 - keep `--help` free of the stages

    return convert_document(read(data, source, limits=settings.limits), settings, toolkit)


def convert_document(document: Document, settings: Settings, toolkit: Toolkit) -> Result:
    """Run the stages after read; for a caller that settles something (the URL) once it has read."""
    from pipeline.analyse import analyse  # noqa: PLC0415 - keep `--help` free of the stages
    from pipeline.build import build  # noqa: PLC0415
    from pipeline.clean import clean  # noqa: PLC0415
    from pipeline.emit.script import page_outputs  # noqa: PLC0415
    from pipeline.validate import validate_jsonld  # noqa: PLC0415

    source = document.source
    document = clean(document, toolkit.clean_rules)
    analysis = analyse(
        document,
        toolkit.analyse_rules,
        language=settings.site.language,
        entity_type=settings.site.entity_type,
    )
    graph = build(analysis, settings.site)
    checked = validate_jsonld(
        graph.jsonld,
        page_text=document.visible_text if settings.check.check_visibility else None,
        checks=settings.check,
        toolkit=toolkit.validators,
    )
    findings: tuple[Finding, ...] = tuple(
        replace(f, source=source.path)
        for f in (*_page_findings(document), *analysis.findings, *graph.findings, *checked.findings)
    )
    report = sorted_report(
        tuple(f for f in findings if f.rule not in settings.check.ignore),
        checked_nodes=checked.checked_nodes,
    )
    jsonld, snippet = page_outputs(
        graph.jsonld, minify=settings.output.minify, ascii_only=settings.output.ascii
    )
    return Result(
        source=source,
        analysis=analysis,
        graph=graph,
        report=report,
        jsonld=jsonld,
        snippet=snippet,
    )


def _page_findings(document: Document) -> list[Finding]:
    """What the page already carried that a webmaster should know: broken JSON-LD blocks."""
    return [
        Finding(
            rule="read.jsonld-broken",
            severity=Severity.WARNING,
            message=f"a JSON-LD block already on the page does not parse: {block.error}",
            line=block.line,
            hint="fix or remove that block; search engines ignore it",
        )
        for block in document.jsonld
        if block.error
    ]


def read_page_bytes(path: Path, *, max_bytes: int = MAX_PAGE_BYTES) -> bytes:
    """Read a page, refusing what is not a regular file or too large to be a page."""
    try:
        if not path.is_file():
            raise InputError(str(path), "not a file", hint="give a page file or a folder of pages")
        if path.stat().st_size > max_bytes:
            raise InputError(
                str(path),
                f"the file is larger than {max_bytes / (1024 * 1024):g} MB",
                hint="split the page or convert it on its own",
            )
        return path.read_bytes()
    except OSError as error:
        raise InputError(str(path), error.strerror or str(error)) from error


def discover(inputs: Iterable[str]) -> list[Source]:
    """Expand files and folders into page sources: folders recursed and sorted, `-` is stdin.

    `relative` is the path below the folder given (or the file name), with `/` separators; it
    names the output files.
    """
    found: list[Source] = []
    for given in inputs:
        if given == "-":
            found.append(Source(path="-", relative="stdin"))
            continue
        path = Path(given)
        if path.is_dir():
            pages = sorted(
                (relative, page)
                for relative, page in _walk(path)
                if os.path.splitext(page)[1].lower() in PAGE_SUFFIXES  # noqa: PTH122
            )
            found.extend(Source(path=page, relative=relative) for relative, page in pages)
        else:
            found.append(Source(path=given, relative=path.name))
    return found


def _walk(root: Path) -> Iterator[tuple[str, str]]:
    """Files below a folder, as their path below it with `/` separators and their whole path.

    Symlinked folders are not followed, so a link loop cannot hang us. Paths are joined strings,
    not `Path`s: a `Path` interns a bare name, and a batch's names would grow the interned-string
    table, which never shrinks.
    """
    top = str(root)
    for folder, folders, files in os.walk(top, followlinks=False):
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        below = os.path.relpath(folder, top)
        prefix = "" if below == os.curdir else below.replace(os.sep, "/") + "/"
        for name in files:
            if not name.startswith("."):
                yield prefix + name, os.path.join(folder, name)  # noqa: PTH118


def page_url_for(source: Source, base_url: str | None) -> str | None:
    """`BASE/<relative path without extension>/` for a page of a batch."""
    if not base_url:
        return None
    stem = PurePosixPath(source.relative).with_suffix("")
    parts = [p for p in stem.parts if p not in {"", ".", ".."}]
    if parts and parts[-1] == "index":
        parts = parts[:-1]
    tail = "/".join(parts)
    return f"{base_url.rstrip('/')}/{tail}/" if tail else f"{base_url.rstrip('/')}/"


def convert_many(
    sources: Iterable[Source],
    settings: Settings,
    *,
    jobs: int = 1,
    stdin: bytes | None = None,
) -> Iterator[Result | Failure]:
    """Convert pages in input order, yielding a Result or a Failure for each; never stops early.

    With `jobs` above 1 and enough pages, pages run in a process pool that holds a bounded window
    of them, so memory stays flat however long the batch; results still come back in input order.
    """
    return convert_each(sources, settings, _as_is, jobs=jobs, stdin=stdin)


def convert_each(
    sources: Iterable[Source],
    settings: Settings,
    finish: Callable[[Result | Failure, int], Outcome],
    *,
    jobs: int = 1,
    stdin: bytes | None = None,
) -> Iterator[Outcome]:
    """`convert_many`, with `finish(result, position)` done where each page was converted.

    A worker process then sends back what `finish` returns, not the whole result, so work on a
    page's result that needs no other page (writing its files) is spread over the workers too.
    `finish` must pickle (a module-level function, or an instance of a module-level class).
    """
    pages = enumerate(sources)
    head = list(itertools.islice(pages, MIN_POOL_PAGES))
    if jobs <= 1 or len(head) < MIN_POOL_PAGES:
        for position, source in itertools.chain(head, pages):
            yield finish(_convert_one(source, settings=settings, stdin=stdin), position)
        return
    # Built before the pool forks, so each worker starts with the toolkit instead of building it.
    Toolkit.from_settings(settings)
    task = functools.partial(_convert_chunk, settings=settings, finish=finish, stdin=stdin)
    yield from ordered_map(task, itertools.chain(head, pages), jobs=jobs)


def _as_is(result: Result | Failure, position: int) -> Result | Failure:
    del position
    return result


def _convert_chunk(
    chunk: Iterable[tuple[int, Source]],
    settings: Settings,
    finish: Callable[[Result | Failure, int], Outcome],
    stdin: bytes | None,
) -> list[Outcome]:
    return [
        finish(_convert_one(source, settings=settings, stdin=stdin), position)
        for position, source in chunk
    ]


def _convert_one(source: Source, *, settings: Settings, stdin: bytes | None) -> Result | Failure:
    source = replace(source, url=source.url or page_url_for(source, settings.site.base_url))
    try:
        if source.path == "-":
            data = stdin if stdin is not None else b""
        else:
            data = read_page_bytes(Path(source.path), max_bytes=settings.limits.max_page_bytes)
        return convert_source(data, source, settings, Toolkit.from_settings(settings))
    except SchemapressError as error:
        return Failure(source=source, message=str(error))
    except RecursionError:
        return Failure(source=source, message=f"{source.path}: the page nests too deeply to read")
    # A bug in one page's conversion must not stop the batch; it is reported for that page.
    except Exception as error:
        log.debug("internal error on %s", source.path, exc_info=True)
        return Failure(
            source=source,
            message=f"{source.path}: internal error ({type(error).__name__}: {error}); "
            "please report it with this page",
            rule="internal-error",
        )


VALIDATE_SUFFIXES: Final = frozenset({".jsonld", ".json", ".html", ".htm", ".xhtml"})


def validate_paths(
    paths: Iterable[os.PathLike[str] | str], *, checks: CheckConfig | None = None
) -> Iterator[tuple[str, Report]]:
    """Validate JSON-LD files and HTML pages (folders recursed, sorted), one Report per file."""
    from pipeline.validate import load_validators, validate_html, validate_json_text  # noqa: PLC0415

    checks = checks or CheckConfig()
    validators = load_validators()
    for given in paths:
        root = Path(given)
        files = (
            sorted(
                p
                for p in (Path(page) for _, page in _walk(root))
                if p.suffix.lower() in VALIDATE_SUFFIXES and not _is_aside(p)
            )
            if root.is_dir()
            else [root]
        )
        for path in files:
            name = path.as_posix()
            try:
                text = path.read_bytes().decode("utf-8-sig")
            except (OSError, UnicodeDecodeError) as error:
                finding = Finding(
                    rule="input.unreadable",
                    severity=Severity.ERROR,
                    message=f"cannot be read: {error}",
                    source=name,
                )
                yield name, sorted_report((finding,))
                continue
            if path.suffix.lower() in {".html", ".htm", ".xhtml"}:
                yield name, validate_html(text, source=name, checks=checks, toolkit=validators)
            else:
                yield name, validate_json_text(text, source=name, checks=checks, toolkit=validators)


def _is_aside(path: Path) -> bool:
    """Our outputs that carry no JSON-LD: the report, visible FAQ fragments, the preview page."""
    if path.name == "report.json" or path.name.endswith(".faq.html"):
        return True
    if path.suffix.lower() != ".html":
        return False
    from pipeline.emit.preview import is_preview_page  # noqa: PLC0415

    return is_preview_page(path)


def verify_page(
    page: os.PathLike[str] | bytes,
    *,
    expect: os.PathLike[str] | None = None,
    name: str = "-",
) -> Report:
    """Check a saved page (a path, or its bytes named `name`) for our block as pasted.

    `expect` is the `.jsonld` the block must equal; see `pipeline.verify` for the checks.
    Raises InputError when the page or the expected file cannot be read.
    """
    import json  # noqa: PLC0415

    from pipeline.verify import verify_html  # noqa: PLC0415

    if not isinstance(page, bytes):
        name = Path(page).as_posix()
        page = read_page_bytes(Path(page))
    expected = None
    if expect is not None:
        try:
            expected = json.loads(read_page_bytes(Path(expect)).decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise InputError(str(expect), f"not a JSON-LD file ({error})") from error
        if not isinstance(expected, dict):
            raise InputError(str(expect), "not a JSON-LD object", hint="give OUT/<page>.jsonld")
    return verify_html(page.decode("utf-8-sig", errors="replace"), source=name, expected=expected)
