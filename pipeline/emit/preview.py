"""The preview page (`OUT/index.html`): every page of a run on one self-contained, offline page.

Its style and script are inlined and pinned by hash in a Content-Security-Policy that allows
nothing else, so opening it makes no network request. Every page-derived text is escaped; the
snippets sit in read-only text areas, where their own `<script>` tags are inert text. A page's
summary travels as JSON (`preview_json`) through the cache and a run's spool.
"""

from __future__ import annotations

import base64
import hashlib
import html
import tempfile
from dataclasses import dataclass
from importlib import resources
from string import Template
from typing import IO, TYPE_CHECKING, Final

from pipeline.emit.graph_table import GraphRow, graph_rows
from pipeline.model import Failure, Finding, Severity

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence
    from pathlib import Path

    from pipeline.emit.outputs import PageOutput
    from pipeline.model import JsonObject, JsonValue, Result

# The findings a webmaster must act on before the markup matches what readers see.
ACTION_RULES: Final = frozenset(
    {"analyse.title-inferred", "analyse.heading-body-mismatch", "analyse.questions-derived"}
)
_TEMPLATES: Final = "templates"
# The preview's <meta name="generator">, so `validate OUT/` knows the page is not one to check.
GENERATOR: Final = "schemapress preview"
_GENERATOR_TAG: Final = f'<meta name="generator" content="{GENERATOR}">'


# A preview of a whole site would be too large to build in memory or open in a browser; past this
# many pages it lists status and findings only (snippets average 5 KB, graph tables more).
DETAIL_PAGES: Final = 200


@dataclass(frozen=True, slots=True, kw_only=True)
class PreviewSnippet:
    """A block to paste: its label, the file it was written to, and its exact text."""

    label: str
    file: str
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PreviewPage:
    """What the preview shows of one page; a failed page has only its `message`."""

    source: str
    name: str
    status: str
    title: str | None = None
    message: str | None = None
    findings: tuple[Finding, ...] = ()
    snippets: tuple[PreviewSnippet, ...] = ()
    faq_html: str | None = None
    rows: tuple[GraphRow, ...] = ()
    questions: int = 0

    @property
    def actions(self) -> tuple[Finding, ...]:
        """The content warnings to act on, in report order."""
        return tuple(f for f in self.findings if f.rule in ACTION_RULES)


def preview_entry(
    item: Result | Failure, files: Sequence[tuple[PageOutput, str]] = (), *, detail: bool = True
) -> PreviewPage:
    """Summarise one page for the preview; `files` pairs each written output with its file name.

    Without `detail`, the page keeps its status and findings but not its snippets, FAQ block and
    graph table, so a preview of a large batch stays small enough to build and to open.
    """
    if isinstance(item, Failure):
        return PreviewPage(
            source=item.source.path,
            name=item.source.relative,
            status=item.status,
            message=item.message,
        )
    if not detail:
        files = ()
    snippets = tuple(
        PreviewSnippet(label=output.label, file=name, text=output.data.decode("utf-8"))
        for output, name in files
        if output.is_snippet
    )
    fragment = next((o.data.decode("utf-8") for o, _ in files if o.kind == "faq_html"), None)
    return PreviewPage(
        source=item.source.path,
        name=item.source.relative,
        status=item.status,
        title=item.analysis.title.text if item.analysis.title else None,
        findings=item.report.findings,
        snippets=snippets,
        faq_html=fragment,
        rows=graph_rows(item.graph.jsonld, item.analysis) if detail else (),
        questions=len(item.analysis.faq),
    )


def preview_parts(pages: Iterable[PreviewPage]) -> Iterator[str]:
    """The whole preview page as HTML text in parts; the same pages always give the same text.

    The pages are read once, so a caller can read them back from disk instead of holding them
    all, and decode each once. The summary at the top counts every page, so the table's rows and
    the pages' sections are set aside in temporary files until the last page has been seen.
    """
    style = _asset("preview.css")
    script = _asset("preview.js")
    head, rest = _asset("preview.html").split("$rows", 1)
    middle, tail = rest.split("$pages", 1)
    with _aside() as rows, _aside() as sections:
        statuses = dict.fromkeys(("ok", "invalid", "failed"), 0)
        actions = 0
        for index, page in enumerate(pages):
            rows.write(_summary_row(index, page))
            sections.write(_page(index, page))
            statuses[page.status] = statuses.get(page.status, 0) + 1
            actions += len(page.actions)
        fields = {
            "style": style,
            "script": script,
            "style_hash": _csp_hash(style),
            "script_hash": _csp_hash(script),
            "summary": _escape(_summary(statuses, actions)),
        }
        yield Template(head).substitute(fields)
        yield from _read_back(rows)
        yield Template(middle).substitute(fields)
        yield from _read_back(sections)
    yield Template(tail).substitute(fields)


def _aside() -> IO[str]:
    return tempfile.TemporaryFile("w+", encoding="utf-8", errors="surrogatepass")


def _read_back(stream: IO[str]) -> Iterator[str]:
    stream.seek(0)
    while chunk := stream.read(1 << 16):
        yield chunk


def is_preview_page(path: Path) -> bool:
    """Whether a file is a preview page we wrote; only its first bytes are read."""
    try:
        with path.open("rb") as stream:
            head = stream.read(1024)
    except OSError:
        return False
    return _GENERATOR_TAG.encode() in head


def _asset(name: str) -> str:
    return resources.files("pipeline.emit").joinpath(_TEMPLATES, name).read_text(encoding="utf-8")


def _csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def _escape(text: str) -> str:
    return html.escape(text, quote=True)


def _summary(statuses: dict[str, int], actions: int) -> str:
    total = sum(statuses.values())
    counts = ", ".join(f"{statuses[s]} {s}" for s in ("ok", "invalid", "failed"))
    noun = "page" if total == 1 else "pages"
    text = f"{total} {noun}: {counts}; {actions} content warning(s) to act on."
    if total > DETAIL_PAGES:
        text += (
            f" Snippets, FAQ blocks and graph tables are shown for the first {DETAIL_PAGES} "
            "pages; every page's findings are listed, and its files are in the output folder."
        )
    return text


def _anchor(index: int) -> str:
    return f"page-{index + 1}"


def _summary_row(index: int, page: PreviewPage) -> str:
    errors = sum(1 for f in page.findings if f.severity is Severity.ERROR) + bool(page.message)
    warnings = sum(1 for f in page.findings if f.severity is Severity.WARNING)
    return (
        f'<tr data-page="{_anchor(index)}"><td><a href="#{_anchor(index)}">'
        f"{_escape(page.name)}</a></td>{_status_cell(page.status)}<td>{errors}</td>"
        f"<td>{warnings}</td><td>{len(page.actions)}</td><td>{page.questions}</td></tr>\n"
    )


def _status_cell(status: str) -> str:
    return f'<td class="status status-{_escape(status)}">{_escape(status)}</td>'


def _search_text(page: PreviewPage) -> str:
    words = [page.source, page.status, page.title or "", page.message or ""]
    words.extend(f"{f.rule} {f.message}" for f in page.findings)
    return " ".join(words).lower()


def _page(index: int, page: PreviewPage) -> str:
    anchor = _anchor(index)
    title = f" — {_escape(page.title)}" if page.title else ""
    status = _escape(page.status)
    opening = (
        f'<article class="page" id="{anchor}" data-search="{_escape(_search_text(page))}" '
        f'aria-labelledby="{anchor}-title">\n'
        f'<h2 id="{anchor}-title" title="{_escape(page.source)}">{_escape(page.name)}{title} '
        f'<span class="status status-{status}">{status}</span></h2>\n'
    )
    parts = [opening]
    if page.message:
        parts.append(f'<p class="severity-error">{_escape(page.message)}</p>\n')
    parts.append(_actions(page.actions))
    parts.append(_findings([f for f in page.findings if f.rule not in ACTION_RULES]))
    parts.extend(_snippet(f"{anchor}-{n + 1}", s) for n, s in enumerate(page.snippets))
    if page.faq_html:
        parts.append(
            '<details class="faq-preview-box"><summary>Visible FAQ block (.faq.html), '
            f'as it renders</summary>\n<div class="faq-preview">{page.faq_html}</div></details>\n'
        )
    if page.rows:
        parts.append(_graph_table(page.rows))
    parts.append("</article>\n")
    return "".join(parts)


def _actions(actions: Iterable[Finding]) -> str:
    items = "".join(f"<li>{_finding(f)}</li>\n" for f in actions)
    if not items:
        return ""
    return f'<section class="actions"><h3>Act on these</h3>\n<ul>\n{items}</ul></section>\n'


def _findings(findings: Sequence[Finding]) -> str:
    if not findings:
        return "<h3>Other findings</h3>\n<p>None.</p>\n"
    items = "".join(f"<li>{_finding(f)}</li>\n" for f in findings)
    return f"<h3>Other findings</h3>\n<ul>\n{items}</ul>\n"


def _finding(finding: Finding) -> str:
    severity = finding.severity.value
    where = f" (line {finding.line})" if finding.line is not None else ""
    hint = f'<br><span class="hint">{_escape(finding.hint)}</span>' if finding.hint else ""
    return (
        f'<span class="severity-{severity}">{severity}</span> <code>{_escape(finding.rule)}</code>'
        f"{where}: {_escape(finding.message)}{hint}"
    )


def _snippet(holder: str, snippet: PreviewSnippet) -> str:
    # The parser drops one newline right after <textarea>, so one is written to keep the text whole.
    return (
        f'<section class="snippet"><h3><label for="{holder}">{_escape(snippet.label)}</label> '
        f"<code>{_escape(snippet.file)}</code></h3>\n"
        f'<textarea id="{holder}" readonly spellcheck="false" wrap="off">\n'
        f"{_escape(snippet.text)}</textarea>\n"
        f'<p class="bar"><button type="button" data-copy="{holder}" '
        f'aria-describedby="{holder}-status">Copy</button>'
        f'<output id="{holder}-status" aria-live="polite"></output></p></section>\n'
    )


def _graph_table(rows: Sequence[GraphRow]) -> str:
    body = "".join(
        f"<tr><td>{_escape(r.node)}</td><td><code>{_escape(r.property)}</code></td>"
        f'<td class="value">{_escape(r.value)}</td><td>{_escape(r.source) or "—"}</td></tr>\n'
        for r in rows
    )
    return (
        f"<details><summary>Graph ({len(rows)} values)</summary>\n<table>\n"
        '<thead><tr><th scope="col">Node</th><th scope="col">Property</th>'
        '<th scope="col">Value</th><th scope="col">Source section</th></tr></thead>\n'
        f"<tbody>\n{body}</tbody></table></details>\n"
    )


def findings_json(findings: Iterable[Finding]) -> list[JsonValue]:
    """Findings as JSON, every field kept, as cache entries store them."""
    return [
        {
            "rule": f.rule,
            "severity": f.severity.value,
            "message": f.message,
            "path": list(f.path),
            "node_id": f.node_id,
            "line": f.line,
            "hint": f.hint,
            "source": f.source,
        }
        for f in findings
    ]


def findings_from_json(data: object) -> tuple[Finding, ...] | None:
    """Rebuild the findings `findings_json` stored; None when they are not such findings."""
    if not isinstance(data, list):
        return None
    try:
        return tuple(
            Finding(
                rule=str(item["rule"]),
                severity=Severity(item["severity"]),
                message=str(item["message"]),
                path=tuple(item["path"]),
                node_id=item["node_id"],
                line=item["line"],
                hint=item["hint"],
                source=item["source"],
            )
            for item in data
        )
    except (KeyError, TypeError, ValueError):
        return None


def preview_json(page: PreviewPage) -> JsonObject:
    """A preview summary as JSON, for the cache and a run's spool; snippets and rows as lists."""
    return {
        "source": page.source,
        "name": page.name,
        "status": page.status,
        "title": page.title,
        "message": page.message,
        "findings": findings_json(page.findings),
        "snippets": [[s.label, s.file, s.text] for s in page.snippets],
        "faq_html": page.faq_html,
        "rows": [[r.node, r.property, r.value, r.source] for r in page.rows],
        "questions": page.questions,
    }


def preview_from_json(data: object, *, detail: bool = True) -> PreviewPage | None:
    """Rebuild the summary `preview_json` stored; None if absent or written by another layout.

    Without `detail`, the snippets, FAQ block and graph table stored are left out, as
    `preview_entry` leaves them out of a page past the first DETAIL_PAGES.
    """
    if not isinstance(data, dict):
        return None
    findings = findings_from_json(data.get("findings"))
    if findings is None:
        return None
    try:
        snippets = tuple(
            PreviewSnippet(label=label, file=file, text=text)
            for label, file, text in (data["snippets"] if detail else ())
        )
        rows = tuple(
            GraphRow(node=node, property=name, value=value, source=source)
            for node, name, value, source in (data["rows"] if detail else ())
        )
        return PreviewPage(
            source=data["source"],
            name=data["name"],
            status=data["status"],
            title=data["title"],
            message=data["message"],
            findings=findings,
            snippets=snippets,
            faq_html=data["faq_html"] if detail else None,
            rows=rows,
            questions=data["questions"],
        )
    except (KeyError, TypeError, ValueError):
        return None
