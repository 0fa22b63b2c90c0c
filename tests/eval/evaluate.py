"""Real-page evaluation: convert the hand-labelled pages and score what came out.

Run `python tests/eval/evaluate.py` to print the figures; `--update` raises the floors in
floors.json to today's figures (never lowers one unless `--allow-regression` is given). The test
`tests/test_realpages.py` fails when a figure falls below its floor or below the issue's target.

No string of a real page appears here: the measures compare against labels.json only.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.api import convert_many, discover
from pipeline.model import Failure, Result
from pipeline.settings import Settings

HERE = Path(__file__).resolve().parent
FLOORS = HERE / "floors.json"
# A figure may wobble this much below its floor before the gate fails (rounding of ratios).
NOISE = 0.005
# Targets from the issues: a run below these fails whatever the floors say.
TARGETS = {
    "heading_recall": 0.90,
    "heading_precision": 0.85,
    "concept_accuracy": 0.85,
    "faq_recall": 0.90,
}
MIN_COUNTS = {"subject_right": 20, "title_right": 21}
LABEL_CONCEPTS = {
    "activeIngredient": {"ingredients"},
    "benefits/uses": {"uses"},
    "dosage/doseSchedule": {"dosage"},
    "faq": {"faq"},
    "interactingDrug": {"interactions"},
    "legalStatus": {"legalStatus"},
    "mechanismOfAction": {"mechanism"},
    "other": {"other"},
    "overdosage": {"overdose"},
    "overview": {"overview"},
    "pregnancyWarning": {"pregnancy"},
    "sideEffects/adverse": {"sideEffects"},
    "warning/safety": {"warnings", "dependence"},
}


def realpages_dir() -> Path | None:
    """The labelled pages: $SCHEMAPRESS_REALPAGES, or shared/realpages beside the checkout."""
    configured = os.environ.get("SCHEMAPRESS_REALPAGES")
    candidates = [Path(configured)] if configured else []
    root = HERE.parents[1]
    candidates += [root.parent / "shared" / "realpages", root / "shared" / "realpages"]
    return next((c for c in candidates if (c / "labels.json").is_file()), None)


def norm(text: str) -> str:
    """Compare headings as the labels say: trimmed, entities decoded, trailing ':' dropped."""
    return " ".join(html.unescape(text).split()).rstrip(":").strip()


def fold(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


@dataclass
class Tally:
    """Counts summed over all pages."""

    labelled: int = 0
    found: int = 0
    reported: int = 0
    reported_ok: int = 0
    concepts: int = 0
    concepts_ok: int = 0
    faq: int = 0
    faq_found: int = 0
    subjects: int = 0
    subject_right: int = 0
    titles: int = 0
    title_right: int = 0
    leaks: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)


def evaluate(pages_dir: Path) -> tuple[dict[str, float], Tally]:
    """Convert every labelled page and return the figures."""
    labels = json.loads((pages_dir / "labels.json").read_text("utf-8"))
    by_file = {entry["file"]: entry for entry in labels["files"]}
    sources = [s for s in discover([str(pages_dir / "pages")]) if Path(s.path).name in by_file]
    tally = Tally()
    for item in convert_many(sources, Settings()):
        label = by_file[Path(item.source.path).name]
        if isinstance(item, Failure):
            tally.failures.append(f"{label['file']}: {item.message}")
            continue
        _score(item, label, tally)
    figures = {
        "heading_recall": _ratio(tally.found, tally.labelled),
        "heading_precision": _ratio(tally.reported_ok, tally.reported),
        "concept_accuracy": _ratio(tally.concepts_ok, tally.concepts),
        "faq_recall": _ratio(tally.faq_found, tally.faq),
        "subject_right": float(tally.subject_right),
        "title_right": float(tally.title_right),
        "furniture_leaks": float(len(tally.leaks)),
        "failed_pages": float(len(tally.failures)),
    }
    return figures, tally


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 1.0


def _score(result: Result, label: dict[str, Any], tally: Tally) -> None:
    analysis = result.analysis
    sections = analysis.document.sections
    if "top-level" in label.get("heading_scope", ""):
        top = min((s.level for s in sections), default=1)
        indexes = [i for i, s in enumerate(sections) if s.level == top]
    else:
        indexes = [i for i, s in enumerate(sections) if s.kind != "summary"]
    ours = {norm(sections[i].title): i for i in indexes}
    wanted = [norm(h) for h in label["headings"]]
    optional = {norm(h) for h in label.get("optional_headings", [])}
    required = [h for h in wanted if h not in optional]
    tally.labelled += len(required)
    tally.found += sum(h in ours for h in required)
    tally.reported += len(ours)
    tally.reported_ok += sum(h in wanted or h in optional for h in ours)
    missing = [h for h in required if h not in ours]
    extra = [h for h in ours if h not in wanted and h not in optional]
    concept_of = {m.section: m.concept for m in analysis.concepts}
    for heading, concept in label.get("concepts", {}).items():
        index = ours.get(norm(heading))
        if index is None:
            continue
        tally.concepts += 1
        if concept_of.get(index) in LABEL_CONCEPTS.get(concept, {concept}):
            tally.concepts_ok += 1
    questions = {fold(entry.question) for entry in analysis.faq}
    for question in label.get("faq_questions", []):
        tally.faq += 1
        tally.faq_found += fold(question) in questions
    _score_names(result, label, tally)
    tally.leaks.extend(f"{label['file']}: {probe!r}" for probe in _leaks(result, label))
    tally.pages.append(f"{label['file']}: missing {missing} extra {extra}")


def _score_names(result: Result, label: dict[str, Any], tally: Tally) -> None:
    analysis = result.analysis
    if label.get("drug"):
        tally.subjects += 1
        subject = analysis.subject
        names = {fold(n) for n in re.split(r"[(),/+]", label["drug"]) if fold(n)}
        ours = {fold(subject.name), *map(fold, subject.alternate_names)} if subject else set()
        if any(o and (o in n or n.startswith(o) or o.startswith(n)) for o in ours for n in names):
            tally.subject_right += 1
    expected = label.get("title") or label.get("implied_title")
    if expected:
        tally.titles += 1
        ours_title = fold(analysis.title.text) if analysis.title else ""
        want = fold(expected)
        exact = ours_title == want
        implied = not label.get("title") and want in ours_title
        tally.title_right += exact or implied


def _leaks(result: Result, label: dict[str, Any]) -> list[str]:
    text = " ".join(_strings(json.loads(result.jsonld)))
    # Furniture that repeats the page's own title or subject ("a pill naming the drug") cannot leak.
    names = {
        fold(label.get("title") or ""),
        *(fold(n) for n in re.split(r"[(),]", label.get("drug") or "")),
    }
    return [
        probe
        for probe in _probes(label.get("boilerplate", []))
        if fold(probe) not in names and _contains(text, probe)
    ]


def _probes(entries: list[str]) -> list[str]:
    """The literal text of each labelled piece of furniture, without the labeller's notes."""
    probes = []
    for entry in entries:
        quoted = re.findall(r"'([^']{6,})'", entry)
        parts = quoted or [re.split(r"\s\(", entry, maxsplit=1)[0]]
        for part in parts:
            for raw in re.split(r"\s*(?:\.\.\.|…)\s*", part.replace("*", "")):
                piece = raw.strip(" '\"")
                if len(piece) >= 6 and not piece.startswith("<"):
                    probes.append(piece)
    return probes


def _contains(text: str, probe: str) -> bool:
    if len(probe) < 12:
        return re.search(rf"(?<!\w){re.escape(probe)}(?!\w)", text) is not None
    return fold(probe) in fold(text)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    if isinstance(value, dict):
        return [
            s
            for key, item in value.items()
            if key not in {"@id", "@type", "@context"}
            for s in _strings(item)
        ]
    return []


def fingerprint(pages_dir: Path) -> str:
    """A hash of the labels and pages, so floors are only compared on the corpus they came from."""
    digest = hashlib.sha256()
    for path in sorted([pages_dir / "labels.json", *(pages_dir / "pages").iterdir()]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="raise floors to today's figures")
    parser.add_argument("--allow-regression", action="store_true", help="with --update, lower too")
    parser.add_argument("-v", "--verbose", action="store_true", help="per-page misses")
    args = parser.parse_args()
    pages_dir = realpages_dir()
    if pages_dir is None:
        print("no labelled pages found (set SCHEMAPRESS_REALPAGES)", file=sys.stderr)
        return 2
    figures, tally = evaluate(pages_dir)
    for name, value in figures.items():
        print(f"{name:20} {value:g}")
    for line in tally.failures + tally.leaks + (tally.pages if args.verbose else []):
        print(f"  {line}")
    if args.update:
        _update(figures, fingerprint(pages_dir), allow_regression=args.allow_regression)
    return 0


def _update(figures: dict[str, float], print_: str, *, allow_regression: bool) -> None:
    old = json.loads(FLOORS.read_text("utf-8")) if FLOORS.exists() else {"floors": {}}
    floors = dict(old.get("floors", {}))
    lower_is_better = {"furniture_leaks", "failed_pages"}
    for name, value in figures.items():
        previous = floors.get(name)
        better = previous is None or (
            value < previous if name in lower_is_better else value > previous
        )
        if better or allow_regression:
            floors[name] = value
    FLOORS.write_text(
        json.dumps({"fingerprint": print_, "floors": floors}, indent=2) + "\n", "utf-8"
    )
    print(f"floors written to {FLOORS}")


if __name__ == "__main__":
    sys.exit(main())
