"""Golden files: each case's full output, byte for byte; intermediate dumps show which stage moved.

`pytest --update-golden` rewrites them; review the diff in the commit.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from pipeline.api import Toolkit, convert
from pipeline.settings import Settings

if TYPE_CHECKING:
    from collections.abc import Callable

    from pipeline.model import Result

HERE = Path(__file__).parent
EXAMPLES = HERE.parents[1] / "examples"
CASES = sorted(p for p in HERE.iterdir() if p.is_dir() and any(p.glob("input.*")))
EXAMPLE_PAGES = sorted(EXAMPLES.glob("*.*"))


def sections_dump(result: Result) -> str:
    """One line a section: level, concept, confidence, rule, title; then the dropped pieces."""
    analysis = result.analysis
    concepts = {m.section: m for m in analysis.concepts}
    lines = [f"title: {analysis.title.text if analysis.title else None}"]
    subject = analysis.subject
    if subject:
        lines.append(f"subject: {subject.name} {'/'.join(subject.types)} ({subject.rule})")
    for index, section in enumerate(analysis.document.sections):
        match = concepts[index]
        body = f" body={match.body_concept}" if match.body_concept else ""
        lines.append(
            f"[{section.level}] {match.concept} {match.confidence:.2f} {match.rule}{body} | {section.title}"
        )
    lines.extend(f"dropped {drop.rule}: {drop.text[:70]!r}" for drop in analysis.document.dropped)
    lines.extend(f"question ({entry.origin}): {entry.question}" for entry in analysis.faq)
    return "\n".join(lines) + "\n"


def report_dump(result: Result) -> str:
    return (
        "".join(f"{f.severity.value} {f.rule}: {f.message}\n" for f in result.report.findings)
        or "no findings\n"
    )


def _check(result: Result, folder: Path, golden: Callable[[Path, bytes | str], None]) -> None:
    golden(folder / "graph.jsonld", result.jsonld)
    golden(folder / "snippet.html", result.snippet)
    golden(folder / "sections.txt", sections_dump(result))
    golden(folder / "report.txt", report_dump(result))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_case(
    case: Path, toolkit: Toolkit, golden: Callable[[Path, bytes | str], None]
) -> None:
    (source,) = case.glob("input.*")
    result = convert(
        source, url=f"https://example.org/{case.name}/", config=Settings(), toolkit=toolkit
    )

    _check(result, case, golden)


@pytest.mark.parametrize("page", EXAMPLE_PAGES, ids=[p.name for p in EXAMPLE_PAGES])
def test_bundled_example(
    page: Path, toolkit: Toolkit, golden: Callable[[Path, bytes | str], None]
) -> None:
    result = convert(page, config=Settings(), toolkit=toolkit)

    _check(result, HERE / "examples" / page.stem, golden)
