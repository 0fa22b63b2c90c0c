"""The plain data that crosses stage boundaries: the whole data flow on one screen.

read → Document → clean → Document → analyse → Analysis → build → Graph → validate → Report.
Every type is frozen, slotted and keyword-only; collections are tuples so values compare in tests,
pickle for worker processes, and are safe to share between threads.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final, Literal, TypeAlias, assert_never, get_args

if TYPE_CHECKING:
    from collections.abc import Iterator

JsonValue: TypeAlias = "bool | int | float | str | list[JsonValue] | dict[str, JsonValue] | None"
JsonObject: TypeAlias = "dict[str, JsonValue]"

Format = Literal["text", "markdown", "html"]
# `text_key`: what separates words, and, for ASCII text in one table pass, letters lower-cased
# and all but them and digits a gap.
_KEY_PUNCTUATION: Final = re.compile(r"[\s\W_]+")
_ASCII_KEY: Final = bytes(c if chr(c).isalnum() else 32 for c in range(128)).lower() + bytes(128)
Origin = Literal["faq", "heading", "derived"]
SectionKind = Literal["heading", "bold", "summary"]
Concept = Literal[
    "overview",
    "mechanism",
    "dosage",
    "sideEffects",
    "warnings",
    "dependence",
    "interactions",
    "legalStatus",
    "pregnancy",
    "overdose",
    "ingredients",
    "uses",
    "faq",
    "other",
]
CONCEPTS: tuple[Concept, ...] = get_args(Concept)


@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    """Where a page came from: the path as given, and its path relative to the input root."""

    path: str
    relative: str
    url: str | None = None
    media: Format | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Span:
    """A 1-based, inclusive line range in the decoded source text."""

    start_line: int
    end_line: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Paragraph:
    """A run of prose."""

    text: str
    span: Span


@dataclass(frozen=True, slots=True, kw_only=True)
class ListItem:
    """One list entry; `label` holds the part before the colon of a `Label: text` bullet."""

    text: str
    label: str | None = None
    span: Span


@dataclass(frozen=True, slots=True, kw_only=True)
class BulletList:
    """An ordered or unordered list."""

    items: tuple[ListItem, ...]
    ordered: bool = False
    span: Span


@dataclass(frozen=True, slots=True, kw_only=True)
class Table:
    """A table as plain cell text; `header` is empty when the source has none."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    span: Span


Block: TypeAlias = Paragraph | BulletList | Table


@dataclass(frozen=True, slots=True, kw_only=True)
class Section:
    """A heading and the blocks up to the next heading of any level.

    Sections are stored flat in document order; `level` (1-6) gives the tree, see `section_parents`.
    `anchor` is the element id of the heading in HTML input, used for Question urls. `kind` says
    what made the title: a heading, a bold line standing alone, or a `<details>` summary (a
    question and answer pair rather than a heading of the page).
    """

    title: str
    level: int
    blocks: tuple[Block, ...]
    span: Span
    anchor: str | None = None
    kind: SectionKind = "heading"


@dataclass(frozen=True, slots=True, kw_only=True)
class PageMeta:
    """Facts about the page from front matter, `<head>` or the text itself.

    `extra` keeps front-matter keys the reader does not know, for later stages and plugins.
    """

    title: str | None = None
    description: str | None = None
    language: str | None = None
    canonical_url: str | None = None
    date_published: str | None = None
    date_modified: str | None = None
    author: str | None = None
    tags: tuple[str, ...] = ()
    extra: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Drop:
    """Something removed from the page, with its rule; `heading` marks a section title."""

    text: str
    rule: str
    span: Span | None = None
    heading: bool = False
    level: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class EmbeddedJsonLd:
    """A JSON-LD block already on an input page.

    `text` is the script text as written; `repairs` names what had to be undone before it parsed
    (a CDATA wrapper, an HTML comment, a trailing semicolon); `error` is set when it still does not
    parse, and then `data` is None.
    """

    text: str
    line: int
    data: JsonValue = None
    error: str | None = None
    repairs: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Document:
    """A page as headed sections; `lead` is the content before the first heading."""

    source: Source
    format: Format
    meta: PageMeta
    lead: tuple[Block, ...] = ()
    sections: tuple[Section, ...] = ()
    dropped: tuple[Drop, ...] = ()
    jsonld: tuple[EmbeddedJsonLd, ...] = ()
    visible_text: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Subject:
    """What the page is about; `mention` is how running text writes the name ("kratom")."""

    name: str
    types: tuple[str, ...] = ("Drug",)
    alternate_names: tuple[str, ...] = ()
    active_ingredients: tuple[str, ...] = ()
    rule: str
    mention: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ConceptMatch:
    """The concept of one section, the rule that decided it, and what its body speaks of."""

    section: int
    concept: Concept
    confidence: float
    rule: str
    body_concept: Concept | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class FaqEntry:
    """One question and its answer blocks, with where the question came from."""

    question: str
    answer: tuple[Block, ...]
    origin: Origin
    section: int | None = None
    anchor: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Value:
    """A text value and where it came from: a source span, a config key, or an inferring rule."""

    text: str
    span: Span | None = None
    config_key: str | None = None
    inferred_by: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Dose:
    """A dose the page writes out with an amount and a unit, and the sentence that says it."""

    value: float | int
    unit: str
    frequency: str | None = None
    population: str | None = None
    text: str
    span: Span


class Severity(enum.Enum):
    """How much a finding matters; errors fail a run, warnings only under --strict."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """One problem a check found, with everything a reader needs to act on it."""

    rule: str
    severity: Severity
    message: str
    path: tuple[str | int, ...] = ()
    node_id: str | None = None
    line: int | None = None
    hint: str | None = None
    source: str | None = None


_SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True, slots=True, kw_only=True)
class Report:
    """Findings in a stable order so that reruns diff cleanly."""

    findings: tuple[Finding, ...] = ()
    checked_nodes: int = 0

    @property
    def errors(self) -> tuple[Finding, ...]:
        """The findings that fail a run."""
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """The findings that fail a run only under --strict."""
        return tuple(f for f in self.findings if f.severity is Severity.WARNING)

    def exit_code(self, *, strict: bool = False) -> int:
        """Return 1 when the findings should fail a CI job, else 0."""
        return 1 if self.errors or (strict and self.warnings) else 0

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)


def sorted_report(findings: tuple[Finding, ...], *, checked_nodes: int = 0) -> Report:
    """Build a Report with findings sorted by source, path, severity and rule."""
    ordered = sorted(
        findings,
        key=lambda f: (
            f.source or "",
            f.line or 0,
            tuple(str(p) for p in f.path),
            _SEVERITY_ORDER[f.severity],
            f.rule,
            f.message,
        ),
    )
    return Report(findings=tuple(ordered), checked_nodes=checked_nodes)


@dataclass(frozen=True, slots=True, kw_only=True)
class Analysis:
    """What the page says: subject, concepts per section, FAQ, title and description."""

    document: Document
    subject: Subject | None
    concepts: tuple[ConceptMatch, ...]
    faq: tuple[FaqEntry, ...]
    title: Value | None
    description: Value | None
    language: str | None
    properties: tuple[tuple[str, tuple[Value, ...]], ...] = ()
    interacting: tuple[Value, ...] = ()
    doses: tuple[Dose, ...] = ()
    findings: tuple[Finding, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Graph:
    """The JSON-LD document (`@context` plus `@graph`) ready to validate and emit."""

    jsonld: JsonObject = field(default_factory=dict)
    findings: tuple[Finding, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Result:
    """Everything `convert` produced for one page."""

    source: Source
    analysis: Analysis
    graph: Graph
    report: Report
    jsonld: bytes
    snippet: str

    @property
    def status(self) -> Literal["ok", "invalid"]:
        """`invalid` when validation found errors; the page is still written."""
        return "invalid" if self.report.errors else "ok"


@dataclass(frozen=True, slots=True, kw_only=True)
class Failure:
    """A page that could not be converted, and why, in one sentence."""

    source: Source
    message: str
    rule: str = "input.unreadable"

    @property
    def status(self) -> Literal["failed"]:
        """Always `failed`: nothing was written for this page."""
        return "failed"


def section_parents(sections: tuple[Section, ...]) -> tuple[int | None, ...]:
    """Return, per section, the index of its parent section (the nearest earlier lower level)."""
    parents: list[int | None] = []
    stack: list[int] = []
    for index, section in enumerate(sections):
        while stack and sections[stack[-1]].level >= section.level:
            stack.pop()
        parents.append(stack[-1] if stack else None)
        stack.append(index)
    return tuple(parents)


def item_text(item: ListItem) -> str:
    """Return a list item as plain text: `Label: text`, or the text alone."""
    return f"{item.label}: {item.text}" if item.label else item.text


def block_text(block: Block) -> str:
    """Return a block as plain text, list items and table rows one per line."""
    match block:
        case Paragraph(text=text):
            return text
        case BulletList(items=items):
            return "\n".join(map(item_text, items))
        case Table(header=header, rows=rows):
            lines = [" | ".join(header)] if header else []
            lines.extend(" | ".join(row) for row in rows)
            return "\n".join(lines)
    assert_never(block)


def text_key(text: str) -> str:
    """Text reduced to its case-folded words, single-spaced: what a repeat has in common."""
    if text.isascii():
        return b" ".join(text.encode().translate(_ASCII_KEY).split()).decode()
    return _KEY_PUNCTUATION.sub(" ", text.casefold()).strip()
