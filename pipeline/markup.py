"""The one shared HTML helper: render answer blocks with only the tags search engines allow."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Final, assert_never

from pipeline.model import Block, BulletList, Paragraph, Table

if TYPE_CHECKING:
    from collections.abc import Iterable

# Google's list for FAQ answers: h1-h6, br, ol, ul, li, a, p, div, b, strong, i, em.
ALLOWED_ANSWER_TAGS: Final = frozenset(
    {
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "br",
        "ol",
        "ul",
        "li",
        "a",
        "p",
        "div",
        "b",
        "strong",
        "i",
        "em",
    }
)


def render_blocks(blocks: Iterable[Block]) -> str:
    """Render blocks as answer HTML: paragraphs, lists (labels in <strong>) and tables as lists.

    Text is escaped, so page text can never add a tag of its own.
    """
    return "".join(_render(block) for block in blocks)


def _render(block: Block) -> str:
    match block:
        case Paragraph(text=text):
            return f"<p>{html.escape(text, quote=False)}</p>"
        case BulletList(items=items, ordered=ordered):
            tag = "ol" if ordered else "ul"
            rendered = "".join(
                f"<li><strong>{html.escape(item.label, quote=False)}:</strong> "
                f"{html.escape(item.text, quote=False)}</li>"
                if item.label
                else f"<li>{html.escape(item.text, quote=False)}</li>"
                for item in items
            )
            return f"<{tag}>{rendered}</{tag}>"
        case Table(header=header, rows=rows):
            # Tables are not on the allowed list; each row becomes an item, cells named by header.
            lines: list[str] = []
            for row in rows:
                cells = [
                    f"{header[i]}: {cell}" if i < len(header) and header[i] else cell
                    for i, cell in enumerate(row)
                ]
                lines.append(f"<li>{html.escape('; '.join(cells), quote=False)}</li>")
            return f"<ul>{''.join(lines)}</ul>"
        case _:
            assert_never(block)
