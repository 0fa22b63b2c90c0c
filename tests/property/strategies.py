"""Page-shaped strategies: plain text, Markdown and HTML built from the shapes readers look for."""

from __future__ import annotations

import html

from hypothesis import strategies as st

# Characters that have tripped parsers or escaping: markup, quotes, line and paragraph separators,
# bidi marks, NUL and other controls, a lone surrogate's neighbours, emoji, combining marks.
_AWKWARD = (
    "<>&\"'`/\\#*_-=+:;?!.,()[]{}|~"
    "\u2028\u2029\u200e\u200f\u202e\x00\x0b\x1e\r\t\u00a0\u0301\U0001f48a"
)
_ALPHABET = st.characters(codec="utf-8", exclude_categories=["Cs"])
WORDS = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "Kratom",
                "aspirin",
                "side",
                "effects",
                "dose",
                "mg",
                "What",
                "is",
                "safe",
                "?",
                "</script>",
                "</SCRIPT >",
                "<!--<script>",
                "javascript:alert(1)",
                "Q:",
                "A:",
            ]
        ),
        st.text(_ALPHABET, min_size=1, max_size=12),
        st.text(st.sampled_from(_AWKWARD), min_size=1, max_size=4),
    ),
    min_size=1,
    max_size=14,
).map(" ".join)
SENTENCE = WORDS.map(lambda text: text[:1].upper() + text[1:] + ".")
QUESTION = WORDS.map(lambda text: text.strip().capitalize() + "?")


@st.composite
def text_pages(draw: st.DrawFn) -> str:
    """A plain-text page: bare-line headings, bullets, Q/A lines and paragraphs."""
    lines: list[str] = []
    for _ in range(draw(st.integers(0, 12))):
        kind = draw(st.sampled_from(["heading", "question", "bullet", "para", "qa", "blank"]))
        if kind == "heading":
            lines.append(draw(WORDS).title())
        elif kind == "question":
            lines.append(draw(QUESTION))
        elif kind == "bullet":
            lines.append(f"{draw(st.sampled_from(['-', '*', '1.', '•']))} {draw(WORDS)}")
        elif kind == "qa":
            lines.extend((f"Q: {draw(QUESTION)}", f"A: {draw(SENTENCE)}"))
        elif kind == "para":
            lines.append(draw(SENTENCE))
        else:
            lines.append("")
    return "\n".join(lines)


@st.composite
def markdown_pages(draw: st.DrawFn) -> str:  # noqa: C901 - one branch per block shape
    """A Markdown page: front matter, ATX and bold headings, lists, quotes, tables, code, HTML."""
    parts: list[str] = []
    if draw(st.booleans()):
        key = draw(st.sampled_from(["title", "description", "url", "slug", "date", "author"]))
        value = draw(WORDS).replace("\n", " ")
        parts.append(f"---\n{key}: {value!r}\n---")
    for _ in range(draw(st.integers(0, 10))):
        kind = draw(
            st.sampled_from(["h", "bold", "list", "quote", "table", "code", "html", "para", "q"])
        )
        if kind == "h":
            parts.append(f"{'#' * draw(st.integers(1, 6))} {draw(WORDS)}")
        elif kind == "bold":
            parts.append(f"**{draw(QUESTION)}**\n{draw(SENTENCE)}")
        elif kind == "list":
            items = draw(st.lists(WORDS, min_size=1, max_size=4))
            nest = draw(st.integers(0, 3))
            parts.append(
                "\n".join(f"{'  ' * (i % (nest + 1))}- {item}" for i, item in enumerate(items))
            )
        elif kind == "quote":
            parts.append(f"{'> ' * draw(st.integers(1, 4))}{draw(SENTENCE)}")
        elif kind == "table":
            parts.append(f"| a | b |\n|---|---|\n| {draw(WORDS)} | {draw(WORDS)} |")
        elif kind == "code":
            parts.append(f"```\n{draw(WORDS)}\n```")
        elif kind == "html":
            parts.append(f"<div>{draw(WORDS)}</div>")
        elif kind == "q":
            parts.append(f"[{draw(WORDS)}](javascript:alert(1)) {draw(QUESTION)}")
        else:
            parts.append(draw(SENTENCE))
    return "\n\n".join(parts)


@st.composite
def html_pages(draw: st.DrawFn) -> str:  # noqa: C901 - one branch per block shape
    """An HTML page: head metadata, headings, lists, details, scripts, links and nesting."""
    body: list[str] = []
    for _ in range(draw(st.integers(0, 10))):
        kind = draw(
            st.sampled_from(
                ["h", "p", "list", "details", "script", "link", "nest", "table", "raw", "faq"]
            )
        )
        text = html.escape(draw(WORDS), quote=False)
        if kind == "h":
            level = draw(st.integers(1, 6))
            body.append(f"<h{level}>{html.escape(draw(QUESTION), quote=False)}</h{level}>")
        elif kind == "p":
            body.append(f"<p>{html.escape(draw(SENTENCE), quote=False)}</p>")
        elif kind == "list":
            items = draw(st.lists(WORDS, min_size=1, max_size=4))
            body.append(
                "<ul>" + "".join(f"<li>{html.escape(i, quote=False)}</li>" for i in items) + "</ul>"
            )
        elif kind == "details":
            body.append(
                f"<details><summary>{html.escape(draw(QUESTION))}</summary><p>{text}</p></details>"
            )
        elif kind == "script":
            body.append(f"<script>{draw(WORDS)}</script>")
        elif kind == "link":
            body.append(f'<p><a href="javascript:alert(1)">{text}</a> {text}.</p>')
        elif kind == "nest":
            depth = draw(st.integers(1, 40))
            body.append("<div>" * depth + text + "</div>" * depth)
        elif kind == "table":
            body.append(f"<table><tr><th>a</th></tr><tr><td>{text}</td></tr></table>")
        elif kind == "faq":
            body.append(f"<h2>FAQ</h2><h3>{html.escape(draw(QUESTION))}</h3><p>{text}.</p>")
        else:
            body.append(draw(WORDS))
    title = html.escape(draw(WORDS))
    head = f"<title>{title}</title>" if draw(st.booleans()) else ""
    return f"<!doctype html><html><head>{head}</head><body>{''.join(body)}</body></html>"
