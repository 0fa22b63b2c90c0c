from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from pipeline.emit.script import script_block
from pipeline.emit.split import split_graph
from pipeline.verify import RULES, verify_html

if TYPE_CHECKING:
    from pipeline.model import JsonObject, Report

GRAPH: JsonObject = {
    "@context": "https://schema.org",
    "@graph": [
        {
            "@type": ["MedicalWebPage", "FAQPage"],
            "@id": "#webpage",
            "name": "Aspirin",
            "about": {"@id": "#drug-aspirin"},
            "mainEntity": [{"@id": "#faq-is-aspirin-safe"}],
        },
        {
            "@type": "Drug",
            "@id": "#drug-aspirin",
            "name": "Aspirin",
            "warning": "Do not give it to children under 16 </script> ever.",
        },
        {
            "@type": "Question",
            "@id": "#faq-is-aspirin-safe",
            "name": "Is aspirin safe?",
            "acceptedAnswer": {"@type": "Answer", "text": "<p>Mostly, in “small” doses.</p>"},
        },
    ],
}
SNIPPET = script_block(GRAPH)


def _page(head: str = "", body: str = "") -> str:
    return (
        "<!DOCTYPE html>\n<html>\n<head>\n<title>Aspirin</title>\n"
        f"{head}</head>\n<body>\n<h1>Aspirin</h1>\n{body}</body>\n</html>\n"
    )


def _rules(report: Report) -> list[str]:
    return [f.rule for f in report.findings]


def test_intact_block_in_head_has_no_findings() -> None:
    report = verify_html(_page(head=SNIPPET), source="page.html", expected=GRAPH)
    assert report.findings == ()
    assert report.checked_nodes == 3


def test_intact_block_in_body_passes_too() -> None:
    assert verify_html(_page(body=SNIPPET), source="p", expected=GRAPH).findings == ()


def test_minified_and_ascii_blocks_equal_the_expected_json() -> None:
    block = script_block(GRAPH, minify=True, ascii_only=True)
    assert verify_html(_page(head=block), source="p", expected=GRAPH).findings == ()


def test_quotes_turned_curly_are_caught() -> None:
    damaged = SNIPPET.replace('": "', "”: “").replace('",\n', "”,\n")
    report = verify_html(_page(head=damaged), source="p")
    assert _rules(report) == ["verify.curly-quotes"]
    assert report.exit_code() == 1
    assert "smart quotes" in (report.findings[0].hint or "")


def test_quote_entities_in_the_script_text_are_caught() -> None:
    body = SNIPPET.split(">", 1)[1].rsplit("</script>", 1)[0]
    damaged = SNIPPET.replace(body, body.replace('"', "&quot;"))
    report = verify_html(_page(head=damaged), source="p")
    assert _rules(report) == ["verify.entity-encoded"]
    assert "&quot;" in report.findings[0].message


def test_wordpress_texturized_quotes_as_numeric_entities_name_both_problems() -> None:
    damaged = SNIPPET.replace('"name": "Aspirin"', "&#8220;name&#8221;: &#8220;Aspirin&#8221;")
    report = verify_html(_page(head=damaged), source="p")
    assert sorted(_rules(report)) == ["verify.curly-quotes", "verify.entity-encoded"]


def test_a_truncated_block_is_caught() -> None:
    damaged = SNIPPET[: len(SNIPPET) // 2] + "\n</script>\n"
    report = verify_html(_page(head=damaged), source="p")
    assert _rules(report) == ["verify.truncated"]
    assert "--split" in (report.findings[0].hint or "")


def test_a_block_cut_off_without_its_closing_tag_is_caught() -> None:
    page = _page() + SNIPPET[:300]
    assert _rules(verify_html(page, source="p")) == ["verify.truncated"]


def test_the_block_pasted_twice_is_caught() -> None:
    report = verify_html(_page(head=SNIPPET, body=SNIPPET), source="p", expected=GRAPH)
    assert _rules(report) == ["verify.duplicated"]
    assert "lines 5, " in report.findings[0].message


def test_an_old_version_beside_the_new_one_is_a_duplicate() -> None:
    old = script_block({**GRAPH, "@graph": [{**GRAPH["@graph"][0], "name": "Old"}]})  # type: ignore[index, dict-item]
    report = verify_html(_page(head=old + SNIPPET), source="p")
    assert _rules(report) == ["verify.duplicated"]
    assert "#webpage" in report.findings[0].message


def test_a_literal_script_end_tag_breaking_out_is_caught() -> None:
    # An editor decoded our \u003c escapes; the </script> in the warning text ends the script.
    damaged = SNIPPET.replace("\\u003c", "<").replace("\\u003e", ">")
    report = verify_html(_page(head=damaged), source="p")
    assert _rules(report) == ["verify.script-breakout"]


def test_block_inside_a_comment_is_misplaced() -> None:
    report = verify_html(_page(head=f"<!--\n{SNIPPET}-->\n"), source="p")
    assert _rules(report) == ["verify.placement"]
    assert "comment" in report.findings[0].message


def test_block_inside_noscript_is_misplaced() -> None:
    report = verify_html(_page(body=f"<noscript>{SNIPPET}</noscript>"), source="p")
    assert _rules(report) == ["verify.placement"]
    assert "noscript" in report.findings[0].message


def test_block_shown_as_text_is_misplaced() -> None:
    escaped = SNIPPET.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    report = verify_html(_page(body=f"<p>{escaped}</p>"), source="p")
    assert _rules(report) == ["verify.placement"]
    assert "shown as text" in report.findings[0].message


def test_a_changed_type_attribute_is_caught() -> None:
    damaged = SNIPPET.replace('type="application/ld+json"', 'type="text/javascript"')
    assert _rules(verify_html(_page(head=damaged), source="p")) == ["verify.script-type"]


def test_stripped_marker_is_only_a_warning() -> None:
    damaged = SNIPPET.replace(" data-schemapress", "")
    report = verify_html(_page(head=damaged), source="p", expected=GRAPH)
    assert _rules(report) == ["verify.marker-missing"]
    assert report.exit_code() == 0
    assert report.exit_code(strict=True) == 1


def test_unmarked_block_is_recognised_by_its_page_node_without_expected() -> None:
    damaged = SNIPPET.replace(" data-schemapress", "")
    assert _rules(verify_html(_page(head=damaged), source="p")) == ["verify.marker-missing"]


def test_other_json_ld_on_the_page_is_not_ours() -> None:
    other = '<script type="application/ld+json">{"@type": "Organization", "name": "X"}</script>'
    report = verify_html(_page(head=other + SNIPPET), source="p", expected=GRAPH)
    assert report.findings == ()


def test_missing_block_is_reported() -> None:
    report = verify_html(_page(), source="p")
    assert _rules(report) == ["verify.missing"]


def test_a_changed_value_names_its_path() -> None:
    damaged = SNIPPET.replace('"name": "Is aspirin safe?"', '"name": "Is aspirin safe?!"')
    report = verify_html(_page(head=damaged), source="p", expected=GRAPH)
    assert _rules(report) == ["verify.changed"]
    assert "$.@graph[2].name" in report.findings[0].message


def test_split_blocks_together_are_intact() -> None:
    parts = split_graph(GRAPH)
    assert parts.faq is not None
    page = _page(head=script_block(parts.medical), body=script_block(parts.faq))
    assert verify_html(page, source="p", expected=GRAPH).findings == ()


def test_one_split_block_alone_misses_its_pair() -> None:
    parts = split_graph(GRAPH)
    report = verify_html(_page(head=script_block(parts.medical)), source="p", expected=GRAPH)
    assert _rules(report) == ["verify.part-missing"]
    assert "faq-jsonld.html" in (report.findings[0].hint or "")


@pytest.mark.parametrize("rule", sorted(RULES))
def test_every_rule_has_a_description(rule: str) -> None:
    assert rule.startswith("verify.")
    assert RULES[rule][1].endswith(".")
