"""Render a finding's path tuple as a JSON path (`$.@graph[2].acceptedAnswer.text`)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Sequence

_PLAIN_KEY: Final = re.compile(r"^[@A-Za-z_][A-Za-z0-9_@:-]*$")


def to_json_path(path: Sequence[str | int]) -> str:
    """Return the JSON path of a key/index tuple; odd keys are quoted (`$['a b']`)."""
    parts = ["$"]
    for part in path:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        elif _PLAIN_KEY.match(part):
            parts.append(f".{part}")
        else:
            escaped = part.replace("\\", "\\\\").replace("'", "\\'")
            parts.append(f"['{escaped}']")
    return "".join(parts)
