"""A real `mkdocs build` with the plugin: one valid block per page, and `inject` leaves it alone."""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import html5lib
import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page

from pipeline.mkdocs_plugin import MARKER_VALUE, _page_bytes
from pipeline.pool import MIN_POOL_PAGES
from pipeline.read.front_matter import split_front_matter
from pipeline.validate import validate_jsonld

if TYPE_CHECKING:
    from collections.abc import Mapping

pytestmark = pytest.mark.integration

SITE_URL = "https://docs.example.org/medicines/"
SITE_NAME = "Medicines explained"

DRUG_WITH_FAQ_SECTION = """\
# Ibuprofen

Ibuprofen is an anti-inflammatory drug that people take to ease pain, fever and swelling.

## How does ibuprofen work?

It blocks the enzymes that make prostaglandins, the messengers of pain and inflammation.

## Side effects

Stomach upset, heartburn and nausea are the most common complaints. Taking it with food helps.

## Frequently asked questions

### Can I take ibuprofen with paracetamol?

Many adults alternate the two, because they work in different ways. Follow each leaflet.

### Is ibuprofen safe in pregnancy?

Avoid it from the twentieth week of pregnancy unless a doctor advises otherwise.
"""

SUPPLEMENT_WITH_FRONT_MATTER = """\
---
title: Magnesium glycinate & sleep
description: What magnesium glycinate is, how much people take and what to watch for.
date: 2024-03-05
author: Jo Writer
---

# Magnesium glycinate

Magnesium glycinate is a dietary supplement that binds magnesium to the amino acid glycine.

## What is magnesium glycinate used for?

People take it for muscle cramps, for sleep and for low magnesium found in blood tests.

## How much should I take?

Most labels suggest 200 to 400 mg of elemental magnesium a day, taken with an evening meal.
"""

PAGE_WITHOUT_QUESTIONS = """\
# Storing your medicines

Keep tablets in their original packs, in a cool dry cupboard out of the reach of children.

## Heat and damp

Bathrooms are a poor place for medicines, because steam and warmth break some of them down.

## Disposal

Take unused medicines back to a pharmacy rather than flushing them away.
"""

PAGES = {
    "ibuprofen.md": DRUG_WITH_FAQ_SECTION,
    "magnesium-glycinate.md": SUPPLEMENT_WITH_FRONT_MATTER,
    "storing-medicines.md": PAGE_WITHOUT_QUESTIONS,
}

# Enough pages for the plugin to convert in worker processes, in folders, with a warning and a
# page that cannot be converted among them.
MANY_PAGES = {
    **{
        f"part-{n}/{name}": text
        for n in range(MIN_POOL_PAGES // len(PAGES) + 1)
        for name, text in PAGES.items()
    },
    "part-0/later.md": "---\ndate: 2999-01-01\n---\n\n" + PAGE_WITHOUT_QUESTIONS,
    "part-1/empty.md": "",
}

# Worker processes need a core besides the one MkDocs renders on.
CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
needs_two_cores = pytest.mark.skipif(CORES < 2, reason="the plugin converts inline on one core")

# `mkdocs` run on one core, where the plugin converts every page itself.
ONE_CORE = (
    "import os, runpy; os.sched_setaffinity(0, {min(os.sched_getaffinity(0))}); "
    "runpy.run_module('mkdocs', run_name='__main__')"
)


def write_site(root: Path, pages: Mapping[str, str], options: str = "") -> Path:
    """Write a MkDocs site into `root` and return its mkdocs.yml."""
    docs = root / "docs"
    docs.mkdir(parents=True)
    for name, text in pages.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(text, "utf-8")
    plugin = f"  - schemapress:\n{options}" if options else "  - schemapress\n"
    config = root / "mkdocs.yml"
    config.write_text(f"site_name: {SITE_NAME}\nsite_url: {SITE_URL}\nplugins:\n{plugin}", "utf-8")
    return config


def mkdocs_build(
    config: Path, *flags: str, one_core: bool = False
) -> subprocess.CompletedProcess[str]:
    start = ["-c", ONE_CORE] if one_core else ["-m", "mkdocs"]
    return subprocess.run(
        [sys.executable, *start, "build", "-f", str(config), *flags],
        capture_output=True,
        text=True,
        check=False,
        cwd=config.parent,
    )


def built_page(site: Path, name: str) -> Path:
    return site / Path(name).with_suffix("") / "index.html"


def plugin_lines(stderr: str, root: Path) -> list[str]:
    """The plugin's messages, with the site folder left out of the paths they name."""
    return [
        line.replace(str(root), "ROOT") for line in stderr.splitlines() if "schemapress:" in line
    ]


def jsonld_scripts(html: str, *, where: str = ".") -> list[Any]:
    """The JSON-LD script elements below the element at `where` (the whole page by default)."""
    root = html5lib.parse(html, namespaceHTMLElements=False).find(where)
    assert root is not None
    return [script for script in root.iter("script") if script.get("type") == "application/ld+json"]


def strict_loads(text: str) -> Any:
    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [key for key, _ in pairs]
        assert len(keys) == len(set(keys)), f"duplicate keys in {keys}"
        return dict(pairs)

    def no_constants(name: str) -> None:
        pytest.fail(f"non-finite number {name}")

    return json.loads(text, object_pairs_hook=no_duplicates, parse_constant=no_constants)


def expected_title(markdown: str) -> str:
    """Front matter title, else the first level-1 heading."""
    front = re.match(r"---\n(.*?)\n---\n", markdown, re.DOTALL)
    if front and "title" in (meta := yaml.safe_load(front.group(1))):
        return str(meta["title"])
    heading = re.search(r"^# (.+)$", markdown, re.MULTILINE)
    assert heading
    return heading.group(1)


def expected_questions(markdown: str) -> list[str]:
    return re.findall(r"^#{2,6} (.+\?)$", markdown, re.MULTILINE)


def page_node(document: Mapping[str, Any]) -> dict[str, Any]:
    pages = [node for node in document["@graph"] if "MedicalWebPage" in _types(node)]
    assert len(pages) == 1
    page: dict[str, Any] = pages[0]
    return page


def _types(node: Mapping[str, Any]) -> list[str]:
    kind = node.get("@type", [])
    return [kind] if isinstance(kind, str) else list(kind)


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("mkdocs")
    config = write_site(root, PAGES, options="      publisher_name: Medicines Explained Ltd\n")
    result = mkdocs_build(config, "--strict")
    assert result.returncode == 0, result.stderr
    return root / "site"


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_page_has_one_valid_block_matching_its_markdown(built_site: Path, name: str) -> None:
    markdown = PAGES[name]
    html = built_page(built_site, name).read_text("utf-8")
    blocks = jsonld_scripts(html)
    assert len(blocks) == 1
    assert blocks[0].get("data-schemapress") == MARKER_VALUE
    assert len(jsonld_scripts(html, where="head")) == 1
    document = strict_loads(blocks[0].text)
    report = validate_jsonld(document)
    assert report.errors == ()
    page = page_node(document)
    assert page["url"] == f"{SITE_URL}{Path(name).stem}/"
    assert page["name"] == expected_title(markdown)
    questions = [node["name"] for node in document["@graph"] if "Question" in _types(node)]
    assert questions == expected_questions(markdown)
    assert ("FAQPage" in _types(page)) == bool(questions)


def test_site_defaults_come_from_mkdocs_yml_and_plugin_options(built_site: Path) -> None:
    html = built_page(built_site, "ibuprofen.md").read_text("utf-8")
    nodes = strict_loads(jsonld_scripts(html)[0].text)["@graph"]
    site = next(node for node in nodes if "WebSite" in _types(node))
    assert site["url"] == SITE_URL
    assert site["name"] == SITE_NAME
    assert any(node.get("name") == "Medicines Explained Ltd" for node in nodes)


def test_inject_after_the_build_leaves_every_page_byte_for_byte_unchanged(
    built_site: Path,
) -> None:
    before = {path: path.read_bytes() for path in sorted(built_site.rglob("*.html"))}
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "inject", str(built_site)],
        capture_output=True,
        text=True,
        check=False,
        cwd=built_site.parent,
    )
    assert result.returncode == 0, result.stderr
    after = {path: path.read_bytes() for path in sorted(built_site.rglob("*.html"))}
    for name in PAGES:
        page = built_page(built_site, name)
        assert after[page] == before[page], f"{page} changed"


# An empty audience (an unset `!ENV` value, say) leaves MedicalAudience with an empty
# audienceType, which schema.min-length reports as an error on every page.
EMPTY_AUDIENCE = "      audience: ''\n"


def test_strict_option_fails_the_build_on_a_validation_error(tmp_path: Path) -> None:
    config = write_site(tmp_path, PAGES, options=EMPTY_AUDIENCE + "      strict: true\n")
    result = mkdocs_build(config)
    assert result.returncode != 0
    assert "schema.min-length" in result.stderr
    assert "fail the strict build in" in result.stderr
    assert all(name in result.stderr for name in PAGES)


def test_without_strict_an_error_is_logged_and_the_site_is_still_built(tmp_path: Path) -> None:
    config = write_site(tmp_path, PAGES, options=EMPTY_AUDIENCE)
    result = mkdocs_build(config)
    assert result.returncode == 0, result.stderr
    assert "ERROR" in result.stderr
    assert "schema.min-length" in result.stderr
    for name in PAGES:
        assert len(jsonld_scripts(built_page(tmp_path / "site", name).read_text("utf-8"))) == 1


def test_mkdocs_strict_fails_on_a_warning(tmp_path: Path) -> None:
    pages = {"later.md": "---\ndate: 2999-01-01\n---\n\n" + PAGE_WITHOUT_QUESTIONS}
    config = write_site(tmp_path, pages)
    relaxed = mkdocs_build(config)
    assert relaxed.returncode == 0, relaxed.stderr
    assert "content.date-in-future" in relaxed.stderr
    strict = mkdocs_build(config, "--strict")
    assert strict.returncode != 0
    assert "content.date-in-future" in strict.stderr


def test_a_page_generated_in_memory_is_rebuilt_with_its_front_matter(tmp_path: Path) -> None:
    config = MkDocsConfig()
    config.load_dict({"site_name": SITE_NAME, "docs_dir": str(tmp_path)})
    config.validate()
    file = File("generated.md", src_dir=None, dest_dir=str(tmp_path), use_directory_urls=True)
    file.content_string = SUPPLEMENT_WITH_FRONT_MATTER
    page = Page(None, file, config)
    page.read_source(config)
    rebuilt = split_front_matter(_page_bytes(page).decode("utf-8"), "generated.md")
    original = split_front_matter(SUPPLEMENT_WITH_FRONT_MATTER, "generated.md")
    assert rebuilt.meta == original.meta
    assert rebuilt.body.strip() == original.body.strip()


@pytest.mark.parametrize("pages", [PAGES, MANY_PAGES], ids=["inline", "workers"])
def test_a_rebuild_from_the_cache_writes_the_same_pages(
    tmp_path: Path, pages: dict[str, str]
) -> None:
    config = write_site(tmp_path, pages)
    first = mkdocs_build(config)
    assert first.returncode == 0, first.stderr
    built = {name: built_page(tmp_path / "site", name).read_bytes() for name in pages}
    assert (tmp_path / ".schemapress-cache" / "CACHEDIR.TAG").is_file()
    second = mkdocs_build(config)
    assert second.returncode == 0, second.stderr
    assert {name: built_page(tmp_path / "site", name).read_bytes() for name in pages} == built
    assert plugin_lines(second.stderr, tmp_path) == plugin_lines(first.stderr, tmp_path)


@pytest.mark.parametrize("pages", [PAGES, MANY_PAGES], ids=["inline", "workers"])
def test_an_unknown_profile_stops_the_build(tmp_path: Path, pages: dict[str, str]) -> None:
    config = write_site(tmp_path, pages, options="      profile: veterinary\n")
    result = mkdocs_build(config)
    assert result.returncode != 0
    assert "veterinary" in result.stderr
    assert "no JSON-LD" not in result.stderr


@needs_two_cores
@pytest.mark.parametrize("cache", ["false", "true"])
def test_workers_write_the_same_pages_and_messages_as_one_core(tmp_path: Path, cache: str) -> None:
    options = f"{EMPTY_AUDIENCE}      strict: true\n      cache: {cache}\n"
    builds = []
    for one_core in (False, True):
        root = tmp_path / ("inline" if one_core else "workers")
        config = write_site(root, MANY_PAGES, options=options)
        result = mkdocs_build(config, "-v", one_core=one_core)
        assert result.returncode != 0
        assert "fail the strict build in part-0/ibuprofen.md, " in result.stderr
        pages = {name: built_page(root / "site", name).read_bytes() for name in MANY_PAGES}
        builds.append((pages, plugin_lines(result.stderr, root)))
    (pool_pages, pool_lines), (inline_pages, inline_lines) = builds
    assert any("worker process" in line for line in pool_lines)
    assert not any("worker process" in line for line in inline_lines)
    assert pool_pages == inline_pages
    assert [line for line in pool_lines if "worker process" not in line] == inline_lines
    assert any("empty.md: no JSON-LD" in line for line in inline_lines)
    assert any("content.date-in-future" in line for line in inline_lines)


@needs_two_cores
def test_the_workers_stop_when_a_build_ends_or_fails(tmp_path: Path) -> None:
    failing = write_site(tmp_path / "failing", MANY_PAGES, options="      profile: veterinary\n")
    with pytest.raises(Abort):
        build(load_config(str(failing)))
    assert multiprocessing.active_children() == []
    passing = write_site(tmp_path / "passing", MANY_PAGES)
    build(load_config(str(passing)))
    assert multiprocessing.active_children() == []
    assert all(built_page(tmp_path / "passing" / "site", name).is_file() for name in MANY_PAGES)
