"""markdown-it's tokens for a Markdown body as a light tree, with no work it can safely skip.

The tree has the shape of markdown-it's own `SyntaxTreeNode` tree, built for less. Block rules a
page cannot use are off, inline content without markup is left as text, and inline content in the
shapes pages use most (`**Dose:** 2 g`, `*Not medical advice.*`, `[Guide](/guide/)`) is read with
markdown-it's own delimiter and link scanners; everything else goes through its inline parser.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.link import link

if TYPE_CHECKING:
    from collections.abc import Sequence

    from markdown_it.token import Token
    from markdown_it.utils import EnvType

_PARSER: Final = MarkdownIt("commonmark").enable("table")
# Block rules and the text a page needs before each can apply: a page without it parses with the
# rule off, to the same tokens in fewer steps (tabs are spaces by now, so code needs four; a link
# reference definition's label ends `]:`).
_BLOCK_NEEDS: Final = {
    "table": ("|",), "fence": ("```", "~~~"), "blockquote": (">",), "html_block": ("<",),
    "reference": ("]:",), "heading": ("#",), "code": ("    ",),
}  # fmt: skip
# Rules a substring cannot rule out, and a line any use of each needs (`\r` ends a line too): a
# thematic break is three of one of `*-_` with only spaces and tabs between and after; a setext
# underline is a run of `=` or `-`, after nothing but indent or quote marks, to the line's end.
# Both open on a marker so the search skips to one; the lookbehind checks what precedes the run.
_LINE_NEEDS: Final = {
    "hr": re.compile(r"([*_-])[ \t]*\1[ \t]*\1[ \t]*(?:\r|$)", re.MULTILINE),
    "lheading": re.compile(r"([=-])(?<![^ \t>\r\n].)\1*[ \t]*(?:\r|$)", re.MULTILINE),
}
# Characters that start inline markup: escape, code, emphasis, link or image (`![` holds `[`),
# HTML, entity. Inline content without them parses to text and line breaks only.
_INLINE_MARKUP: Final = re.compile(r"[\\`*_\[<&]")
_PLAIN: Final = r"[^\\`*_\[\]<&\n]"
_STRONG_LEAD: Final = re.compile(rf"\*\*({_PLAIN}+)\*\*({_PLAIN}*)")
_EMPHASIS: Final = re.compile(rf"\*({_PLAIN}+)\*")
_LINK: Final = re.compile(rf"\[({_PLAIN}+)\]\({_PLAIN}+\)")


@dataclass(slots=True)
class Node:
    """An element as markdown-it's syntax tree gives it: type, tag, source lines and content."""

    type: str
    tag: str = ""
    map: list[int] | None = None
    content: str = ""
    children: list[Node] = field(default_factory=list)
    plain: bool = False  # inline content without markup, left unparsed


def parse(body: str) -> list[Node]:
    """Parse a Markdown body into its top-level block nodes."""
    env: EnvType = {}
    return _tree(_blocks_parser(_unused_rules(body)).parse(body, env), env)


def _unused_rules(body: str) -> frozenset[str]:
    """The block rules no line of the body can fire: trying them on every line finds nothing."""
    return frozenset(
        [rule for rule, needs in _BLOCK_NEEDS.items() if not any(n in body for n in needs)]
        + [rule for rule, line in _LINE_NEEDS.items() if not line.search(body)]
    )


@functools.cache
def _blocks_parser(unused: frozenset[str]) -> MarkdownIt:
    """The block parser without the rules a page cannot use, nor inline parsing (see `_tree`)."""
    return MarkdownIt("commonmark").enable("table").disable(["inline", "text_join", *unused])


def _tree(tokens: Sequence[Token], env: EnvType) -> list[Node]:
    """Nest opening and closing tokens; inline content with markup gets its inline nodes here.

    `env` holds the link reference definitions the block parse found.
    """
    root: list[Node] = []
    stack = [root]
    for token in tokens:
        if token.nesting < 0:
            stack.pop()
            continue
        kind = token.type.removesuffix("_open") if token.nesting else token.type
        node = Node(kind, token.tag, token.map, token.content)
        stack[-1].append(node)
        if token.nesting:
            stack.append(node.children)
        elif kind == "inline":
            node.plain = not _INLINE_MARKUP.search(token.content)
            node.children = [] if node.plain else _inline(token.content, env)
        elif token.children:
            node.children = _tree(token.children, env)
    return root


def _inline(content: str, env: EnvType) -> list[Node]:
    """Inline nodes of content with markup: a common shape read directly, anything else parsed.

    Each shape is plain text around its markers, and stands only where markdown-it's own
    scanners agree: the runs open and close (CommonMark's flanking rules), the link is one whole
    valid link.
    """
    if (match := _STRONG_LEAD.fullmatch(content)) and _pair(content, env, match.end(1)):
        strong = Node("strong", "strong", children=[Node("text", content=match[1])])
        return [Node("text"), strong, Node("text", content=match[2])]
    if (match := _EMPHASIS.fullmatch(content)) and _pair(content, env, match.end(1)):
        return [Node("em", "em", children=[Node("text", content=match[1])])]
    if match := _LINK.fullmatch(content):
        state = StateInline(content, _PARSER, env, [])
        if link(state, silent=True) and state.pos == len(content):
            return [Node("link", "a", children=[Node("text", content=match[1])])]
    return _tree(_PARSER.parseInline(content, env)[0].children or [], env)


def _pair(content: str, env: EnvType, closing: int) -> bool:
    """Whether the `*` run opening `content` can open and the one at `closing` can close."""
    state = StateInline(content, _PARSER, env, [])
    opens = state.scanDelims(0, canSplitWord=True).can_open
    return opens and state.scanDelims(closing, canSplitWord=True).can_close
