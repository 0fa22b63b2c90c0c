"""Helpers every reader shares to turn lines of text into blocks."""

from __future__ import annotations

import re
from typing import Final

# `Label: text` bullets: a short label (at most eight words, no sentence end) before a colon.
_LABEL: Final = re.compile(r"^(?P<label>[^:.!?]{1,60}?)\s*:\s+(?P<text>\S.*)$", re.DOTALL)
_MAX_LABEL_WORDS: Final = 8


def split_label(text: str) -> tuple[str | None, str]:
    """Split `Label: text` into its label and text; return (None, text) when there is no label."""
    match = _LABEL.match(text) if ":" in text else None
    if not match:
        return None, text
    label = match.group("label").strip().strip("*_").strip()
    if (
        not label
        or len(label.split()) > _MAX_LABEL_WORDS
        or label.lower().startswith(("http", "www"))
    ):
        return None, text
    return label, match.group("text").strip()
