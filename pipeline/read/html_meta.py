"""Page metadata from an HTML page's `<head>`, `<time>` elements and embedded JSON-LD."""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Final
from urllib.parse import urljoin

import lxml.etree

from pipeline.model import PageMeta
from pipeline.read.encoding import collapse_spaces

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

    from lxml.etree import _Element as HtmlElement

    from pipeline.model import EmbeddedJsonLd, JsonValue

_TITLE_KEYS: Final = ("og:title", "twitter:title")
_DESCRIPTION_KEYS: Final = (
    "description",
    "og:description",
    "twitter:description",
    "dc.description",
)
_AUTHOR_KEYS: Final = ("author", "article:author", "dc.creator", "byl", "parsely-author")
_PUBLISHED_KEYS: Final = (
    "article:published_time",
    "datepublished",
    "og:published_time",
    "dc.date.issued",
    "dcterms.created",
    "publishdate",
    "pubdate",
    "date",
    "dc.date",
)
_MODIFIED_KEYS: Final = (
    "article:modified_time",
    "datemodified",
    "og:updated_time",
    "dcterms.modified",
    "last-modified",
)
# Site names follow the page title after one of these in `<title>` ("Page | Site").
_TITLE_SEPARATORS: Final = re.compile(r"\s+[|\u2013\u2014\u00b7-]\s+|\s+::\s+")
_LOCALE: Final = re.compile(r"^[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*$")
_MAX_JSONLD_DEPTH: Final = 8
# What `lxml.html` reads as an element's `text_content()`.
_TEXT_CONTENT: Final = lxml.etree.XPath("string()")


def meta_values(root: HtmlElement) -> dict[str, str]:
    """Return the first `content` of each `<meta>` by name, property, itemprop or http-equiv."""
    values: dict[str, str] = {}
    for meta in root.iter("meta"):
        # A quote in an attribute's name means the tag's quoting broke (`content="a "b" c"`):
        # its content stops at the stray quote, so it is not read at all. (`meta.keys()` are the
        # attribute names; iterating an element gives its children.)
        if any('"' in name or "'" in name for name in meta.keys()):  # noqa: SIM118
            continue
        key = next(
            (meta.get(a) for a in ("property", "name", "itemprop", "http-equiv") if meta.get(a)),
            None,
        )
        content = collapse_spaces(meta.get("content") or "")
        if key and content:
            values.setdefault(key.strip().lower(), content)
    return values


def head_titles(root: HtmlElement, metas: Mapping[str, str]) -> tuple[str, ...]:
    """Return the titles the head declares: Open Graph and Twitter first, then `<title>`."""
    titles = [metas[key] for key in _TITLE_KEYS if key in metas]
    element = next(root.iterdescendants("title"), None)
    if element is not None:
        titles.append(collapse_spaces(str(_TEXT_CONTENT(element))))
    return tuple(t for t in titles if t)


def title_segments(title: str) -> tuple[str, ...]:
    """Split `Page | Site` into its parts, the whole title first."""
    parts = [p.strip() for p in _TITLE_SEPARATORS.split(title)]
    return (title, *(p for p in parts if p and p != title))


def read_meta(
    root: HtmlElement,
    metas: Mapping[str, str],
    jsonld: Sequence[EmbeddedJsonLd],
    base_url: str | None,
) -> PageMeta:
    """Return the page's metadata but its title, each field from the first source that has it."""
    nodes = tuple(_jsonld_nodes(jsonld))
    published = [*_lookup(metas, _PUBLISHED_KEYS), *_jsonld_values(nodes, "datePublished")]
    modified = [*_lookup(metas, _MODIFIED_KEYS), *_jsonld_values(nodes, "dateModified")]
    return PageMeta(
        description=_first(metas, _DESCRIPTION_KEYS),
        language=_language(root, metas),
        canonical_url=_canonical(root, metas, base_url),
        date_published=_first_date([*published, *_times(root)]),
        date_modified=_first_date(modified),
        author=_author(metas, nodes),
    )


def _first(metas: Mapping[str, str], keys: Sequence[str]) -> str | None:
    return next(iter(_lookup(metas, keys)), None)


def _lookup(metas: Mapping[str, str], keys: Sequence[str]) -> list[str]:
    return [metas[key] for key in keys if key in metas]


def _language(root: HtmlElement, metas: Mapping[str, str]) -> str | None:
    candidates = [
        root.get("lang"),
        root.get("{http://www.w3.org/XML/1998/namespace}lang"),
        root.get("xml:lang"),
        metas.get("content-language"),
        metas.get("og:locale"),
    ]
    for candidate in candidates:
        value = (candidate or "").split(",")[0].strip()
        if _LOCALE.match(value):
            return value.replace("_", "-")
    return None


def _canonical(root: HtmlElement, metas: Mapping[str, str], base_url: str | None) -> str | None:
    links = [
        link.get("href", "").strip()
        for link in root.iter("link")
        if "canonical" in (link.get("rel") or "").lower().split()
    ]
    url = next((href for href in links if href), None) or metas.get("og:url")
    if url is None:
        return None
    return urljoin(base_url, url) if base_url else url


def _times(root: HtmlElement) -> Iterator[str]:
    for time in root.iter("time"):
        value = time.get("datetime")
        if value:
            yield value


def _first_date(candidates: Sequence[str]) -> str | None:
    """Return the first candidate that parses as a date, as ISO 8601."""
    for candidate in candidates:
        iso = to_iso_date(candidate)
        if iso is not None:
            return iso
    return None


def to_iso_date(text: str) -> str | None:
    """Read an ISO 8601 or RFC 2822 date (as `<meta name=date>` often holds) and return ISO 8601.

    A date without a time stays a date: midnight would claim a precision the page never gave.
    """
    text = text.strip()
    parsers = (date.fromisoformat, datetime.fromisoformat, parsedate_to_datetime)
    for parse in parsers:
        try:
            return parse(text).isoformat()
        except (TypeError, ValueError, IndexError):
            continue
    return None


def _author(metas: Mapping[str, str], nodes: Sequence[Mapping[str, JsonValue]]) -> str | None:
    for value in _lookup(metas, _AUTHOR_KEYS):
        if not value.lower().startswith(("http:", "https:", "www.")):
            return value
    for author in _jsonld_values(nodes, "author"):
        return author
    return None


def _jsonld_nodes(blocks: Sequence[EmbeddedJsonLd]) -> Iterator[Mapping[str, JsonValue]]:
    """Yield every JSON object in the embedded blocks, `@graph` members included."""
    stack: list[tuple[JsonValue, int]] = [(block.data, 0) for block in reversed(blocks)]
    while stack:
        value, depth = stack.pop()
        if depth > _MAX_JSONLD_DEPTH:
            continue
        if isinstance(value, list):
            stack.extend((item, depth + 1) for item in reversed(value))
        elif isinstance(value, dict):
            yield value
            graph = value.get("@graph")
            if graph is not None:
                stack.append((graph, depth + 1))


def _jsonld_values(nodes: Sequence[Mapping[str, JsonValue]], key: str) -> list[str]:
    """Return the string values of `key`, a person's or organisation's name standing for it."""
    found: list[str] = []
    for node in nodes:
        value = node.get(key)
        items = value if isinstance(value, list) else [value]
        for item in items:
            name = item.get("name") if isinstance(item, dict) else item
            if isinstance(name, str) and name.strip():
                found.append(collapse_spaces(name))
    return found
