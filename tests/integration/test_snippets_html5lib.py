"""Every snippet form survives a real HTML5 parser: one script per block, the exact JSON inside."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import html5lib
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.emit.split import split_graph

if TYPE_CHECKING:
    from pipeline.model import JsonValue

pytestmark = pytest.mark.integration

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
# Text that ends or changes a script element if it reaches the HTML unescaped.
HOSTILE = (
    "Aspirin\n\nAspirin is a drug; never paste </script>, </script > or <!--<script> into a page "
    "with a line\u2028separator.\n\n"
    "Is aspirin safe?\n\nMostly, but <!--<script> tricks and a line\u2028separator are not.\n\n"
    "How much aspirin can I take?\n\nAdults take one tablet & no more than “twelve” a day.\n"
)
FORMS = {
    "default": [],
    "minify": ["--minify"],
    "ascii": ["--ascii"],
    "split": ["--split"],
    "split-minify-ascii": ["--split", "--minify", "--ascii"],
}


def _scripts(text: str) -> list[Any]:
    root = html5lib.parse(text, treebuilder="etree", namespaceHTMLElements=False)
    return list(root.iter("script"))


def _convert(page: Path, out: Path, flags: list[str]) -> None:
    result = CliRunner().invoke(
        main, ["convert", str(page), "-o", str(out), *flags], catch_exceptions=False
    )
    assert result.exit_code in {0, 1}, result.stderr


def _expected_blocks(out: Path, stem: str, *, split: bool) -> dict[str, JsonValue]:
    document = json.loads((out / f"{stem}.jsonld").read_text(encoding="utf-8"))
    if not split:
        return {f"{stem}.html": document}
    parts = split_graph(document)
    blocks: dict[str, JsonValue] = {f"{stem}.medical-jsonld.html": parts.medical}
    if parts.faq is not None:
        blocks[f"{stem}.faq-jsonld.html"] = parts.faq
    return blocks


def _pages(tmp_path: Path) -> list[Path]:
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(HOSTILE, encoding="utf-8")
    return [hostile, *sorted(EXAMPLES.iterdir())]


@pytest.mark.parametrize("form", sorted(FORMS))
def test_each_block_parses_to_one_script_holding_the_jsonld(tmp_path: Path, form: str) -> None:
    out = tmp_path / "out"
    for page in _pages(tmp_path):
        _convert(page, out, FORMS[form])
        blocks = _expected_blocks(out, page.stem, split="--split" in FORMS[form])
        for name, expected in blocks.items():
            text = (out / name).read_text(encoding="utf-8")
            scripts = _scripts(text)
            assert len(scripts) == 1, name
            assert scripts[0].get("type") == "application/ld+json"
            assert json.loads(scripts[0].text) == expected, name
            if "--ascii" in FORMS[form]:
                assert text.isascii()
            if "--minify" in FORMS[form]:
                assert text.count("\n") == 1


def test_hostile_text_reaches_the_json_values_intact(tmp_path: Path) -> None:
    out = tmp_path / "out"
    page = _pages(tmp_path)[0]
    _convert(page, out, [])
    (script,) = _scripts((out / "hostile.html").read_text(encoding="utf-8"))
    flat = json.dumps(json.loads(script.text), ensure_ascii=False)
    for hostile in ("</script>", "</script >", "<!--<script>", "\u2028"):
        assert hostile in flat


def test_both_split_blocks_on_one_page_give_two_scripts_that_merge_to_the_page(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    page = _pages(tmp_path)[0]
    _convert(page, out, ["--split"])
    medical = (out / "hostile.medical-jsonld.html").read_text(encoding="utf-8")
    faq = (out / "hostile.faq-jsonld.html").read_text(encoding="utf-8")
    scripts = _scripts(f"<!DOCTYPE html><html><head>{medical}</head><body>{faq}</body></html>")
    assert len(scripts) == 2
    nodes = [node for s in scripts for node in json.loads(s.text)["@graph"]]
    whole = json.loads((out / "hostile.jsonld").read_text(encoding="utf-8"))
    ids = sorted(n["@id"] for n in nodes)
    assert sorted({n["@id"] for n in whole["@graph"]}) == sorted(set(ids))
