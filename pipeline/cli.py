"""The `schemapress` command: each command reads flags, calls the API once and prints the result."""

from __future__ import annotations

import functools
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TypeVar

import click

from pipeline.cli_options import load_settings_from_flags, run_options, settings_options
from pipeline.errors import ConfigError, SchemapressError
from pipeline.writer import EXIT_FINDINGS, EXIT_OK

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from pipeline.cache import Cache, CachedPage
    from pipeline.model import Report, Source
    from pipeline.page_writer import WrittenPage

EXIT_USAGE: Final = 2
_FORMATS: Final = ("text", "json", "sarif", "junit")
_T = TypeVar("_T")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

    try:
        return version("schemapress")
    except PackageNotFoundError:
        return "0+unknown"


class _Group(click.Group):
    """Turns our errors into one line on stderr with the right exit code; `--debug` shows more."""

    def invoke(self, ctx: click.Context) -> Any:  # noqa: ANN401
        try:
            return super().invoke(ctx)
        except ConfigError as error:
            raise click.UsageError(str(error)) from error
        except SchemapressError as error:
            if ctx.params.get("debug"):
                raise
            click.echo(f"error: {error}", err=True)
            ctx.exit(EXIT_USAGE)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="schemapress", prog_name="schemapress")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
def main(debug: bool) -> None:
    """Turn health and drug article pages into validated schema.org JSON-LD.

    Example: schemapress convert examples/ -o output/
    """


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "-o",
    "--out",
    default="output",
    show_default=True,
    help="Output folder, or - to print the snippet to stdout.",
)
@click.option("--url", help="Canonical URL of the page (one page only).")
@click.option(
    "--report",
    "report_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write report.json (default: OUT/report.json).",
)
@click.option("--minify", is_flag=True, default=None, help="Write the snippet on one line.")
@click.option("--ascii", is_flag=True, default=None, help="Write non-ASCII characters as \\uXXXX.")
@click.option(
    "--split",
    is_flag=True,
    default=None,
    help="Write the medical and FAQ JSON-LD as two blocks, for a CMS with two fields.",
)
@click.option(
    "--preview",
    is_flag=True,
    help="Write OUT/index.html, a preview of every page (always on for several pages).",
)
@run_options
@settings_options
@click.pass_context
def convert(
    ctx: click.Context,
    inputs: tuple[str, ...],
    out: str,
    url: str | None,
    report_file: Path | None,
    minify: bool | None,
    ascii: bool | None,  # noqa: A002 - the flag's name
    split: bool | None,
    preview: bool,
    jobs: int,
    check: bool,
    cache: bool,
    cache_dir: Path | None,
    config_file: Path | None,
    base_url: str | None,
    strict: bool | None,
    ignore: tuple[str, ...],
) -> None:
    """Convert pages (text, Markdown, HTML; files, folders or - for stdin) to JSON-LD.

    Example: schemapress convert pages/ -o output/ --base-url https://example.com/
    """
    from pipeline import api  # noqa: PLC0415
    from pipeline.page_writer import WriteMode  # noqa: PLC0415
    from pipeline.settings import CACHE_DIR_NAME  # noqa: PLC0415
    from pipeline.writer import Writer, claim_outputs, with_failures  # noqa: PLC0415

    settings = load_settings_from_flags(
        ctx,
        config_file,
        base_url=base_url,
        strict=strict,
        ignore=ignore,
        minify=minify,
        ascii=ascii,
        split=split,
        out=out,
    )
    sources = _sources(api.discover(inputs), url)
    if out == "-" and (preview or check):
        raise click.UsageError("--preview and --check work on files; give an output folder with -o")
    stdin = sys.stdin.buffer.read() if any(s.path == "-" for s in sources) else None
    with_preview = out != "-" and (preview or len(sources) > 1)
    store = _cache(
        cache_dir or Path(settings.output.out_dir) / CACHE_DIR_NAME,
        enabled=cache and out != "-",
        check=check,
        preview=with_preview,
    )
    workers = jobs or os.cpu_count() or 1
    mode = WriteMode(to_stdout=out == "-", preview=with_preview, check=check)
    writer = Writer(settings=settings, mode=mode, cache=store, echo=click.echo)
    total = len(sources)
    sources, collisions = (
        (sources, {}) if out == "-" else claim_outputs(sources, settings.output.out_dir)
    )
    finish = writer.page_writer  # run where each page is converted: it writes the page's files
    results: Iterator[WrittenPage | CachedPage] = with_failures(
        store.convert(sources, settings, finish, jobs=workers, stdin=stdin)
        if store
        else api.convert_each(sources, settings, finish, jobs=workers, stdin=stdin),
        collisions,
        finish,
    )
    del sources  # `results` holds the pages now; a cached run spools them instead of a list
    write_report = not check and (out != "-" or report_file is not None)
    try:
        for item in _progress(results, total):
            writer.add(item)
        if write_report:
            default = Path(settings.output.out_dir) / "report.json"
            writer.write_report(report_file or default, _version())
        if with_preview and not check:
            click.echo(f"preview: {writer.write_preview()}", err=True)
    except OSError as error:
        click.echo(f"error: {error.filename or 'output'}: cannot write: {error.strerror}", err=True)
        ctx.exit(EXIT_FINDINGS)
    finally:
        # Pages written before an interruption are recorded, so a rerun does not redo them.
        if store is not None:
            store.save()
    click.echo(writer.summary(), err=True)
    ctx.exit(writer.exit_code(strict=settings.check.strict))


def _sources(sources: list[Source], url: str | None) -> list[Source]:
    """Check the pages found against --url: it names exactly one page."""
    if not sources:
        raise click.UsageError("no pages found in the inputs (.txt, .md, .html)")
    if url and len(sources) != 1:
        raise click.UsageError("--url names one page; use --base-url for a batch")
    return [replace(sources[0], url=url)] if url else sources


def _progress(items: Iterator[_T], total: int, label: str = "converting") -> Iterator[_T]:
    """Show a progress bar on an interactive terminal only: none in CI or when piped."""
    if total < 2 or not sys.stderr.isatty() or os.environ.get("CI"):  # noqa: PLR2004
        yield from items
        return
    with click.progressbar(items, length=total, label=label, file=sys.stderr) as bar:
        yield from bar


def _cache(folder: Path, *, enabled: bool, check: bool, preview: bool) -> Cache | None:
    from pipeline.cache import Cache  # noqa: PLC0415

    return Cache(folder, read_only=check, preview=preview) if enabled else None


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(_FORMATS),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--ignore", multiple=True, help="Rule id (or layer) to leave out; repeatable.")
def validate(
    paths: tuple[Path, ...], output_format: str, strict: bool, ignore: tuple[str, ...]
) -> None:
    """Validate JSON-LD files (.jsonld, .json) and HTML pages, ours or anybody's.

    Example: schemapress validate output/ --format sarif > results.sarif
    """
    from pipeline import api  # noqa: PLC0415 - keeps --help free of the pipeline
    from pipeline.settings import CheckConfig  # noqa: PLC0415

    checks = CheckConfig(strict=strict, ignore=ignore)
    reports = list(api.validate_paths(paths, checks=checks))
    if not reports:
        raise click.UsageError("no .jsonld, .json or .html files found")
    click.echo(_formatter(output_format)(reports), nl=False)
    failed = any(report.exit_code(strict=strict) for _, report in reports)
    sys.exit(EXIT_FINDINGS if failed else EXIT_OK)


@main.command()
@click.argument(
    "page", type=click.Path(exists=True, dir_okay=False, allow_dash=True, path_type=Path)
)
@click.option(
    "--expect",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The page's OUT/<page>.jsonld; the block on the page must equal it.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(("text", "json")),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
def verify(page: Path, expect: Path | None, output_format: str, strict: bool) -> None:
    """Check a saved page (after the paste) for our block: intact, once, where it is read.

    Example: schemapress verify saved-page.html --expect output/kratom.jsonld
    """
    from pipeline import api  # noqa: PLC0415 - keeps --help free of the pipeline

    if str(page) == "-":
        report = api.verify_page(sys.stdin.buffer.read(), expect=expect, name="-")
    else:
        report = api.verify_page(page, expect=expect)
    click.echo(_formatter(output_format)([(page.as_posix(), report)]), nl=False)
    sys.exit(report.exit_code(strict=strict))


@main.command()
@click.argument("site_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--exclude",
    multiple=True,
    metavar="GLOB",
    help="Leave out pages whose path below SITE_DIR matches (a folder: all of it).",
)
@click.option(
    "--merge",
    is_flag=True,
    help="Give our page node the @id of a page node the page already carries.",
)
@click.option("--remove", is_flag=True, help="Take our blocks out, restoring each page exactly.")
@run_options
@settings_options
@click.pass_context
def inject(
    ctx: click.Context,
    site_dir: Path,
    exclude: tuple[str, ...],
    merge: bool,
    check: bool,
    remove: bool,
    jobs: int,
    cache: bool,
    cache_dir: Path | None,
    config_file: Path | None,
    base_url: str | None,
    strict: bool | None,
    ignore: tuple[str, ...],
) -> None:
    """Splice JSON-LD into each page of a built site (Hugo, Jekyll, Eleventy, MkDocs, Zensical).

    Example: schemapress inject public/ --base-url https://example.com/ --exclude 'tags/*'
    """
    from pipeline import injector  # noqa: PLC0415
    from pipeline.settings import CACHE_DIR_NAME  # noqa: PLC0415
    from pipeline.writer import InjectTally  # noqa: PLC0415

    if remove and merge:
        raise click.UsageError("--remove takes our blocks out; --merge does not go with it")
    settings = load_settings_from_flags(
        ctx, config_file, base_url=base_url, strict=strict, ignore=ignore
    )
    options = injector.InjectOptions(
        exclude=exclude,
        merge=merge,
        check=check,
        remove=remove,
        jobs=jobs or os.cpu_count() or 1,
        cache_dir=str(cache_dir or Path(CACHE_DIR_NAME)) if cache else None,
    )
    total = len(injector.site_pages(site_dir, exclude))
    if not total:
        raise click.UsageError(f"no .html pages found in {site_dir}")
    tally = InjectTally(check=check, remove=remove, echo=click.echo)
    outcomes = injector.inject_site(site_dir, settings, options=options)
    for outcome in _progress(outcomes, total, label="injecting"):
        tally.add(outcome)
    click.echo(tally.summary(), err=True)
    ctx.exit(tally.exit_code(strict=settings.check.strict))


def _formatter(name: str) -> Callable[[list[tuple[str, Report]]], str]:
    from pipeline.report import json, junit, sarif, text  # noqa: PLC0415

    formatters: dict[str, Callable[[list[tuple[str, Report]]], str]] = {
        "text": text.format_text,
        "json": json.format_json,
        "sarif": sarif.format_sarif,
        "junit": functools.partial(junit.format_junit),
    }
    return formatters[name]
