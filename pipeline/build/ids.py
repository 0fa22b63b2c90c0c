"""Stable node ids from content, never from counters, so reordering a page changes no other id."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Final

_NON_WORD: Final = re.compile(r"[^\w]+")
_MAX_SLUG: Final = 60
_HASH_CHARS: Final = 6


def slug(text: str) -> str:
    """Lower-case words joined by hyphens; accents folded where ASCII has the letter."""
    folded = "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )
    words = _NON_WORD.sub("-", folded.casefold().replace("_", " ")).strip("-")
    if len(words) > _MAX_SLUG:
        words = words[:_MAX_SLUG].rsplit("-", 1)[0]
    return words or "x"


def short_hash(text: str) -> str:
    """A short, stable hash to tell apart two texts with the same slug."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:_HASH_CHARS]


def node_id_for(page_url: str | None, fragment: str) -> str:
    """`{url}#{fragment}`, or `#{fragment}` which resolves against the page it is pasted into."""
    return f"{page_url or ''}#{fragment}"
