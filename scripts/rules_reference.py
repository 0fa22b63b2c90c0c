"""Write docs/rules.md: every rule id, its severity or effect, and what it means.

Validation and verify rules come from their rule tables, furniture rules from
pipeline/profiles/furniture.toml, concept rules from the profile; the few rules the stages raise
in code are described here. tests/test_docs.py fails when an id in the code is not in the file, or
when the file differs from what this script writes.
"""

from __future__ import annotations

import sys
import tomllib
from importlib import resources
from pathlib import Path

from pipeline.analyse.profile import load_profile
from pipeline.validate import RULES
from pipeline.verify import RULES as VERIFY_RULES

TARGET = Path(__file__).parents[1] / "docs" / "rules.md"

STAGE_RULES = {
    "input.unreadable": (
        "failed page",
        "The page could not be read: missing, not a file, too large, empty, binary or undecodable.",
    ),
    "internal-error": (
        "failed page",
        "A bug in schemapress while converting this page; the batch goes on. Please report it with the page.",
    ),
    "output.collision": (
        "failed page",
        "Another page of the batch, earlier in input order, has the same path below its input folder (docs/index.md, blog/index.md), so its outputs would be overwritten; give each folder its own -o or rename a page.",
    ),
    "output.unwritable": (
        "failed page",
        "The page's output files could not be written (permissions, disk full); nothing half-written is left.",
    ),
    "read.code-block": ("dropped", "A fenced code block in Markdown: code is not page prose."),
    "read.jsonld-broken": ("warning", "A JSON-LD block already on the input page does not parse."),
    "read.html-<kind>": (
        "dropped",
        "HTML page chrome removed before the content is read: nav, header, footer, aside, byline, related, share, comments, hidden elements and the like; the kind names which.",
    ),
    "read.html-before-title": (
        "dropped",
        "Short furniture above the article title (breadcrumbs, image credits).",
    ),
    "read.html-kicker": ("dropped", "A category label (kicker) above the title."),
    "read.html-link-heading": (
        "dropped",
        "A heading that is only a link to another page (a teaser).",
    ),
    "clean.repeated": (
        "dropped",
        "A paragraph, list item or table repeated word for word; the first is kept.",
    ),
    "clean.empty-section": ("dropped", "A heading with no text and no sub-sections."),
    "analyse.title-inferred": (
        "warning",
        "The page has no title; one was built from its subject and theme.",
    ),
    "analyse.title-from-heading": (
        "info",
        "The page has no title and no subject; its first heading is the name.",
    ),
    "analyse.heading-body-mismatch": (
        "warning",
        "A section's heading promises a topic that little of its text discusses.",
    ),
    "analyse.questions-derived": (
        "info",
        "The page asks no questions; questions were derived from its sections. Show the visible FAQ block.",
    ),
    "build.relative-ids": (
        "info",
        "No page URL is known, so ids are fragments that resolve against the page the block is pasted into.",
    ),
    "inject.existing-page-node": (
        "warning",
        "The page already carries a page node or FAQPage from its theme; --merge links ours to it.",
    ),
    "inject.merged-page-node": (
        "info",
        "Our page node took the @id of the page's own node (--merge).",
    ),
    "inject.merge-without-id": (
        "warning",
        "--merge found the page's own page node but it has no @id to link to.",
    ),
    "inject.block-kept": (
        "info",
        "The page's block is ours and up to date, so the page was left untouched.",
    ),
}


def _furniture() -> dict[str, tuple[str, str]]:
    data = tomllib.loads(
        resources.files("pipeline.profiles").joinpath("furniture.toml").read_text("utf-8")
    )
    return {
        f"clean.{name}": ("dropped", rule.get("note", "")) for name, rule in data["rules"].items()
    }


def _table(rows: dict[str, tuple[str, str]]) -> str:
    lines = ["| rule | effect | meaning |", "|---|---|---|"]
    lines.extend(
        f"| `{rule}` | {effect} | {text} |" for rule, (effect, text) in sorted(rows.items())
    )
    return "\n".join(lines) + "\n"


def _concepts() -> str:
    profile = load_profile()
    families = sorted({rule.id.rsplit(".", 1)[0] for rule in (*profile.headings, *profile.bodies)})
    return (
        "Concept rules name the profile rule that decided a section's concept. They follow\n"
        "`concept.heading.<topic>.<language>` (the heading matched) and\n"
        "`concept.body.<topic>.<language>` (the text did), plus `concept.inherited-from-parent`,\n"
        "`concept.faq-question-unmatched` and `concept.no-evidence`. The families in the bundled\n"
        f"`medical` profile: {', '.join(f'`{f}`' for f in families)}.\n"
    )


def reference() -> str:
    """The whole file."""
    validation = {rule: (severity.value, text) for rule, (severity, text) in RULES.items()}
    verify = {rule: (severity.value, text) for rule, (severity, text) in VERIFY_RULES.items()}
    return "\n".join(
        [
            "# Rule ids\n",
            "Generated by `python scripts/rules_reference.py`; do not edit. A rule id appears in the",
            "report next to what it found or dropped, and is what `--ignore` takes (a whole layer,",
            "such as `vocabulary`, works too).\n",
            "## Validation (`convert` and `validate`)\n",
            _table(validation),
            "## Reading, cleaning, analysing and building\n",
            _table({**STAGE_RULES, **_furniture()}),
            "## After a paste (`verify`)\n",
            _table(verify),
            "## Section concepts\n",
            _concepts(),
        ]
    )


if __name__ == "__main__":
    TARGET.write_text(reference(), "utf-8")
    sys.stdout.write(f"wrote {TARGET}\n")
