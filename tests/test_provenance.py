"""No text invented: every output text value is found in its source page or in config.

Exceptions, each named: derived questions (built from a template and the subject), inferred titles,
schema.org vocabulary values (types, audience, routes), and interacting drug names rewritten from a
description ("those for pain management" → "pain management medications"), whose words must all
still be on the page.
"""

from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path

import pytest

from pipeline.api import Toolkit, convert
from pipeline.settings import Settings, SiteConfig

ROOT = Path(__file__).parents[1]
SHARED = Path(os.environ.get("SCHEMAPRESS_SHARED", ROOT.parent / "shared"))
EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.*"))
REAL = sorted((SHARED / "realpages" / "pages").glob("*")) if (SHARED / "realpages").is_dir() else []
SITE = SiteConfig(
    url="https://herbs.example",
    name="Herb Notes",
    publisher_name="Herb Notes Ltd",
    reviewer="Dr Sam Roe",
)
VOCABULARY_KEYS = {
    "@context",
    "@type",
    "@id",
    "url",
    "inLanguage",
    "audienceType",
    "administrationRoute",
    "doseUnit",
    "doseValue",
}
# Dates are normalised to ISO 8601; their date part must still be on the page.
DATE_KEYS = {"datePublished", "dateModified", "lastReviewed"}
CONFIG_VALUES = {SITE.url, SITE.name, SITE.publisher_name, SITE.reviewer}


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(text)).strip().casefold()


def _page_text(page: Path) -> str:
    """The page as a reader could see it: Markdown marks and link targets gone, entities decoded."""
    data = page.read_bytes()
    raw = html.unescape(
        data.decode("latin-1" if b"iso-8859-1" in data[:4096].lower() else "utf-8", "replace")
    )
    raw = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", re.sub(r"<br\s*/?>", " ", raw))
    return _flat(re.sub(r"[*`#]+|(?<!\w)_+|_+(?!\w)", "", raw))


def _pieces(key: str, value: str) -> list[str]:
    """Sentences of a text; runs between tags of answer HTML; table cells rendered as items."""
    runs = re.split(r"<[^>]+>", value) if key == "text" else [value]
    pieces = [s for run in runs for s in re.split(r"(?<=[.!?;:])\s+", run)]
    cells = [c for piece in pieces for c in re.split(r";\s+", piece)]
    return [c.split(": ", 1)[1] if re.match(r"^[^:]{1,40}: ", c) else c for c in cells if c.strip()]


def _strings(node: object, key: str = "") -> list[tuple[str, str]]:
    if isinstance(node, str):
        return [(key, node)]
    if isinstance(node, list):
        return [pair for item in node for pair in _strings(item, key)]
    if isinstance(node, dict):
        return [
            pair for k, v in node.items() if k not in VOCABULARY_KEYS for pair in _strings(v, k)
        ]
    return []


@pytest.mark.parametrize("page", EXAMPLES + REAL, ids=[p.name for p in EXAMPLES + REAL])
def test_every_text_value_comes_from_the_page_or_config(page: Path, toolkit: Toolkit) -> None:
    result = convert(
        page, url="https://herbs.example/p/", config=Settings(site=SITE), toolkit=toolkit
    )
    analysis = result.analysis
    doc = analysis.document
    source = _page_text(page) + " " + _flat(doc.visible_text or "")
    allowed = {_flat(e.question) for e in analysis.faq if e.origin == "derived"}
    if analysis.title and analysis.title.inferred_by:
        allowed.add(_flat(analysis.title.text))
    allowed |= {_flat(v) for v in CONFIG_VALUES if v}
    interacting = {_flat(v.text) for v in analysis.interacting}
    graph = json.loads(result.jsonld)
    for key, value in _strings(graph):
        if _flat(value) in allowed:
            continue
        if key in DATE_KEYS:
            assert value[:10] in source or value[:4] in source, f"{key}: {value!r}"
            continue
        if _flat(value) in interacting:
            assert all(word in source for word in _flat(value).split()[:-1]), value
            continue
        for piece in _pieces(key, value):
            flat = _flat(piece).rstrip(":;").strip()
            assert flat in source, f"{key}: {piece!r} is not on the page"
