from __future__ import annotations

from typing import TYPE_CHECKING, Any

import html5lib

from pipeline.emit.faq_html import CLASS_ITEM, faq_html, fragment_of
from pipeline.read.jsonld import visible_text
from pipeline.validate import validate_jsonld

if TYPE_CHECKING:
    from pipeline.api import Toolkit
    from pipeline.model import JsonObject


def _graph(base: str = "") -> Any:
    questions = [
        ("faq-is-it-safe", "Is it <safe> & sound?", "<p>Mostly &amp; rarely &lt; 1 in 100.</p>"),
        ("faq-how-much", "How much?", "<ul><li><strong>Adults:</strong> one tablet</li></ul>"),
    ]
    return {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": ["MedicalWebPage", "FAQPage"],
                "@id": f"{base}#webpage",
                # Listed in the reverse of graph order: the block follows mainEntity.
                "mainEntity": [{"@id": f"{base}#{q[0]}"} for q in reversed(questions)],
            },
            *(
                {
                    "@type": "Question",
                    "@id": f"{base}#{fragment}",
                    "name": name,
                    "acceptedAnswer": {"@type": "Answer", "text": answer},
                }
                for fragment, name, answer in questions
            ),
        ],
    }


def _items(fragment: str) -> list[Any]:
    root = html5lib.parse(fragment, treebuilder="etree", namespaceHTMLElements=False)
    return list(root.iter("details"))


def test_each_question_is_a_details_item_whose_id_is_the_question_fragment() -> None:
    fragment = faq_html(_graph("https://example.com/a/"))
    assert fragment is not None
    items = _items(fragment)
    assert [i.get("id") for i in items] == ["faq-how-much", "faq-is-it-safe"]
    assert all(i.get("class") == CLASS_ITEM for i in items)


def test_question_text_is_escaped_and_answer_html_is_kept_as_built() -> None:
    fragment = faq_html(_graph())
    assert fragment is not None
    assert "Is it &lt;safe&gt; &amp; sound?" in fragment
    assert "<p>Mostly &amp; rarely &lt; 1 in 100.</p>" in fragment
    assert "<ul><li><strong>Adults:</strong> one tablet</li></ul>" in fragment


def test_fragment_is_a_section_with_heading_and_stable_class_names() -> None:
    fragment = faq_html(_graph(), heading="Questions")
    assert fragment is not None
    assert fragment.startswith('<section class="schemapress-faq">\n')
    assert '<h2 class="schemapress-faq__heading">Questions</h2>' in fragment
    assert fragment.count('<summary class="schemapress-faq__question">') == 2
    assert fragment.count('<div class="schemapress-faq__answer">') == 2


def test_page_showing_the_fragment_passes_the_visibility_check(toolkit: Toolkit) -> None:
    graph = _graph()
    fragment = faq_html(graph)
    assert fragment is not None
    page_text = visible_text(f"<html><body>{fragment}</body></html>")
    report = validate_jsonld(graph, page_text=page_text, toolkit=toolkit.validators)
    assert [f.rule for f in report.findings if "visible" in f.rule] == []


def test_no_fragment_without_questions() -> None:
    graph: JsonObject = {
        "@context": "https://schema.org",
        "@graph": [{"@type": "MedicalWebPage", "@id": "#webpage"}],
    }
    assert faq_html(graph) is None


def test_fragment_of_an_id_is_the_part_after_the_hash() -> None:
    assert fragment_of("https://example.com/a/#faq-x") == "faq-x"
    assert fragment_of("#faq-x") == "faq-x"
    assert fragment_of("https://example.com/a/") is None
    assert fragment_of(None) is None
