"""The safe `<script type="application/ld+json">` block for embedding JSON-LD in HTML."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from pipeline.emit.jsonld import jsonld_bytes, to_json

if TYPE_CHECKING:
    from collections.abc import Mapping

    from pipeline.model import JsonValue

MARKER: Final = "data-schemapress"
# Inside a script element only `</script`, `<!--` and `<script` change how HTML parses the text, but
# escaping every `<`, `>` and `&` leaves the data identical after JSON parsing and gives editors and
# entity rewriters nothing to touch; U+2028/2029 break older JavaScript string parsers.
_ESCAPES: Final = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


def escape_for_script(json_text: str) -> str:
    """Escape JSON text so that no byte of it can end or change the enclosing script element."""
    # One `replace` per character: `str.translate` with a dict costs ten times as much.
    for char, escape in _ESCAPES:
        json_text = json_text.replace(char, escape)
    return json_text


def script_block(
    document: Mapping[str, JsonValue],
    *,
    minify: bool = False,
    ascii_only: bool = False,
    marker: str = "",
) -> str:
    """Return the ready-to-paste block, marked with our attribute so reruns can find it."""
    return script_element(
        to_json(document, minify=minify, ascii_only=ascii_only), minify=minify, marker=marker
    )


def script_element(json_text: str, *, minify: bool = False, marker: str = "") -> str:
    """The block around JSON text already serialised by `to_json` with the same `minify`."""
    body = escape_for_script(json_text)
    attribute = f' {MARKER}="{marker}"' if marker else f" {MARKER}"
    separator = "" if minify else "\n"
    return f'<script type="application/ld+json"{attribute}>{separator}{body}{separator}</script>\n'


def page_outputs(
    document: Mapping[str, JsonValue], *, minify: bool = False, ascii_only: bool = False
) -> tuple[bytes, str]:
    """A page's `.jsonld` bytes and its snippet; the JSON is serialised once when both use it."""
    pretty = to_json(document)
    snippet = (
        pretty
        if not (minify or ascii_only)
        else to_json(document, minify=minify, ascii_only=ascii_only)
    )
    return jsonld_bytes(pretty), script_element(snippet, minify=minify)
