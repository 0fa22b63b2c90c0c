"""Written snippets re-parsed by a spec-compliant HTML5 parser and by extruct give back our JSON."""

from __future__ import annotations

import json
from pathlib import Path

import extruct
import html5lib
import pytest

from pipeline.api import Toolkit, convert
from pipeline.settings import OutputConfig, Settings

pytestmark = pytest.mark.integration

HOSTILE = (
    "Is willow bark safe?\n"
    "Willow bark text with </script> and </script > and </SCRIPT/> inside it, taken as a dose.\n"
    "Willow bark can cause nausea <!--<script> and a line\u2028separator and a para\u2029graph.\n"
    "Willow bark can cause stomach upset & heartburn when people take it daily for weeks.\n"
)
EXAMPLES = sorted((Path(__file__).parents[2] / "examples").glob("*.*"))


def _scripts(page: str) -> list[str]:
    tree = html5lib.parse(page, namespaceHTMLElements=False)
    return [s.text or "" for s in tree.iter("script") if s.get("type") == "application/ld+json"]


def _roundtrip(source: str | Path, settings: Settings, toolkit: Toolkit) -> str:
    result = convert(source, config=settings, toolkit=toolkit)
    page = f"<!DOCTYPE html><html><head><title>t</title>{result.snippet}</head><body><p>after</p></body></html>"
    (script,) = _scripts(page)
    expected = json.loads(result.jsonld)
    assert json.loads(script) == expected
    tree = html5lib.parse(page, namespaceHTMLElements=False)
    assert [p.text for p in tree.iter("p")] == ["after"]
    extracted = extruct.extract(page, syntaxes=["json-ld"], errors="strict")["json-ld"]
    assert extracted == [expected]
    return result.jsonld.decode()


@pytest.mark.parametrize("minify", [False, True])
@pytest.mark.parametrize("ascii_only", [False, True])
def test_hostile_text_stays_inside_our_one_script(
    *, minify: bool, ascii_only: bool, toolkit: Toolkit
) -> None:
    settings = Settings(output=OutputConfig(minify=minify, ascii=ascii_only))

    text = _roundtrip(HOSTILE, settings, toolkit)

    for hostile in ("</script>", "</script >", "<!--<script>", "\u2028", "&"):
        assert hostile in text


def test_the_seed_round_trips(seed_path: Path, toolkit: Toolkit) -> None:
    _roundtrip(seed_path, Settings(), toolkit)


@pytest.mark.parametrize("page", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_bundled_examples_round_trip(page: Path, toolkit: Toolkit) -> None:
    _roundtrip(page, Settings(), toolkit)
