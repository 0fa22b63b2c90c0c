"""Named heuristics for the HTML reader: tag sets, chrome tokens and thresholds."""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Mapping

HEADING_TAGS: Final = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Elements whose content a reader never sees.
INVISIBLE_TAGS: Final = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "iframe",
        "object",
        "embed",
        "canvas",
        "head",
    }
)
# Site furniture by element type; the value is the kind that names the drop rule.
CHROME_TAGS: Final[dict[str, str]] = {
    "nav": "nav",
    "header": "header",
    "footer": "footer",
    "aside": "aside",
    "form": "form",
    "button": "form",
    "select": "form",
    "textarea": "form",
    "input": "form",
    "dialog": "promo",
    "figcaption": "caption",
}
# Tags that break text into blocks; anything else is inline unless it holds one of these.
BLOCK_TAGS: Final = frozenset(
    {
        *HEADING_TAGS,
        "address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dialog",
        "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "header",
        "hgroup", "hr", "html", "li", "main", "menu", "nav", "ol", "p", "pre", "section",
        "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
# Class and id tokens of site chrome, grouped by the kind that names the drop rule. A token matches
# whole (after splitting on punctuation and camelCase), so "nav" never matches "canvas".
CHROME_TOKENS: Final[dict[str, str]] = {
    **dict.fromkeys(("nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs"), "nav"),
    **dict.fromkeys(("skip", "topbar", "masthead", "pagination", "pager", "search"), "nav"),
    **dict.fromkeys(("share", "sharer", "sharing", "social", "socialshare", "print"), "share"),
    **dict.fromkeys(("related", "recommended", "recommendations", "teaser", "teasers"), "related"),
    **dict.fromkeys(("links", "popular", "trending"), "related"),
    **dict.fromkeys(("comment", "comments", "kommentar", "kommentare", "disqus"), "comments"),
    **dict.fromkeys(
        ("newsletter", "subscribe", "signup", "login", "promo", "popup", "modal"), "promo"
    ),
    **dict.fromkeys(("cookie", "cookies", "consent", "gdpr", "privacy"), "consent"),
    **dict.fromkeys(("sidebar", "rail"), "sidebar"),
    **dict.fromkeys(("footer", "copyright", "disclaimer"), "footer"),
    **dict.fromkeys(("byline", "author", "autor", "meta", "reviewed", "dateline"), "byline"),
    **dict.fromkeys(("toc",), "toc"),
    **dict.fromkeys(("ad", "ads", "adv", "advert", "advertisement", "adslot", "sponsor"), "ad"),
    **dict.fromkeys(("sponsored", "sponsors", "adblock", "dfp"), "ad"),
    **dict.fromkeys(("price", "rating", "stars", "cta", "btn", "button", "cart", "buy"), "shop"),
    **dict.fromkeys(("kicker", "eyebrow", "overline", "topline"), "kicker"),
    **dict.fromkeys(("credit", "credits", "caption"), "caption"),
}
# ARIA landmark roles of site chrome.
CHROME_ROLES: Final[dict[str, str]] = {
    "navigation": "nav",
    "banner": "header",
    "contentinfo": "footer",
    "complementary": "aside",
    "search": "form",
    "dialog": "promo",
    "alertdialog": "promo",
}
_CAMEL: Final = re.compile(r"(?<=[a-z])(?=[A-Z])")
_TOKEN_SPLIT: Final = re.compile(r"[^a-z0-9]+")
# The attributes `is_hidden` reads; most elements have none of them and need no closer look.
HIDING_ATTRIBUTES: Final = frozenset({"hidden", "aria-hidden", "type", "style"})
_HIDDEN_STYLE: Final = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# `<meta charset>` and `http-equiv="Content-Type" content="...; charset=..."` in the head.
CHARSET_SNIFF: Final = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE
)
CHARSET_SNIFF_BYTES: Final = 4096  # WebMD declares its charset at byte 2028, past the WHATWG 1024
XML_DECLARATION: Final = re.compile(r"^\s*<\?xml[^>]*\?>")

DROP_TEXT_CHARS: Final = 120
# A box with a heading and at least this many links, whose text is mostly link text, lists other
# pages (a news site's "more from" box measured 0.73; sections with linked terms stay under 0.3).
LINK_BOX_TAGS: Final = frozenset({"div", "section", "ul", "ol"})
LINK_BOX_MIN_LINKS: Final = 3
LINK_BOX_DENSITY: Final = 0.6
# A chrome-named element holding this share of the page's text is a page wrapper, not chrome
# ("content-with-sidebar", ASP.NET's page-wide <form>).
CHROME_MAX_SHARE: Final = 0.35
# A <main> or <article> must hold this share of the page's paragraph text to be trusted.
LANDMARK_MIN_SHARE: Final = 0.5
# Without landmarks, the main content is the smallest element holding this share of paragraph text.
DENSE_SHARE: Final = 0.8
# Text blocks shorter than this (after removing link text) are menu or card labels, not prose.
SUBSTANTIVE_CHARS: Final = 40
PROSE_TAGS: Final = frozenset({"p", "li", "dd", "td", "pre", "blockquote", "summary"})
# A paragraph that is one bold run this short is a heading on pages that have no <h*> sections.
PSEUDO_HEADING_MAX_WORDS: Final = 20
PSEUDO_HEADING_MAX_CHARS: Final = 160
# A bold line ending in a colon introduces the next block ("With the following result:"); one
# ending in a full stop or comma is emphasised prose.
PSEUDO_HEADING_BAD_ENDINGS: Final = (":", ".", ",", ";")
# lxml stops nesting at 256 levels; past this depth the walk stops descending and keeps the text.
MAX_WALK_DEPTH: Final = 200


def class_tokens(class_and_id: str) -> frozenset[str]:
    """Split class and id values into lower-case word tokens, camelCase and BEM included."""
    return frozenset(t for t in _TOKEN_SPLIT.split(_CAMEL.sub(" ", class_and_id).lower()) if t)


def chrome_kind_of_tokens(tokens: frozenset[str]) -> str | None:
    """Return the chrome kind a set of class tokens names, or None for content."""
    for token in sorted(tokens):
        kind = CHROME_TOKENS.get(token)
        if kind is not None:
            return kind
    return None


@functools.lru_cache(maxsize=4096)
def chrome_kind_of_names(class_and_id: str) -> str | None:
    """Return the chrome kind class and id values name; a site repeats them, so each reads once."""
    return chrome_kind_of_tokens(class_tokens(class_and_id))


def is_hidden(attributes: Mapping[str, str]) -> bool:
    """Say whether an element is hidden by attribute or inline style."""
    if "hidden" in attributes or attributes.get("aria-hidden", "").lower() == "true":
        return True
    if attributes.get("type", "").lower() == "hidden":
        return True
    return bool(_HIDDEN_STYLE.search(attributes.get("style", "")))


def is_pseudo_heading_text(text: str) -> bool:
    """Say whether a paragraph that is all bold reads as a heading rather than emphasis."""
    words = text.split()
    return (
        0 < len(words) <= PSEUDO_HEADING_MAX_WORDS
        and len(text) <= PSEUDO_HEADING_MAX_CHARS
        and not text.endswith(PSEUDO_HEADING_BAD_ENDINGS)
    )
