"""Check a saved page after the paste: our JSON-LD block arrived intact, once, where it runs.

CMS editors damage pasted blocks in a few known ways: smart quotes, entity encoding, length limits
that cut the block, a second paste, a decoded `<` that lets `</script>` end the script early, and
rich-text fields that keep the markup only as text or a comment. Each gets its own `verify.*`
rule, a message and what to do about it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html import unescape as html_unescape
from typing import TYPE_CHECKING, Final

from pipeline.emit.script import MARKER
from pipeline.emit.split import split_graph
from pipeline.model import Finding, Severity, sorted_report
from pipeline.read.scripts import ScriptElement, find_scripts

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

    from pipeline.model import JsonValue, Report

_E, _W = Severity.ERROR, Severity.WARNING
RULES: Final[dict[str, tuple[Severity, str]]] = {
    "verify.missing": (_E, "No schemapress JSON-LD block is on the page."),
    "verify.placement": (
        _E,
        "The block sits where nothing reads it: a comment, <noscript>, <template>, or page text.",
    ),
    "verify.script-type": (_E, "The block's script type is no longer application/ld+json."),
    "verify.curly-quotes": (_E, "The JSON's quotes were turned into typographic quotes."),
    "verify.entity-encoded": (_E, "The script text was HTML-entity-encoded (&quot; and the like)."),
    "verify.truncated": (_E, "The block ends before its JSON does."),
    "verify.script-breakout": (_E, "A literal </script> in the JSON ended the script early."),
    "verify.invalid-json": (_E, "The block is not valid JSON for another reason."),
    "verify.duplicated": (_E, "The block, or another version of it, is on the page twice."),
    "verify.changed": (_E, "The block's JSON differs from the expected .jsonld."),
    "verify.part-missing": (_E, "One of the two --split blocks is on the page, the other is not."),
    "verify.marker-missing": (_W, "The data-schemapress attribute was removed from the block."),
}
_JSONLD: Final = "application/ld+json"
_ENTITY: Final = re.compile(r"&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]{1,7});", re.IGNORECASE)
_CURLY: Final = "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"
# A typographic quote next to JSON punctuation stands where a key or string quote was; inside
# a string value (“small” doses) it is the page's own text.
_STRUCTURAL_CURLY: Final = re.compile(rf"[{{\[,:]\s*[{_CURLY}]|[{_CURLY}]\s*[:,}}\]]")
_CLOSE_SCRIPT: Final = re.compile(r"</script", re.IGNORECASE)
# A breakout leaves the JSON's rest as page text up to the next </script>; a few are tried.
_BREAKOUT_TRIES: Final = 4
_QUOTE_CHARS: Final = 60
_PASTE_HINT: Final = (
    "paste the .html file into a field that keeps raw HTML (the theme's head, a Custom HTML "
    "block, a header-scripts setting), not into a rich-text editor"
)


@dataclass(frozen=True, slots=True, kw_only=True)
class _Problem:
    """A problem before it becomes a Finding: the rule, what happened, what to do, and where."""

    rule: str
    message: str
    hint: str
    line: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class _Block:
    """One of our blocks on the page; `data` is set when its text parses as JSON."""

    script: ScriptElement
    data: JsonValue = None
    parsed: bool = False


def verify_html(
    html: str, *, source: str, expected: Mapping[str, JsonValue] | None = None
) -> Report:
    """Report every way our block(s) on a saved page differ from a clean paste.

    With `expected` (the `.jsonld` object), the JSON must equal it, or its two `--split` parts.
    """
    scripts = [s for s in find_scripts(html) if _is_ours(s, expected)]
    findings = list(_placement(scripts))
    live = [s for s in scripts if s.is_live]
    if not scripts:
        findings.append(_missing())
    blocks: list[_Block] = []
    for script in live:
        block, problems = _diagnose(script, html)
        findings.extend(problems)
        blocks.append(block)
    parsed = [b for b in blocks if b.parsed]
    findings.extend(_duplicates(blocks))
    if expected is not None and parsed:
        findings.extend(_compare(parsed, expected))
    findings.extend(_marker(s) for s in live if s.attribute(MARKER) is None)
    nodes = sum(len(_nodes(b.data)) for b in parsed)
    return sorted_report(tuple(_finding(p, source) for p in findings), checked_nodes=nodes)


def _finding(problem: _Problem, source: str) -> Finding:
    return Finding(
        rule=problem.rule,
        severity=RULES[problem.rule][0],
        message=problem.message,
        hint=problem.hint,
        line=problem.line,
        source=source,
    )


def _is_ours(script: ScriptElement, expected: Mapping[str, JsonValue] | None) -> bool:
    """Take marked blocks, and JSON-LD that looks like ours after a CMS dropped the marker."""
    if script.attribute(MARKER) is not None:
        return True
    kind = (script.attribute("type") or "").strip().lower()
    if kind != _JSONLD and script.is_live:
        return False
    text = script.text
    if expected is not None:
        ids = [n.get("@id") for n in _nodes(dict(expected)) if isinstance(n, dict)]
        return any(isinstance(i, str) and i in text for i in ids)
    return "#webpage" in text and ("MedicalWebPage" in text or "#faq-" in text)


def _missing() -> _Problem:
    return _Problem(
        rule="verify.missing",
        message="no schemapress JSON-LD block is on the page",
        hint="paste the page's .html file into its <head> (or <body>), then save the page again",
    )


_WHERE: Final = {
    "comment": "inside an HTML comment, so nothing reads it",
    "text": "shown as text on the page (its tags were entity-encoded), so it is not a script",
    "noscript": "inside <noscript>, which browsers and Google's renderer read as plain text",
    "template": "inside <template>, whose content is inert",
}


def _placement(scripts: Sequence[ScriptElement]) -> Iterator[_Problem]:
    for script in scripts:
        if not script.is_live:
            reason = _WHERE.get(script.container, f"inside <{script.container}>, as its text")
            yield _Problem(
                rule="verify.placement",
                message=f"the block is {reason}",
                hint=_PASTE_HINT,
                line=script.line,
            )
        elif (script.attribute("type") or "").strip().lower() != _JSONLD:
            found = script.attribute("type")
            yield _Problem(
                rule="verify.script-type",
                message=f'the block\'s type is "{found}", not {_JSONLD}, so nothing reads it '
                "as JSON-LD"
                if found
                else "the block lost its type attribute, so it runs as JavaScript",
                hint=f'restore type="{_JSONLD}" or paste the .html file again',
                line=script.line,
            )


def _diagnose(script: ScriptElement, html: str) -> tuple[_Block, list[_Problem]]:
    """Parse a block's text; when it fails, name the damage that explains it."""
    problems: list[_Problem] = []
    entities = sorted(set(_ENTITY.findall(script.text)))
    if entities:
        problems.append(
            _Problem(
                rule="verify.entity-encoded",
                message=f"the script text is HTML-entity-encoded ({', '.join(entities[:3])}); "
                "inside a script no entity is decoded, so the JSON reads them literally",
                hint=_PASTE_HINT + "; our block needs no encoding",
                line=script.line,
            )
        )
    try:
        data = json.loads(script.text)
    except json.JSONDecodeError as error:
        problems.extend(_parse_problems(script, html, error, encoded=bool(entities)))
        return _Block(script=script), problems
    return _Block(script=script, data=data, parsed=True), problems


def _parse_problems(
    script: ScriptElement, html: str, error: json.JSONDecodeError, *, encoded: bool
) -> Iterator[_Problem]:
    """Name the damage that keeps the text from parsing; entity encoding explains all it covers."""
    text, line = script.text, script.line
    unescaped = html_unescape(text)
    curly = sorted(set(unescaped) & set(_CURLY)) if _STRUCTURAL_CURLY.search(unescaped) else []
    depth = _open_depth(text)
    if curly:
        yield _Problem(
            rule="verify.curly-quotes",
            message=f"the JSON's quotes were turned into typographic quotes ({' '.join(curly)}), "
            "so it no longer parses",
            hint=f"turn off smart quotes for this field; {_PASTE_HINT}",
            line=line,
        )
    elif encoded:
        return
    elif _breaks_out(script, html):
        yield _Problem(
            rule="verify.script-breakout",
            message="a literal </script> inside the JSON ended the script early; the rest of "
            "the JSON is now page text",
            hint="something decoded our \\u003c escapes (an editor or minifier); paste the "
            ".html file as written, into a field that leaves it alone",
            line=line,
        )
    elif depth:
        yield _Problem(
            rule="verify.truncated",
            message=f"the block ends before its JSON does ({depth} bracket(s) or a string "
            "left open)",
            hint="paste the whole file; if the field has a length limit, convert with "
            "--minify, or with --split to paste two shorter blocks",
            line=line,
        )
    else:
        yield _Problem(
            rule="verify.invalid-json",
            message=f"the block is not valid JSON: {error.msg} at line {error.lineno} "
            f"column {error.colno}",
            hint="paste the .html file again",
            line=line,
        )


def _breaks_out(script: ScriptElement, html: str) -> bool:
    """Whether the text up to a later `</script>` completes the JSON."""
    if script.offset < 0:
        return False
    start = script.offset
    end = start + len(script.text)
    closes = _CLOSE_SCRIPT.finditer(html, end + 1)
    for _, match in zip(range(_BREAKOUT_TRIES), closes, strict=False):
        try:
            json.loads(html[start : match.start()])
        except json.JSONDecodeError:
            continue
        return True
    return False


def _open_depth(text: str) -> int:
    """Brackets still open at the end of the text, plus one for an unclosed string."""
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
    return max(depth, 0) + in_string


def _duplicates(blocks: Sequence[_Block]) -> Iterator[_Problem]:
    """Find the same block twice, or two blocks that describe the same node the same way."""
    described: dict[tuple[str, tuple[str, ...]], _Block] = {}
    for index, block in enumerate(blocks):
        first = next((b for b in blocks[:index] if _same(b, block)), None)
        if first is not None:
            yield _duplicate(first, block, "the same block is on the page twice")
            continue
        for node_key in _node_keys(block.data):
            other = described.setdefault(node_key, block)
            if other is not block:
                yield _duplicate(
                    other,
                    block,
                    f"two different blocks both describe {node_key[0]}; an older version of "
                    "the block may still be on the page",
                )
                break


def _same(first: _Block, second: _Block) -> bool:
    if first.parsed and second.parsed:
        return first.data == second.data
    return first.script.text.strip() == second.script.text.strip()


def _duplicate(first: _Block, second: _Block, message: str) -> _Problem:
    lines = ", ".join(str(b.script.line) for b in (first, second) if b.script.line is not None)
    where = f" (lines {lines})" if lines else ""
    return _Problem(
        rule="verify.duplicated",
        message=message + where,
        hint="keep one block; with two, search engines see two descriptions of the page",
        line=second.script.line,
    )


def _compare(blocks: Sequence[_Block], expected: Mapping[str, JsonValue]) -> Iterator[_Problem]:
    """Check that each block equals the expected document or one of its split parts."""
    parts = split_graph(expected)
    targets: dict[str, JsonValue] = {"whole": dict(expected)}
    if parts.faq is not None:
        targets |= {"medical": parts.medical, "faq": parts.faq}
    matched: set[str] = set()
    for block in blocks:
        name = next((n for n, t in targets.items() if t == block.data), None)
        if name is not None:
            matched.add(name)
            continue
        path, want, got = _first_difference(_closest(targets, block.data), block.data, "$")
        yield _Problem(
            rule="verify.changed",
            message=f"the block's JSON differs from the expected at {path}: expected "
            f"{_quote(want)}, found {_quote(got)}",
            hint="paste the current .html file again; if the page changed, convert it again first",
            line=block.script.line,
        )
    if len(matched) == 1 and "whole" not in matched:
        present, missing = ("medical", "faq") if "medical" in matched else ("faq", "medical")
        yield _Problem(
            rule="verify.part-missing",
            message=f"the {present} block of a --split pair is on the page, the {missing} "
            "block is not",
            hint=f"paste the .{missing}-jsonld.html file too",
        )


def _closest(targets: Mapping[str, JsonValue], data: JsonValue) -> JsonValue:
    """Return the expected document or part that shares the most node ids with the block."""
    found = {key for key, _ in _node_keys(data)}
    return max(
        targets.values(), key=lambda target: len(found & {key for key, _ in _node_keys(target)})
    )


def _first_difference(
    want: JsonValue, got: JsonValue, path: str
) -> tuple[str, JsonValue, JsonValue]:
    if isinstance(want, dict) and isinstance(got, dict):
        for key in [*want, *(k for k in got if k not in want)]:
            if want.get(key) != got.get(key):
                return _first_difference(want.get(key), got.get(key), f"{path}.{key}")
    if isinstance(want, list) and isinstance(got, list) and len(want) == len(got):
        for index, (a, b) in enumerate(zip(want, got, strict=True)):
            if a != b:
                return _first_difference(a, b, f"{path}[{index}]")
    return path, want, got


def _quote(value: JsonValue) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict | list):
        return "an object" if isinstance(value, dict) else f"a list of {len(value)}"
    text = f'"{value}"' if isinstance(value, str) else str(value)
    return text if len(text) <= _QUOTE_CHARS else text[: _QUOTE_CHARS - 1] + "…"


def _marker(script: ScriptElement) -> _Problem:
    return _Problem(
        rule="verify.marker-missing",
        message=f"the {MARKER} attribute was removed; the block is read, but "
        "`schemapress inject` cannot find it to replace it",
        hint="allow data- attributes in the field, or delete this block before the next paste",
        line=script.line,
    )


def _nodes(data: JsonValue) -> list[JsonValue]:
    if isinstance(data, dict):
        graph = data.get("@graph")
        return graph if isinstance(graph, list) else [data]
    return data if isinstance(data, list) else []


def _node_keys(data: JsonValue) -> Iterator[tuple[str, tuple[str, ...]]]:
    for node in _nodes(data):
        if isinstance(node, dict) and isinstance(node.get("@id"), str):
            types = node.get("@type")
            listed = types if isinstance(types, list) else [types]
            yield str(node["@id"]), tuple(sorted(str(t) for t in listed))
