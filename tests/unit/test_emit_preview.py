from __future__ import annotations

import re

from pipeline.emit.preview import PreviewPage, PreviewSnippet, preview_parts
from pipeline.model import Finding, Severity

HOSTILE = '<script>alert("x")</script>'


def render_preview(pages: list[PreviewPage]) -> str:
    return "".join(preview_parts(pages))


def _page() -> PreviewPage:
    return PreviewPage(
        source=f"pages/{HOSTILE}.txt",
        name=f"{HOSTILE}.txt",
        status="ok",
        title=HOSTILE,
        findings=(
            Finding(rule="analyse.title-inferred", severity=Severity.WARNING, message=HOSTILE),
        ),
        snippets=(PreviewSnippet(label="Snippet", file="a.html", text=f"{HOSTILE}\n"),),
    )


def test_page_text_is_escaped_everywhere() -> None:
    html = render_preview([_page()])
    assert HOSTILE not in html
    assert html.count("<script>") == 1  # the preview's own script


def test_the_snippet_sits_escaped_in_a_read_only_text_area() -> None:
    html = render_preview([_page()])
    assert (
        '<textarea id="page-1-1" readonly spellcheck="false" wrap="off">\n'
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;\n</textarea>"
    ) in html


def test_nothing_is_loaded_from_anywhere() -> None:
    html = render_preview([_page()])
    assert not re.search(r"""\b(?:src|href)\s*=\s*(?!["']?#)""", html)
    assert "default-src 'none'" in html


def test_the_same_pages_give_the_same_bytes() -> None:
    assert render_preview([_page()]) == render_preview([_page()])


def test_a_large_batch_lists_every_page_but_details_only_the_first() -> None:
    from pipeline.api import convert  # noqa: PLC0415
    from pipeline.emit.preview import DETAIL_PAGES, preview_entry  # noqa: PLC0415

    result = convert("Is willow bark safe?\nWillow bark can cause stomach upset in some people.\n")
    detailed = preview_entry(result)
    plain = preview_entry(result, detail=False)
    html = render_preview([detailed] + [plain] * DETAIL_PAGES)

    assert plain.findings == detailed.findings
    assert (plain.snippets, plain.faq_html, plain.rows) == ((), None, ())
    assert html.count('class="page"') == DETAIL_PAGES + 1
    assert f"for the first {DETAIL_PAGES} pages" in html
