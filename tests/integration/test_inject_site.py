"""`inject` on copies of the real HTML pages: idempotent, exactly reversible, parsed as intended."""

from __future__ import annotations

import json
import os
import shutil
from typing import TYPE_CHECKING, Any

import html5lib
import pytest
from click.testing import CliRunner

from pipeline import injector
from pipeline.cli import main
from pipeline.emit.inject import remove_block_bytes
from pipeline.settings import Settings
from tests.conftest import SHARED

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.integration

REAL_PAGES = SHARED / "realpages" / "pages"
NS = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture
def originals() -> dict[str, bytes]:
    pages = sorted(REAL_PAGES.glob("*.html")) if REAL_PAGES.is_dir() else []
    if not pages:
        if os.environ.get("CI"):
            pytest.fail(f"the real HTML pages are missing at {REAL_PAGES}")
        pytest.skip(f"the real HTML pages are not at {REAL_PAGES}")
    return {page.name: page.read_bytes() for page in pages}


@pytest.fixture
def site(tmp_path: Path, originals: dict[str, bytes]) -> Path:
    root = tmp_path / "site"
    root.mkdir()
    for name, data in originals.items():
        (root / name).write_bytes(data)
    return root


def _inject(site: Path, *args: str) -> Any:
    result = CliRunner().invoke(main, ["inject", str(site), "--no-cache", *args])
    assert result.exit_code in {0, 1}, result.output
    return result


def _snapshot(site: Path) -> dict[str, tuple[bytes, int, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns, p.stat().st_ino) for p in site.iterdir()}


def test_inject_twice_gives_the_bytes_of_inject_once(site: Path) -> None:
    _inject(site)
    once = _snapshot(site)

    second = _inject(site)

    assert _snapshot(site) == once
    assert f"{len(once)} pages: 0 changed, {len(once)} unchanged" in second.stderr


def test_removing_our_block_restores_every_page_byte_for_byte(
    site: Path, originals: dict[str, bytes]
) -> None:
    _inject(site)
    injected = {name: (site / name).read_bytes() for name in originals}

    assert all(remove_block_bytes(data) == originals[name] for name, data in injected.items())
    _inject(site, "--remove")
    assert {name: (site / name).read_bytes() for name in originals} == originals


def test_each_page_carries_exactly_one_block_equal_to_the_converted_jsonld(
    site: Path, tmp_path: Path, originals: dict[str, bytes]
) -> None:
    out = tmp_path / "out"
    converted = CliRunner().invoke(
        main, ["convert", *(str(site / n) for n in originals), "-o", str(out), "--no-cache"]
    )
    assert converted.exit_code == 0, converted.stderr
    _inject(site)

    for name in originals:
        document = html5lib.parse((site / name).read_bytes())
        ours = [
            script for script in document.iter(f"{NS}script") if "data-schemapress" in script.attrib
        ]
        assert len(ours) == 1, name
        assert ours[0] in document.find(f"{NS}head"), name
        expected = json.loads((out / name).with_suffix(".jsonld").read_text("utf-8"))
        assert json.loads(ours[0].text) == expected, name


def test_latin1_page_keeps_its_bytes_and_gets_an_ascii_block(
    site: Path, originals: dict[str, bytes]
) -> None:
    name = next(n for n in originals if "latin1" in n)
    _inject(site)

    data = (site / name).read_bytes()
    start = data.index(b'<script type="application/ld+json" data-schemapress="inject">')
    end = data.index(b"</script>", start) + len(b"</script>")
    assert data[start:end].isascii()
    assert data[:start] + data[end:].removeprefix(b"\n") == originals[name]


def test_the_check_flag_writes_nothing_and_fails_until_injected(site: Path) -> None:
    before = _snapshot(site)

    checked = _inject(site, "--check")

    assert checked.exit_code == 1
    assert _snapshot(site) == before
    assert sorted(checked.stdout.split()) == sorted(before)
    _inject(site)
    assert _inject(site, "--check").exit_code == 0


def test_existing_page_nodes_warn_and_merge_takes_their_id(
    site: Path, originals: dict[str, bytes]
) -> None:
    warned = _inject(site)
    assert "[inject.existing-page-node]" in warned.stderr

    merged = _inject(site, "--merge")

    assert "[inject.merge-without-id]" in merged.stderr
    name = next(n for n in originals if "paxlovid" in n)
    document = html5lib.parse((site / name).read_bytes())
    theirs: list[dict[str, Any]] = []
    ours: list[dict[str, Any]] = []
    for script in document.iter(f"{NS}script"):
        if "ld+json" in script.attrib.get("type", ""):
            (ours if "data-schemapress" in script.attrib else theirs).append(
                json.loads(script.text)
            )
    page_node = ours[0]["@graph"][0]
    assert page_node["@id"] in {node.get("@id") for node in theirs}


def test_cache_and_workers_give_the_same_bytes_as_a_plain_run(
    tmp_path: Path, originals: dict[str, bytes]
) -> None:
    plain, pooled = tmp_path / "plain", tmp_path / "pooled"
    for root in (plain, pooled):
        for copy in ("a", "b", "c"):
            (root / copy).mkdir(parents=True)
            for name, data in originals.items():
                (root / copy / name).write_bytes(data)
    options = injector.InjectOptions(jobs=2, cache_dir=str(tmp_path / "cache"))

    list(injector.inject_site(plain, Settings()))
    first = list(injector.inject_site(pooled, Settings(), options=options))
    again = list(injector.inject_site(pooled, Settings(), options=options))

    assert [o.path for o in first] == injector.site_pages(pooled)
    assert {o.status for o in first} == {"changed"}
    assert {o.status for o in again} == {"unchanged"}
    assert [o.report for o in again] == [o.report for o in first]
    for page in injector.site_pages(plain):
        assert (pooled / page).read_bytes() == (plain / page).read_bytes()


def test_excluded_pages_are_left_alone(site: Path, originals: dict[str, bytes]) -> None:
    (site / "tags").mkdir()
    shutil.copy(site / next(iter(originals)), site / "tags" / "index.html")

    result = _inject(site, "--exclude", "tags", "--exclude", "2[0-2]-*")

    assert (site / "tags" / "index.html").read_bytes() == originals[next(iter(originals))]
    assert (site / "20-green-borneo-kratom-shop.html").read_bytes() == originals[
        "20-green-borneo-kratom-shop.html"
    ]
    assert f"{len(originals) - 3} pages:" in result.stderr
