from __future__ import annotations

import ast
import re
from pathlib import Path

from pipeline.model import Severity
from pipeline.validate import LAYERS, RULES

VALIDATE = Path(__file__).parents[2] / "pipeline" / "validate"
RULE_ID = re.compile(r"^[a-z]+\.[a-z]+(?:-[a-z]+)*$")


def test_every_rule_id_is_layer_dot_kebab_case_with_a_description() -> None:
    for rule, (severity, description) in RULES.items():
        assert RULE_ID.match(rule), rule
        assert rule.partition(".")[0] in LAYERS
        assert isinstance(severity, Severity)
        assert description.endswith("."), rule


def test_every_rule_the_code_names_is_in_the_table() -> None:
    named = set()
    for path in VALIDATE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.keyword)
                and node.arg == "rule"
                and isinstance(node.value, ast.Constant)
            ):
                named.add(node.value.value)

    assert named
    assert named <= set(RULES)
