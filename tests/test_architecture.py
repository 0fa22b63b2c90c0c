"""The layers hold: stages import only the model, errors, settings, shared helpers and themselves."""

from __future__ import annotations

import ast
import pickle
from pathlib import Path

from pipeline.api import convert

PACKAGE = Path(__file__).parents[1] / "pipeline"
STAGES = ("read", "clean", "analyse", "build", "validate", "emit", "report")
SHARED = {
    "pipeline.model",
    "pipeline.errors",
    "pipeline.settings",
    "pipeline.markup",
    "pipeline.limits",
    # The literal text a regex's matches start with: read once for analyse's matcher and clean.
    "pipeline.regex_literals",
}
# Crossings with a reason: the per-block JSON-LD extractor serves both the HTML reader and the
# page validator; the batch report renders JSON paths with the report layer's one function; SARIF
# describes each rule from the validator's rule table.
ALLOWED = {
    ("validate", "pipeline.read.jsonld"),
    ("emit", "pipeline.report.path"),
    ("report", "pipeline.validate.rules"),
}


def _stage_of(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    return relative.parts[0].removesuffix(".py")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("pipeline"):
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names if a.name.startswith("pipeline"))
    return names


def test_stages_import_only_shared_modules_and_themselves() -> None:
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        stage = _stage_of(path)
        if stage not in STAGES:
            continue
        for name in _imports(path):
            own = name == f"pipeline.{stage}" or name.startswith(f"pipeline.{stage}.")
            if not (own or name in SHARED or (stage, name) in ALLOWED):
                problems.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert problems == []


def test_the_cli_and_plugins_reach_the_stages_only_through_the_api() -> None:
    for shell in ("cli.py", "mkdocs_plugin.py"):
        path = PACKAGE / shell
        if not path.exists():
            continue
        stages = {
            n
            for n in _imports(path)
            if n.split(".")[1:2] in (["read"], ["clean"], ["analyse"], ["build"])
        }
        assert stages == set(), f"{shell} imports {stages}"


def test_results_pickle_for_worker_processes() -> None:
    result = convert("Willow Bark\nWillow bark eases pain, and people take it as a tea.\n")

    assert pickle.loads(pickle.dumps(result)) == result


def test_no_module_is_over_400_lines() -> None:
    long = {
        str(p.relative_to(PACKAGE)): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text("utf-8").splitlines())) > 400
    }
    assert long == {}
