"""The `schemapress` command: each command reads flags, calls the API once and prints the result."""

from __future__ import annotations

import functools
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TypeVar

import click

from pipeline.errors import ConfigError, SchemapressError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    from pipeline.api import InjectOutcome
    from pipeline.cache import Cache, CachedPage
    from pipeline.emit.outputs import PageOutput
    from pipeline.emit.preview import PreviewPage
    from pipeline.model import Failure, Report, Result
    from pipeline.settings import Settings

EXIT_OK: Final = 0
EXIT_FINDINGS: Final = 1
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


def _settings_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options every command that converts pages shares, spelt the same everywhere."""
    options = [
        click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path),
                     help="Settings file (default: schemapress.toml or [tool.schemapress] found upward)."),
        click.option("--base-url", help="Give each page of a batch the URL BASE/<path>/."),
        click.option("--strict", is_flag=True, default=None, help="Fail on warnings too."),
        click.option("--ignore", multiple=True, help="Rule id (or layer) to leave out; repeatable."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _load_settings(ctx: click.Context, config_file: Path | None, **overrides: Any) -> Settings:  # noqa: ANN401
    """Defaults < settings file < flags the user actually passed."""
    from pipeline.settings import load_settings  # noqa: PLC0415

    settings = load_settings(config_file)
    site, output, check = settings.site, settings.output, settings.check
    passed = {
        name: value
        for name, value in overrides.items()
        if ctx.get_parameter_source(name) is not click.core.ParameterSource.DEFAULT
    }
    if "base_url" in passed:
        site = replace(site, base_url=passed["base_url"])
    if "strict" in passed:
        check = replace(check, strict=bool(passed["strict"]))
    if passed.get("ignore"):
        check = replace(check, ignore=check.ignore + tuple(passed["ignore"]))
    output = replace(
        output,
        **{k: passed[k] for k in ("minify", "ascii", "split") if k in passed},
        **({"out_dir": str(passed["out"])} if "out" in passed and passed["out"] != "-" else {}),
    )
    return replace(settings, site=site, output=output, check=check)


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--out", default="output", show_default=True,
              help="Output folder, or - to print the snippet to stdout.")
@click.option("--url", help="Canonical URL of the page (one page only).")
@click.option("--report", "report_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write report.json (default: OUT/report.json).")
@click.option("--minify", is_flag=True, default=None, help="Write the snippet on one line.")
@click.option("--ascii", is_flag=True, default=None, help="Write non-ASCII characters as \\uXXXX.")
@click.option("--split", is_flag=True, default=None,
              help="Write the medical and FAQ JSON-LD as two blocks, for a CMS with two fields.")
@click.option("--preview", is_flag=True,
              help="Write OUT/index.html, a preview of every page (always on for several pages).")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0,
              help="Worker processes (default 0: one per core; small batches use one).")
@click.option("--check", is_flag=True,
              help="Write nothing; list the files that would change and exit 1 if any would.")
@click.option("--cache/--no-cache", default=True, show_default=True,
              help="Skip pages whose bytes, settings and tool are unchanged since the last run.")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where the cache lives (default: OUT/.schemapress-cache).")
@_settings_options
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

    settings = _load_settings(ctx, config_file, base_url=base_url, strict=strict, ignore=ignore,
                              minify=minify, ascii=ascii, split=split, out=out)
    sources = api.discover(inputs)
    if url and len(sources) != 1:
        raise click.UsageError("--url names one page; use --base-url for a batch")
    if url:
        sources = [replace(sources[0], url=url)]
    if not sources:
        raise click.UsageError("no pages found in the inputs (.txt, .md, .html)")
    stdin = sys.stdin.buffer.read() if any(s.path == "-" for s in sources) else None
    if preview and out == "-":
        raise click.UsageError("--preview writes OUT/index.html; give an output folder with -o")
    if check and out == "-":
        raise click.UsageError("--check compares the files in OUT; give an output folder with -o")
    with_preview = out != "-" and (preview or len(sources) > 1)
    store = _cache(cache_dir or Path(settings.output.out_dir) / ".schemapress-cache",
                   enabled=cache and out != "-", check=check, preview=with_preview)
    workers = jobs or os.cpu_count() or 1
    results: Iterator[Result | Failure | CachedPage] = (
        api.convert_cached(sources, settings, store, jobs=workers, stdin=stdin) if store
        else api.convert_many(sources, settings, jobs=workers, stdin=stdin)
    )
    writer = _Writer(settings=settings, to_stdout=out == "-", preview=with_preview, check=check,
                     cache=store)
    for item in _progress(results, len(sources)):
        writer.add(item)
    if (out != "-" or report_file) and not check:
        report_path = report_file or Path(settings.output.out_dir) / "report.json"
        writer.write_report(report_path, _version())
    if writer.previews is not None and not check:
        click.echo(f"preview: {writer.write_preview()}", err=True)
    click.echo(writer.summary(), err=True)
    ctx.exit(writer.exit_code(strict=settings.check.strict))


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


class _Writer:
    """Writes each page's files as results arrive and remembers the report rows."""

    def __init__(
        self,
        *,
        settings: Settings,
        to_stdout: bool,
        preview: bool = False,
        check: bool = False,
        cache: Cache | None = None,
    ) -> None:
        self.settings = settings
        self.to_stdout = to_stdout
        self.check = check
        self.cache = cache
        self.changed: list[str] = []
        self.previews: list[PreviewPage] | None = [] if preview else None
        self.written: set[Path] = set()
        self.pages: list[dict[str, Any]] = []
        self.counts = {"ok": 0, "invalid": 0, "failed": 0}
        self.reports: list[Report] = []

    def add(self, item: Result | Failure | CachedPage) -> None:
        from pipeline.cache import CachedPage  # noqa: PLC0415
        from pipeline.emit.report import page_entry  # noqa: PLC0415
        from pipeline.model import Failure  # noqa: PLC0415

        self.counts[item.status] += 1
        if isinstance(item, Failure):
            click.echo(f"error: {item.message}", err=True)
            self.pages.append(page_entry(item, {}))
            self._add_preview(item, ())
            return
        self.reports.append(item.report)
        for finding in item.report.errors:
            click.echo(f"{item.source.path}: error: {finding.message} [{finding.rule}]", err=True)
        if isinstance(item, CachedPage):
            self._add_cached(item)
            return
        from pipeline.emit.outputs import page_outputs  # noqa: PLC0415

        files = page_outputs(item, self.settings.output)
        if self.to_stdout:
            for file in files:
                if file.is_snippet:
                    click.echo(file.data.decode("utf-8"), nl=False)
            outputs: dict[str, str] = {}
        else:
            outputs = self._write(item, files)
        self.pages.append(page_entry(item, outputs))
        if self.cache is not None and outputs:
            self._remember(item, {outputs[file.kind]: file.data for file in files})

    def _add_cached(self, page: CachedPage) -> None:
        """Count a page the cache vouches for: its outputs on disk are what this run would write."""
        outputs = page.row.get("outputs")
        if isinstance(outputs, dict):
            self.written.update(Path(str(path)) for path in outputs.values())
        self.pages.append(page.row)
        if self.previews is not None and page.preview is not None:
            self.previews.append(page.preview)

    def _remember(self, result: Result, outputs: dict[str, bytes]) -> None:
        from pipeline.cache import CachedPage  # noqa: PLC0415

        if self.cache is not None:
            preview = self.previews[-1] if self.previews else None
            page = CachedPage(
                source=result.source, row=self.pages[-1], report=result.report, preview=preview
            )
            self.cache.record_page(page, outputs)

    def _write(self, result: Result, files: tuple[PageOutput, ...]) -> dict[str, str]:
        from pipeline.emit.files import output_path  # noqa: PLC0415

        out_dir = Path(self.settings.output.out_dir)
        written: dict[str, str] = {}
        named: list[tuple[PageOutput, str]] = []
        for file in files:
            path = output_path(out_dir, result.source.relative, file.suffix)
            self._put(path, file.data)
            self.written.add(path)
            written[file.kind] = path.as_posix()
            named.append((file, path.relative_to(out_dir).as_posix()))
        self._add_preview(result, named)
        return written

    def _put(self, path: Path, data: bytes) -> None:
        """Write a file; under --check, print its path instead if writing would change it."""
        from pipeline.emit.files import write_atomic  # noqa: PLC0415

        if not self.check:
            write_atomic(path, data)
            return
        try:
            unchanged = path.read_bytes() == data
        except OSError:
            unchanged = False
        if not unchanged:
            self.changed.append(path.as_posix())
            click.echo(path.as_posix())

    def _add_preview(self, item: Result | Failure, named: Sequence[tuple[PageOutput, str]]) -> None:
        from pipeline.emit.preview import preview_entry  # noqa: PLC0415

        if self.previews is not None:
            self.previews.append(preview_entry(item, named))

    def write_preview(self) -> str:
        """Write OUT/index.html, or a name no page output took, and return its path."""
        from pipeline.emit.files import write_atomic  # noqa: PLC0415
        from pipeline.emit.preview import render_preview  # noqa: PLC0415

        out_dir = Path(self.settings.output.out_dir)
        path = out_dir / "index.html"
        if path in self.written:
            path = out_dir / "schemapress-preview.html"
        write_atomic(path, render_preview(self.previews or []).encode("utf-8"))
        return path.as_posix()

    def write_report(self, path: Path, version: str) -> None:
        from pipeline.emit.files import write_atomic  # noqa: PLC0415
        from pipeline.emit.report import build_report, to_report_json  # noqa: PLC0415

        write_atomic(path, to_report_json(build_report(self.pages, version=version)))

    def summary(self) -> str:
        total = sum(self.counts.values())
        errors = sum(len(r.errors) for r in self.reports)
        warnings = sum(len(r.warnings) for r in self.reports)
        return (
            f"{total} page{'s' if total != 1 else ''}: {self.counts['ok']} ok, "
            f"{self.counts['invalid']} invalid, {self.counts['failed']} failed; "
            f"{errors} error{'s' if errors != 1 else ''}, "
            f"{warnings} warning{'s' if warnings != 1 else ''}"
        ) + (f"; {len(self.changed)} file{'s' if len(self.changed) != 1 else ''} would change"
             if self.check else "")

    def exit_code(self, *, strict: bool) -> int:
        if self.changed or self.counts["failed"] or any(
            r.exit_code(strict=strict) for r in self.reports
        ):
            return EXIT_FINDINGS
        return EXIT_OK


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "output_format", type=click.Choice(_FORMATS), default="text",
              show_default=True, help="Report format.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--ignore", multiple=True, help="Rule id (or layer) to leave out; repeatable.")
def validate(paths: tuple[Path, ...], output_format: str, strict: bool, ignore: tuple[str, ...]) -> None:
    """Validate JSON-LD files (.jsonld, .json) and HTML pages, ours or anybody's.

    Example: schemapress validate output/ --format sarif > results.sarif
    """
    from pipeline import api  # noqa: PLC0415
    from pipeline.settings import CheckConfig  # noqa: PLC0415

    checks = CheckConfig(strict=strict, ignore=ignore)
    reports = list(api.validate_paths(paths, checks=checks))
    if not reports:
        raise click.UsageError("no .jsonld, .json or .html files found")
    click.echo(_formatter(output_format)(reports), nl=False)
    failed = any(report.exit_code(strict=strict) for _, report in reports)
    sys.exit(EXIT_FINDINGS if failed else EXIT_OK)


@main.command()
@click.argument("page", type=click.Path(exists=True, dir_okay=False, allow_dash=True, path_type=Path))
@click.option("--expect", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The page's OUT/<page>.jsonld; the block on the page must equal it.")
@click.option("--format", "output_format", type=click.Choice(("text", "json")), default="text",
              show_default=True, help="Report format.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
def verify(page: Path, expect: Path | None, output_format: str, strict: bool) -> None:
    """Check a saved page (after the paste) for our block: intact, once, where it is read.

    Example: schemapress verify saved-page.html --expect output/kratom.jsonld
    """
    from pipeline import api  # noqa: PLC0415

    if str(page) == "-":
        report = api.verify_page(sys.stdin.buffer.read(), expect=expect, name="-")
    else:
        report = api.verify_page(page, expect=expect)
    click.echo(_formatter(output_format)([(page.as_posix(), report)]), nl=False)
    sys.exit(report.exit_code(strict=strict))


@main.command()
@click.argument("site_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--exclude", multiple=True, metavar="GLOB",
              help="Leave out pages whose path below SITE_DIR matches (a folder: all of it).")
@click.option("--merge", is_flag=True,
              help="Give our page node the @id of a page node the page already carries.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if any page would change.")
@click.option("--remove", is_flag=True, help="Take our blocks out, restoring each page exactly.")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=1, show_default=True,
              help="Worker processes (0: one per core).")
@click.option("--cache/--no-cache", default=True, show_default=True,
              help="Reuse the block of a page whose bytes, settings and tool are unchanged.")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where the cache lives (default: ./.schemapress-cache).")
@_settings_options
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
    from pipeline import api  # noqa: PLC0415
    from pipeline.cache import CACHE_DIR_NAME  # noqa: PLC0415

    if remove and merge:
        raise click.UsageError("--remove takes our blocks out; --merge does not go with it")
    settings = _load_settings(ctx, config_file, base_url=base_url, strict=strict, ignore=ignore)
    options = api.InjectOptions(
        exclude=exclude, merge=merge, check=check, remove=remove,
        jobs=jobs or os.cpu_count() or 1,
        cache_dir=str(cache_dir or Path(CACHE_DIR_NAME)) if cache else None,
    )
    total = len(api.site_pages(site_dir, exclude))
    if not total:
        raise click.UsageError(f"no .html pages found in {site_dir}")
    tally = _InjectTally(check=check, remove=remove)
    outcomes = api.inject_site(site_dir, settings, options=options)
    for outcome in _progress(outcomes, total, label="injecting"):
        tally.add(outcome)
    click.echo(tally.summary(), err=True)
    ctx.exit(tally.exit_code(strict=settings.check.strict))


class _InjectTally:
    """Counts page outcomes and reports failures, errors and injection warnings as they come."""

    def __init__(self, *, check: bool, remove: bool) -> None:
        self.check = check
        self.remove = remove
        self.counts = {"changed": 0, "unchanged": 0, "failed": 0}
        self.reports: list[Report] = []

    def add(self, outcome: InjectOutcome) -> None:
        self.counts[outcome.status] += 1
        self.reports.append(outcome.report)
        if outcome.message:
            click.echo(f"error: {outcome.message}", err=True)
        for finding in outcome.report.findings:
            if finding.severity.value == "error" or finding.rule.startswith("inject."):
                severity = finding.severity.value
                click.echo(f"{outcome.path}: {severity}: {finding.message} [{finding.rule}]",
                           err=True)
        if self.check and outcome.status == "changed":
            click.echo(outcome.path)

    def summary(self) -> str:
        total = sum(self.counts.values())
        errors = sum(len(r.errors) for r in self.reports)
        warnings = sum(len(r.warnings) for r in self.reports)
        verb = "would change" if self.check else "blocks removed" if self.remove else "changed"
        return (
            f"{total} page{'s' if total != 1 else ''}: {self.counts['changed']} {verb}, "
            f"{self.counts['unchanged']} unchanged, {self.counts['failed']} failed; "
            f"{errors} error{'s' if errors != 1 else ''}, "
            f"{warnings} warning{'s' if warnings != 1 else ''}"
        )

    def exit_code(self, *, strict: bool) -> int:
        failed = self.counts["failed"] or (self.check and self.counts["changed"])
        if failed or any(r.exit_code(strict=strict) for r in self.reports):
            return EXIT_FINDINGS
        return EXIT_OK


def _formatter(name: str) -> Callable[[list[tuple[str, Report]]], str]:
    from pipeline.report import json, junit, sarif, text  # noqa: PLC0415

    formatters: dict[str, Callable[[list[tuple[str, Report]]], str]] = {
        "text": text.format_text,
        "json": json.format_json,
        "sarif": sarif.format_sarif,
        "junit": functools.partial(junit.format_junit),
    }
    return formatters[name]
