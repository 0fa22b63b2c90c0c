"""The files of one converted page: the JSON-LD, its paste-ready block(s) and the visible FAQ block.

Names are fixed so that a webmaster, a script and the preview page find the same file:
`<page>.jsonld`, `<page>.html` (or, with `split`, `<page>.medical-jsonld.html` and
`<page>.faq-jsonld.html`) and `<page>.faq.html`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Literal

from pipeline.emit.faq_html import faq_html
from pipeline.emit.script import script_block
from pipeline.emit.split import split_graph

if TYPE_CHECKING:
    from pipeline.model import JsonObject, Result
    from pipeline.settings import OutputConfig

OutputKind = Literal["jsonld", "html", "medical_html", "faq_jsonld_html", "faq_html"]
SUFFIXES: Final[dict[OutputKind, str]] = {
    "jsonld": ".jsonld",
    "html": ".html",
    "medical_html": ".medical-jsonld.html",
    "faq_jsonld_html": ".faq-jsonld.html",
    "faq_html": ".faq.html",
}
# The kinds a webmaster pastes into a page's <head> or a CMS field.
SNIPPET_KINDS: Final = frozenset({"html", "medical_html", "faq_jsonld_html"})


@dataclass(frozen=True, slots=True, kw_only=True)
class PageOutput:
    """One file to write for a page: its kind, a label for people, and its exact bytes."""

    kind: OutputKind
    label: str
    data: bytes

    @property
    def suffix(self) -> str:
        """The file name ending after the page's stem."""
        return SUFFIXES[self.kind]

    @property
    def is_snippet(self) -> bool:
        """Whether this is a block to paste (as opposed to data or a fragment to show)."""
        return self.kind in SNIPPET_KINDS


def page_outputs(result: Result, output: OutputConfig) -> tuple[PageOutput, ...]:
    """Return the page's files in a fixed order; the FAQ fragment only when it has questions."""
    document = result.graph.jsonld
    files = [PageOutput(kind="jsonld", label="JSON-LD", data=result.jsonld)]
    if output.split:
        parts = split_graph(document)
        blocks: list[tuple[OutputKind, str, JsonObject]] = [
            ("medical_html", "Medical block", parts.medical)
        ]
        if parts.faq is not None:
            blocks.append(("faq_jsonld_html", "FAQ block", parts.faq))
        files.extend(
            PageOutput(
                kind=kind,
                label=label,
                data=script_block(part, minify=output.minify, ascii_only=output.ascii).encode(),
            )
            for kind, label, part in blocks
        )
    else:
        files.append(PageOutput(kind="html", label="Snippet", data=result.snippet.encode()))
    fragment = faq_html(document)
    if fragment is not None:
        files.append(PageOutput(kind="faq_html", label="Visible FAQ block", data=fragment.encode()))
    return tuple(files)
