"""JUnit XML for CI test reports: one test case per file, failing when it has errors."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final
from xml.etree import ElementTree as ET

from pipeline.report.path import to_json_path

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pipeline.model import Finding, Report

SUITE_NAME: Final = "schemapress validate"


def format_junit(reports: Sequence[tuple[str, Report]], *, strict: bool = False) -> str:
    """Return JUnit XML; warnings fail a case only when `strict`, and are listed in system-out."""
    failed = sum(1 for _, report in reports if report.exit_code(strict=strict))
    counts = {"tests": str(len(reports)), "failures": str(failed), "errors": "0", "skipped": "0"}
    root = ET.Element("testsuites", {"name": SUITE_NAME, **counts})
    suite = ET.SubElement(root, "testsuite", {"name": SUITE_NAME, **counts})
    for source, report in reports:
        case = ET.SubElement(
            suite, "testcase", {"classname": "schemapress.validate", "name": source}
        )
        failing = report.errors + (report.warnings if strict else ())
        if failing:
            failure = ET.SubElement(
                case,
                "failure",
                {"type": "validation", "message": f"{len(failing)} finding(s) fail this file"},
            )
            failure.text = "\n".join(_line(finding) for finding in failing)
        others = [finding for finding in report.findings if finding not in failing]
        if others:
            ET.SubElement(case, "system-out").text = "\n".join(_line(f) for f in others)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _line(finding: Finding) -> str:
    where = f"line {finding.line} " if finding.line is not None else ""
    return (
        f"{finding.severity.value} {finding.rule} {where}{to_json_path(finding.path)}: "
        f"{finding.message}"
    )
