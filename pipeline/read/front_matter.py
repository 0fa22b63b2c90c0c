"""Front matter at the top of a Markdown page (YAML `---` or TOML `+++`) as PageMeta."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import yaml
from frontmatter.default_handlers import YAMLHandler

from pipeline.errors import InputError
from pipeline.model import PageMeta
from pipeline.read.encoding import collapse_spaces
from pipeline.read.html_meta import to_iso_date

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

# Keys each static-site generator uses for the same fact (Jekyll, Hugo, Astro, Eleventy, Wiki.js,
# schema.org names); the first key present wins and any later synonym stays in `extra`. A creation
# date stands in for the publication date only when nothing else gives one.
_TITLE: Final = ("title",)
_DESCRIPTION: Final = ("description", "summary", "excerpt")
_PUBLISHED: Final = (
    "datePublished",
    "date_published",
    "published",
    "pubDate",
    "publishDate",
    "publish_date",
    "date",
    "dateCreated",
    "date_created",
    "created",
)
_MODIFIED: Final = (
    "dateModified",
    "date_modified",
    "modified",
    "lastmod",
    "last_modified_at",
    "updated",
    "updatedDate",
    "last_updated",
)
_AUTHOR: Final = ("author", "authors")
_CANONICAL: Final = ("canonical_url", "canonical", "url", "permalink")
_LANGUAGE: Final = ("lang", "language", "locale")
_TAGS: Final = ("tags", "categories", "category", "keywords")
_TOML_LINE: Final = re.compile(r"\bline (\d+)")
# Deeper nesting than this carries no page fact, and the cap bounds YAML alias expansion.
_MAX_DEPTH: Final = 4
_DELIMITERS: Final = {"---": "yaml", "+++": "toml"}
_YAML_HINT: Final = (
    "check the indentation, and quote values that contain ': ' or start with '@', '*' or '['"
)


@dataclass(frozen=True, slots=True, kw_only=True)
class FrontMatter:
    """Page facts from the front matter, the Markdown after it, and how many lines it took."""

    meta: PageMeta
    body: str
    line_offset: int = 0


def split_front_matter(text: str, path: str) -> FrontMatter:
    """Parse leading front matter; text without a closing delimiter is all body.

    Raises InputError naming the line when the YAML or TOML does not parse.
    """
    lines = text.split("\n")
    syntax = _DELIMITERS.get(lines[0].rstrip())
    if syntax is None:
        return FrontMatter(meta=PageMeta(), body=text)
    closing = next(
        (index for index, line in enumerate(lines[1:], 1) if line.rstrip() == lines[0].rstrip()),
        None,
    )
    if closing is None:
        return FrontMatter(meta=PageMeta(), body=text)
    raw = "\n".join(lines[1:closing])
    data = _load_yaml(raw, path) if syntax == "yaml" else _load_toml(raw, path)
    if not isinstance(data, dict):
        # `---` around prose is a pair of thematic breaks, not metadata.
        return FrontMatter(meta=PageMeta(), body=text)
    return FrontMatter(
        meta=to_page_meta({str(key): value for key, value in data.items()}),
        body="\n".join(lines[closing + 1 :]),
        line_offset=closing + 1,
    )


def _load_yaml(raw: str, path: str) -> object:
    try:
        return YAMLHandler().load(raw)
    except ValueError:
        # An impossible date ("2024-13-45") fails in PyYAML's timestamp constructor; read every
        # value as text instead, and the date is left out as any other unreadable date is.
        return yaml.load(raw, Loader=yaml.BaseLoader)  # noqa: S506 - BaseLoader builds only str, list, dict
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 2 if mark is not None else None
        reason = error.problem or error.context or "invalid syntax"
        raise InputError(
            path, f"the YAML front matter does not parse: {reason}", line=line, hint=_YAML_HINT
        ) from error
    except yaml.YAMLError as error:
        raise InputError(
            path, f"the YAML front matter does not parse: {error}", line=1, hint=_YAML_HINT
        ) from error


def _load_toml(raw: str, path: str) -> object:
    try:
        return tomllib.loads(raw)
    except tomllib.TOMLDecodeError as error:
        # tomllib names the line only inside its message before Python 3.14.
        found = _TOML_LINE.search(str(error))
        raise InputError(
            path,
            f"the TOML front matter does not parse: {error}",
            line=int(found.group(1)) + 1 if found else None,
            hint="quote string values and write one key = value per line",
        ) from error


def to_page_meta(data: Mapping[str, object]) -> PageMeta:
    """Map known front-matter keys onto PageMeta; every other key goes to `extra` as text."""
    used = {key for key in _TAGS if key in data}
    title = _pick(data, _TITLE, used)
    description = _pick(data, _DESCRIPTION, used)
    published = _pick(data, _PUBLISHED, used, render=_date_text)
    modified = _pick(data, _MODIFIED, used, render=_date_text)
    author = _pick(data, _AUTHOR, used, render=_author_text)
    canonical_url = _pick(data, _CANONICAL, used)
    language = _pick(data, _LANGUAGE, used)
    return PageMeta(
        title=title,
        description=description,
        language=language,
        canonical_url=canonical_url,
        date_published=published,
        date_modified=modified,
        author=author,
        tags=_tags(data),
        extra=tuple(
            sorted((key, to_text(value)) for key, value in data.items() if key not in used)
        ),
    )


def _pick(
    data: Mapping[str, object],
    keys: tuple[str, ...],
    used: set[str],
    render: Callable[[object], str] | None = None,
) -> str | None:
    """Return the first non-empty value among synonyms and mark its key used.

    Booleans are skipped: Wiki.js writes `published: true`, which is a flag, not a date.
    """
    for key in keys:
        value = data.get(key)
        if value is None or isinstance(value, bool):  # every renderer gives "" for None
            continue
        text = (render or to_text)(value)
        if text:
            used.add(key)
            return text
    return None


def to_text(value: object, depth: int = 0) -> str:
    """Render a front-matter value as text: ISO 8601 dates, lists comma-joined, maps as `k: v`."""
    if depth > _MAX_DEPTH:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        pairs = sorted((str(key), to_text(item, depth + 1)) for key, item in value.items())
        return "; ".join(f"{key}: {text}" for key, text in pairs)
    if isinstance(value, list | tuple):
        return ", ".join(text for text in (to_text(item, depth + 1) for item in value) if text)
    return "" if value is None else collapse_spaces(str(value))


def _date_text(value: object) -> str:
    """Render a date as ISO 8601; a value that is no date stays out (`extra` keeps it)."""
    return to_iso_date(to_text(value)) or ""


def _author_text(value: object) -> str:
    """Render an author: a name, a `{name: ...}` map, or a list of either (names comma-joined)."""
    if isinstance(value, dict):
        return to_text(value.get("name"))
    if isinstance(value, list):
        return ", ".join(name for name in (_author_text(item) for item in value) if name)
    return to_text(value)


def _tags(data: Mapping[str, object]) -> tuple[str, ...]:
    """Tags, categories and keywords in that order, without repeats; a string is comma-separated."""
    tags: list[str] = []
    for key in _TAGS:
        value = data.get(key)
        items = value.split(",") if isinstance(value, str) else value
        if not isinstance(items, list):
            continue
        for item in items:
            tag = to_text(item)
            if tag and tag not in tags:
                tags.append(tag)
    return tuple(tags)
