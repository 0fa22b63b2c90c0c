"""The light tree must hold exactly what markdown-it's full parse gives, however it got there."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from pipeline.read import markdown_tree
from pipeline.read.markdown_tree import Node

if TYPE_CHECKING:
    from collections.abc import Sequence

    from markdown_it.token import Token

REFERENCE = MarkdownIt("commonmark").enable("table")
# Letters, the punctuation and spaces that decide CommonMark's flanking rules, and markup.
CHARS = st.sampled_from(
    [*"ab Z:.!?,()/-'\"\u00a0\u2019\u201c\u3000", "\n", "*", "_", "[", "]", "&", "<", "\\", "`"]
)
TEXT = st.text(CHARS, max_size=12)


def _reference(tokens: Sequence[Token]) -> list[Node]:
    """The tree of the full parse, every inline token read, nothing skipped: markdown-it's own."""
    return [_node(child) for child in SyntaxTreeNode(tokens).children]


def _node(tree: SyntaxTreeNode) -> Node:
    mapped = None if tree.map is None else list(tree.map)
    children = [_node(child) for child in tree.children]
    return Node(tree.type, tree.tag, mapped, tree.content, children)


def _expanded(nodes: list[Node]) -> list[Node]:
    """Plain inline content as the full parse gives it, for comparing."""
    for node in nodes:
        if node.plain:
            node.plain = False
            node.children = _reference(REFERENCE.parseInline(node.content, {})[0].children or [])
        _expanded(node.children)
    return nodes


@st.composite
def inline_content(draw: st.DrawFn) -> str:
    """The shapes read without the inline parser, their near misses, and anything else."""
    a, b = draw(TEXT), draw(TEXT)
    shape = draw(st.sampled_from(["**{a}**{b}", "*{a}*", "[{a}]({b})", "{a}**{b}**", "{a}"]))
    return shape.format(a=a, b=b)


@given(inline_content())
@settings(max_examples=1500, deadline=None)
def test_inline_nodes_are_those_of_the_full_parse(content: str) -> None:
    expected = _reference(REFERENCE.parseInline(content, {})[0].children or [])

    assert markdown_tree._inline(content, {}) == expected


@given(
    st.lists(
        st.one_of(
            inline_content(),
            st.sampled_from(
                [
                    "# H",
                    "- item",
                    "| a | b |\n|---|---|\n| c | d |",
                    "> quote",
                    "```\ncode\n```",
                    "    code",
                    "[ref]: /x",
                    "***",
                    "Title\n===",
                ]
            ),
        ),
        max_size=8,
    )
)
@settings(max_examples=400, deadline=None)
def test_a_page_parses_to_the_tree_of_the_full_parse(parts: list[str]) -> None:
    body = "\n\n".join(parts)
    expected = _reference(REFERENCE.parse(body, {}))

    assert _expanded(markdown_tree.parse(body)) == expected


def test_plain_inline_content_is_left_unparsed() -> None:
    (paragraph,) = markdown_tree.parse("Take it with food!\nNot at night.")

    assert paragraph.children[0].plain
    assert paragraph.children[0].children == []
