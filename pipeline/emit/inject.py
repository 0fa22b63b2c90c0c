"""Splice our marked `<script>` block into an existing page as a string operation.

A page is never parsed into a tree and written back: every character outside our block stays as
it was, so `remove_block(inject(page, block)) == page` for any page `inject` accepts.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from pipeline.emit.script import MARKER
from pipeline.errors import InjectError

if TYPE_CHECKING:
    from collections.abc import Iterator

# `<!--` opens a comment; `<!`, `<?` and `</` without a letter open a bogus comment up to `>`.
_MARKUP: Final = re.compile(
    r"<(?:(?P<comment>!--)|(?P<bogus>[!?]|/(?![A-Za-z]))|(?P<slash>/?)(?P<name>[A-Za-z][^\s/>]*))"
)
# The rest of a tag after its name: attributes with quoted values that may hold `>`.
_ATTRIBUTES: Final = r"""(?:\s++|/|[^\s/>][^\s/>=]*+(?:\s*=\s*(?:"[^"]*+"|'[^']*+'|[^\s>]*+))?)*+"""
_TAG_REST: Final = re.compile(_ATTRIBUTES + ">")
_DOCTYPE: Final = "<!doctype"
_INDENT: Final = re.compile(r"[ \t]*")
_COMMENT_END: Final = re.compile(r"--!?>")
# Elements whose text is not markup: a `</head>` inside them is text, not the end of the head.
_RAW_TEXT: Final = frozenset(
    {
        "script",
        "style",
        "title",
        "textarea",
        "template",
        "noscript",
        "xmp",
        "iframe",
        "noembed",
        "noframes",
    }
)
# Text and whole tags that matter to nobody here, skipped in one regex call rather than tag by tag.
_SKIPPED: Final = re.compile(
    r"(?:[^<]++|<(?![!?/A-Za-z])|<(?!!|\?|/head[\s/>]|(?:"
    + "|".join(sorted(_RAW_TEXT | {"head", "body", "html"}))
    + r")[\s/>])/?[A-Za-z][^\s/>]*+"
    + _ATTRIBUTES
    + ">)*+",
    re.IGNORECASE,
)
_MARKER_VALUE: Final = re.compile(
    rf"""(?:^|\s){re.escape(MARKER)}\s*=\s*(?:"(?P<double>[^"]*)"|'(?P<single>[^']*)'|(?P<bare>[^\s>]*))""",
    re.IGNORECASE | re.ASCII,
)
# Attribute names are case-insensitive in ASCII only, as HTML parsers read them.
_MARKER_ATTRIBUTE: Final = re.compile(
    rf"(?:^|\s){re.escape(MARKER)}(?=[\s=/]|$)", re.IGNORECASE | re.ASCII
)
_BLOCK_SHAPE: Final = re.compile(r"\A<script\b(?P<attributes>[^>]*)>.*</script>\Z", re.DOTALL)
# A byte order mark of UTF-16 or UTF-32: such a page is not ASCII-compatible.
_WIDE_BOMS: Final = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")


@dataclass(frozen=True, slots=True, kw_only=True)
class _Tag:
    """A tag outside comments and raw text; for a raw-text element `end` is past its end tag."""

    name: str
    closing: bool
    start: int
    end: int
    attributes: str


@dataclass(frozen=True, slots=True)
class _Plan:
    """Where our blocks are (start, end of `</script>`) and where a new one would go."""

    blocks: tuple[tuple[int, int], ...]
    insert_at: int | None


def inject(html: str, block: str, *, page: str = "page") -> str:
    """Return the page with `block` in place of our marked block, or inserted before `</head>`.

    Without `</head>` the block goes after `<head>`, else before `<body>`, else after `<html>` or
    the doctype. The block takes the page's line ending and indentation. The same string comes back
    when the block is already there, so callers can skip the write. Raises InjectError when the
    text has none of those tags (a fragment, not a page).
    """
    shape = _BLOCK_SHAPE.match(block.strip())
    if shape is None or not _has_marker(shape.group("attributes")):
        raise ValueError(f"not a {MARKER} script block: {block[:60]!r}")
    plan = _plan(html)
    body = block.strip()
    if plan.blocks:
        start, end = plan.blocks[0]
        indent = _indent_before(html, start)
        updated = html[:start] + _format(body, indent, _line_ending(html, start)) + html[end:]
        return _without(updated, plan.blocks[1:], shift=len(updated) - len(html))
    if plan.insert_at is None:
        raise InjectError(
            page,
            "has no <html>, <head> or <body> tag, so it looks like a fragment, not a page",
            hint="leave it out with --exclude",
        )
    return _insert(html, body, plan.insert_at)


def remove_block(html: str) -> str:
    """Return the page without our marked blocks: the exact text it had before `inject`."""
    return _without(html, _plan(html).blocks, shift=0)


def has_block(html: str) -> bool:
    """Whether the page carries our marked block outside comments."""
    return bool(_plan(html).blocks)


def block_markers(html: str) -> tuple[str, ...]:
    """Return the marker value of each of our blocks (`""` for a bare marker), in page order.

    The value names who made a block: the site injector writes `data-schemapress="inject"`.
    """
    values = []
    for start, _ in _plan(html).blocks:
        tag = _MARKUP.match(html, start)
        rest = _TAG_REST.match(html, tag.end()) if tag else None
        found = _MARKER_VALUE.search(html, start, rest.end()) if rest else None
        values.append(next((v for v in found.groups() if v is not None), "") if found else "")
    return tuple(values)


def inject_bytes(data: bytes, block: str, *, page: str = "page") -> bytes:
    """`inject` on raw page bytes, keeping every byte outside the block whatever the charset.

    The block must be ASCII (`script_block(..., ascii_only=True)`): markup is found through a
    Latin-1 view of the bytes, which maps each byte to one character and back, and that works for
    every ASCII-compatible charset. Raises InjectError for UTF-16 and UTF-32 pages.
    """
    if not block.isascii():
        raise ValueError("a block injected into bytes must be ASCII (ascii_only=True)")
    return inject(_latin1_view(data, page), block, page=page).encode("latin-1")


def remove_block_bytes(data: bytes, *, page: str = "page") -> bytes:
    """`remove_block` on raw page bytes; see `inject_bytes`."""
    return remove_block(_latin1_view(data, page)).encode("latin-1")


def _latin1_view(data: bytes, page: str) -> str:
    if data.startswith(_WIDE_BOMS):
        raise InjectError(
            page,
            "is UTF-16 or UTF-32, which a byte-exact splice cannot handle",
            hint="re-encode the page as UTF-8 or leave it out with --exclude",
        )
    return data.decode("latin-1")


def _insert(html: str, body: str, at: int) -> str:
    """Insert on a line of its own where the page allows it, so removal can find the exact span."""
    line_start = html.rfind("\n", 0, at) + 1
    if not html[line_start:at].strip():
        ending = _line_ending(html, at)
        indent = _previous_indent(html, line_start) if line_start else html[line_start:at]
        return (
            html[:line_start] + indent + _format(body, indent, ending) + ending + html[line_start:]
        )
    following = _ending_at(html, at)
    if following:
        indent = _indent_at(html, at + len(following))
        return html[:at] + following + indent + _format(body, indent, following) + html[at:]
    return html[:at] + _format(body, "", _line_ending(html, at)) + html[at:]


def _without(html: str, blocks: tuple[tuple[int, int], ...], *, shift: int) -> str:
    """Remove blocks, and with each the indentation and line end that `_insert` gave it."""
    for start, end in reversed(blocks):
        start, end = start + shift, end + shift  # noqa: PLW2901 - offsets move after a replacement
        line_start = html.rfind("\n", 0, start) + 1
        ending = _ending_at(html, end)
        if ending and not html[line_start:start].strip():
            start, end = line_start, end + len(ending)  # noqa: PLW2901
        html = html[:start] + html[end:]
    return html


def _format(body: str, indent: str, ending: str) -> str:
    """Give the block the page's line ending, and indent its later lines like its first."""
    return body.replace("\r\n", "\n").replace("\n", ending + indent)


def _plan(html: str) -> _Plan:
    """Scan markup in order up to where both our block and the insertion point are known."""
    # In any case: a tool that upper-cases attribute names must not make a rerun add a second block.
    wanted = html.lower().count(MARKER)
    blocks: list[tuple[int, int]] = []
    spots: dict[str, int] = {}
    for tag in _tags(html):
        if tag.name == "script" and not tag.closing and _has_marker(tag.attributes):
            blocks.append((tag.start, tag.end))
        elif tag.closing:
            if tag.name == "head":
                spots.setdefault("</head", tag.start)
        elif tag.name in {"head", "html"}:
            spots.setdefault(tag.name, tag.end)
        elif tag.name == "body":
            spots.setdefault("body", tag.start)
        elif tag.name == "!doctype":
            spots.setdefault("!doctype", tag.end)
        settled = "</head" in spots or "body" in spots
        if settled and len(blocks) >= wanted:
            break
    at = next(
        (spots[k] for k in ("</head", "head", "body", "html", "!doctype") if k in spots), None
    )
    return _Plan(blocks=tuple(blocks), insert_at=at)


def _tags(html: str) -> Iterator[_Tag]:
    """Yield tags in order, skipping comments and the text of raw-text elements such as script."""
    position = 0
    while (found := _MARKUP.match(html, _end_of_skipped(html, position))) is not None:
        if found.group("comment"):
            position = _comment_end(html, found.end())
            continue
        if found.group("bogus"):
            close = html.find(">", found.end())
            end = len(html) if close < 0 else close + 1
            if html[found.start() : found.start() + len(_DOCTYPE)].lower() == _DOCTYPE:
                yield _Tag(
                    name="!doctype", closing=False, start=found.start(), end=end, attributes=""
                )
            position = end
            continue
        rest = _TAG_REST.match(html, found.end())
        if rest is None:
            return
        name, closing, end = found.group("name").lower(), bool(found.group("slash")), rest.end()
        if not closing and name in _RAW_TEXT:
            end_tag = _raw_text_end(name).search(html, end)
            end = len(html) if end_tag is None else end_tag.end()
        attributes = html[found.end() : rest.end() - 1]
        yield _Tag(name=name, closing=closing, start=found.start(), end=end, attributes=attributes)
        position = end


def _end_of_skipped(html: str, position: int) -> int:
    skipped = _SKIPPED.match(html, position)
    return skipped.end() if skipped else position


def _comment_end(html: str, after_open: int) -> int:
    """End of a comment: `<!-->` and `<!--->` are whole comments; unterminated runs to the end."""
    for abrupt in (">", "->"):
        if html.startswith(abrupt, after_open):
            return after_open + len(abrupt)
    close = _COMMENT_END.search(html, after_open)
    return len(html) if close is None else close.end()


@functools.cache
def _raw_text_end(name: str) -> re.Pattern[str]:
    return re.compile(rf"</{name}(?=[\s/>])[^>]*>", re.IGNORECASE)


def _has_marker(attributes: str) -> bool:
    return _MARKER_ATTRIBUTE.search(attributes) is not None


def _ending_at(html: str, at: int) -> str:
    """Return the line ending starting at `at`, or an empty string."""
    if html.startswith("\r\n", at):
        return "\r\n"
    return "\n" if html.startswith("\n", at) else ""


def _line_ending(html: str, at: int) -> str:
    """Return the line ending of the line before `at`, else the page's first one."""
    previous = html.rfind("\n", 0, at)
    if previous < 0:
        previous = html.find("\n")
    return "\r\n" if previous > 0 and html[previous - 1] == "\r" else "\n"


def _indent_before(html: str, at: int) -> str:
    """Return what precedes `at` on its line if that is only whitespace, else nothing."""
    before = html[html.rfind("\n", 0, at) + 1 : at]
    return "" if before.strip() else before


def _indent_at(html: str, line_start: int) -> str:
    """Return the indentation of the line starting at `line_start`."""
    found = _INDENT.match(html, line_start)
    return found.group() if found else ""


def _previous_indent(html: str, line_start: int) -> str:
    """Return the previous line's indentation, so the block lines up with its siblings."""
    return _indent_at(html, html.rfind("\n", 0, line_start - 1) + 1)
