"""The script block survives an HTML parser whatever strings the graph holds."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hypothesis import given
from hypothesis import strategies as st

from pipeline.emit.script import script_block
from tests.property.test_pages import assert_one_script

if TYPE_CHECKING:
    from pipeline.model import JsonObject

_HOSTILE = st.sampled_from(
    ["</script>", "</SCRIPT >", "</script/>", "<!--<script>", "<!--", "-->", "]]>",
     "\u2028", "\u2029", "\x00", "\u200f", "<![CDATA[", "&lt;", "</style>", "<script>"]
)  # fmt: skip
STRINGS = st.lists(st.one_of(st.text(), _HOSTILE), max_size=6).map("".join)


@given(
    name=STRINGS,
    answer=STRINGS,
    minify=st.booleans(),
    ascii_only=st.booleans(),
)
def test_any_strings_stay_inside_one_script(
    name: str, answer: str, *, minify: bool, ascii_only: bool
) -> None:
    graph: JsonObject = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "Question", "@id": "#faq-x", "name": name, "acceptedAnswer": {"text": answer}}
        ],
    }
    block = script_block(graph, minify=minify, ascii_only=ascii_only)
    assert block.count("</") == 1
    assert_one_script(block, graph)
