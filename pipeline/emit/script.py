"""The safe `<script type="application/ld+json">` block for embedding JSON-LD in HTML."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from pipeline.emit.jsonld import to_json

if TYPE_CHECKING:
    from collections.abc import Mapping

    from pipeline.model import JsonValue

MARKER: Final = "data-schemapress"
# Inside a script element only `</script`, `<!--` and `<script` change how HTML parses the text, but
# escaping every `<`, `>` and `&` leaves the data identical after JSON parsing and gives editors and
# entity rewriters nothing to touch; U+2028/2029 break older JavaScript string parsers.
_ESCAPES: Final = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def escape_for_script(json_text: str) -> str:
    """Escape JSON text so that no byte of it can end or change the enclosing script element."""
    return json_text.translate(_ESCAPES)


def script_block(
    document: Mapping[str, JsonValue],
    *,
    minify: bool = False,
    ascii_only: bool = False,
    marker: str = "",
) -> str:
    """Return the ready-to-paste block, marked with our attribute so reruns can find it."""
    body = escape_for_script(to_json(document, minify=minify, ascii_only=ascii_only))
    attribute = f' {MARKER}="{marker}"' if marker else f" {MARKER}"
    separator = "" if minify else "\n"
    return f'<script type="application/ld+json"{attribute}>{separator}{body}{separator}</script>\n'
