"""Option sets the commands share, and Settings from the flags a user actually passed."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from pipeline.settings import Settings


def settings_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options every command that converts pages shares, spelt the same everywhere."""
    options = [
        click.option(
            "--config",
            "config_file",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Settings file (default: schemapress.toml or [tool.schemapress] found upward).",
        ),
        click.option("--base-url", help="Give each page of a batch the URL BASE/<path>/."),
        click.option("--strict", is_flag=True, default=None, help="Fail on warnings too."),
        click.option(
            "--ignore", multiple=True, help="Rule id (or layer) to leave out; repeatable."
        ),
    ]
    return _stack(options, command)


def _stack(
    options: Sequence[Callable[[Callable[..., Any]], Callable[..., Any]]],
    command: Callable[..., Any],
) -> Callable[..., Any]:
    """Apply option decorators so that --help lists them in the order given."""
    for option in reversed(options):
        command = option(command)
    return command


def run_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """How a batch runs: check mode, workers and the cache; `convert` and `inject` share them."""
    options = [
        click.option(
            "--check",
            is_flag=True,
            help="Write nothing; list what would change and exit 1 if anything would.",
        ),
        click.option(
            "-j",
            "--jobs",
            type=click.IntRange(min=0),
            default=0,
            help="Worker processes (default 0: one per core; small batches use one).",
        ),
        click.option(
            "--cache/--no-cache",
            default=True,
            show_default=True,
            help="Skip pages whose bytes, settings and tool are unchanged since the last run.",
        ),
        click.option(
            "--cache-dir",
            type=click.Path(file_okay=False, path_type=Path),
            help="Where the cache lives (convert: OUT/.schemapress-cache; "
            "inject: ./.schemapress-cache).",
        ),
    ]
    return _stack(options, command)


def load_settings_from_flags(
    ctx: click.Context,
    config_file: Path | None,
    **overrides: Any,  # noqa: ANN401 - one value per flag, of that flag's type
) -> Settings:
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
        if not str(passed["base_url"]).startswith(("http://", "https://")):
            raise click.BadParameter("must be an http(s) URL", param_hint="--base-url")
        site = replace(site, base_url=passed["base_url"])
    if "strict" in passed:
        check = replace(check, strict=bool(passed["strict"]))
    if passed.get("ignore"):
        check = replace(check, ignore=check.ignore + tuple(passed["ignore"]))
    changes: dict[str, Any] = {k: passed[k] for k in ("minify", "ascii", "split") if k in passed}
    if "out" in passed and passed["out"] != "-":
        changes["out_dir"] = str(passed["out"])
    output = replace(output, **changes)
    return replace(settings, site=site, output=output, check=check)
