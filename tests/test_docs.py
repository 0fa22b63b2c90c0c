"""Docs stay true: every command and option documented, every rule id listed, README commands run."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
import pytest

from pipeline.cli import main
from pipeline.validate import RULES

if TYPE_CHECKING:
    from types import ModuleType

ROOT = Path(__file__).parents[1]
README = (ROOT / "README.md").read_text("utf-8")
CLI_DOC = ROOT / "docs" / "cli.md"
RULES_DOC = ROOT / "docs" / "rules.md"


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _commands() -> dict[str, click.Command]:
    assert isinstance(main, click.Group)
    return dict(main.commands)


@pytest.mark.parametrize("name", sorted(_commands()))
def test_every_command_has_help_with_an_example_and_is_in_the_readme(name: str) -> None:
    command = _commands()[name]

    assert command.help
    assert "Example:" in command.help
    assert f"schemapress {name}" in README


@pytest.mark.parametrize(
    ("name", "option"),
    [
        (name, opt)
        for name, command in sorted(_commands().items())
        for param in command.params
        if isinstance(param, click.Option)
        for opt in param.opts
        if opt.startswith("--")
    ],
)
def test_every_option_has_help_and_is_documented(name: str, option: str) -> None:
    command = _commands()[name]
    param = next(p for p in command.params if option in p.opts)

    assert isinstance(param, click.Option)
    assert param.help
    assert option in CLI_DOC.read_text("utf-8")


def test_the_cli_reference_is_current() -> None:
    assert CLI_DOC.read_text("utf-8") == _script("cli_reference").reference(), (
        "docs/cli.md is stale: run python scripts/cli_reference.py"
    )


def _rule_ids_in_code() -> set[str]:
    ids: set[str] = set()
    for path in (ROOT / "pipeline").rglob("*.py"):
        text = path.read_text("utf-8")
        ids.update(re.findall(r"""rule\s*=\s*["']([a-z]+\.[a-z0-9-]+)["']""", text))
        ids.update(
            re.findall(
                r"""["']((?:analyse|build|clean|read|verify|inject|input)\.[a-z0-9-]+)["']""", text
            )
        )
    return ids


def test_every_rule_id_is_documented() -> None:
    documented = RULES_DOC.read_text("utf-8")
    missing = sorted(
        rule for rule in _rule_ids_in_code() | set(RULES) if f"`{rule}`" not in documented
    )
    assert missing == []


def test_the_rules_reference_is_current() -> None:
    assert RULES_DOC.read_text("utf-8") == _script("rules_reference").reference(), (
        "docs/rules.md is stale: run python scripts/rules_reference.py"
    )
