from __future__ import annotations

from pathlib import Path

import extruct
import pytest

from pipeline.read.jsonld import extract_blocks, unwrap_block, visible_text
from pipeline.validate import validate_html

FIXTURES = Path(__file__).parents[1] / "conformance" / "fixtures"


def _page(*bodies: str) -> str:
    scripts = "\n".join(f'<script type="application/ld+json">{body}</script>' for body in bodies)
    return f"<html><head>\n{scripts}\n</head><body><p>Hello</p></body></html>"


def test_each_block_is_parsed_alone_so_a_broken_one_hides_no_other() -> None:
    blocks = extract_blocks(_page('{"@type": "Drug",}', '{"@type": "Drug", "name": "x"}'))

    assert [block.error is None for block in blocks] == [False, True]
    assert [block.line for block in blocks] == [2, 3]
    assert blocks[1].data == {"@type": "Drug", "name": "x"}


@pytest.mark.parametrize(
    ("text", "repairs"),
    [
        ('<![CDATA[{"a": 1}]]>', ("cdata",)),
        ('//<![CDATA[\n{"a": 1}\n//]]>', ("cdata",)),
        ('<!--{"a": 1}-->', ("comment",)),
        ('{"a": 1};\n', ("trailing-semicolon",)),
    ],
)
def test_tolerated_wrappers_are_removed_and_named(text: str, repairs: tuple[str, ...]) -> None:
    (block,) = extract_blocks(_page(text))

    assert block.data == {"a": 1}
    assert block.repairs == repairs
    assert unwrap_block(text).repairs == repairs


def test_repaired_blocks_are_warnings_at_their_line() -> None:
    html = _page('<!--{"@context": "https://schema.org", "@type": "Drug", "name": "x"}-->')
    report = validate_html(html)

    assert [(f.rule, f.line) for f in report.findings] == [("html.jsonld-repaired", 2)]
    assert report.exit_code() == 0


def test_broken_block_is_an_error_and_the_good_block_is_still_checked() -> None:
    good = '{"@context": "https://schema.org", "@type": "Questionn"}'
    report = validate_html(_page('{"@type": "Drug",}', good), source="p.html")

    assert [(f.rule, f.line) for f in report.errors] == [
        ("json.syntax", 2),
        ("vocabulary.unknown-type", 3),
    ]
    assert report.checked_nodes == 1


def test_page_without_jsonld_warns() -> None:
    assert [f.rule for f in validate_html("<html><body>x</body></html>")] == ["html.no-jsonld"]


def test_references_resolve_across_blocks_of_one_page() -> None:
    site = (
        '{"@context": "https://schema.org", "@type": "WebSite", "@id": "https://ex.org/#website"}'
    )
    page = (
        '{"@context": "https://schema.org", "@type": "WebPage", "@id": "https://ex.org/#webpage",'
        ' "isPartOf": {"@id": "https://ex.org/#website"}}'
    )

    assert validate_html(_page(site, page)).findings == ()


def test_two_faq_pages_in_two_blocks_are_an_error() -> None:
    faq = (
        '{"@context": "https://schema.org", "@type": "FAQPage", "mainEntity": {"@type": "Question",'
        ' "name": "Hello", "acceptedAnswer": {"@type": "Answer", "text": "Hello"}}}'
    )
    report = validate_html(_page(faq, faq))

    assert [(f.rule, f.line) for f in report.errors] == [("content.multiple-faq-pages", 3)]


def test_visible_text_leaves_out_head_scripts_styles_and_hidden_elements() -> None:
    html = (
        "<html><head><title>T</title><style>p{}</style></head><body><p>Seen  here</p>"
        "<div hidden>secret</div><script>var x;</script><noscript>n</noscript></body></html>"
    )

    assert visible_text(html) == "Seen here"


@pytest.mark.parametrize(
    "name",
    [
        "faq-valid.html",
        "faq-graph.html",
        "faq-typearray.html",
        "drug-medical.html",
        "faq-mixed.html",
    ],
)
def test_blocks_match_extruct_on_well_formed_pages(name: str) -> None:
    html = (FIXTURES / name).read_text(encoding="utf-8")

    ours = [block.data for block in extract_blocks(html)]
    theirs = extruct.extract(html, syntaxes=["json-ld"], uniform=False)["json-ld"]

    assert ours == theirs
