"""`schemapress inject`: exit codes, what goes to stdout and stderr, and what is written."""

from __future__ import annotations

from typing import TYPE_CHECKING

from click.testing import CliRunner

from pipeline.cli import main

if TYPE_CHECKING:
    from pathlib import Path

PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Valerian root: uses and side effects</title>
  <link rel="canonical" href="https://example.org/valerian/">
</head>
<body>
<main>
<h1>Valerian root</h1>
<p>Valerian is a herbal supplement made from the root of a flowering plant.</p>
<h2>Side effects</h2>
<p>Some people notice headaches or an upset stomach after taking valerian.</p>
<h2>Is valerian safe in pregnancy?</h2>
<p>There is too little evidence, so ask a midwife or doctor before taking it.</p>
</main>
</body>
</html>
"""
THEME_NODE = (
    '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "WebPage",'
    ' "@id": "https://example.org/valerian/#page", "name": "Valerian root"}</script>\n'
)


def _site(tmp_path: Path, *, theme: bool = False) -> Path:
    site = tmp_path / "public"
    (site / "valerian").mkdir(parents=True)
    page = PAGE.replace("</head>", THEME_NODE + "</head>") if theme else PAGE
    (site / "valerian" / "index.html").write_text(page, encoding="utf-8")
    (site / "about.html").write_text(PAGE.replace("valerian/", "about.html"), encoding="utf-8")
    return site


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["inject", *args, "--no-cache"], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_inject_writes_each_page_and_says_so_on_stderr(tmp_path: Path) -> None:
    site = _site(tmp_path)

    code, stdout, stderr = _run(str(site))

    assert code == 0
    assert stdout == ""
    assert "2 pages: 2 changed, 0 unchanged, 0 failed" in stderr
    assert "data-schemapress" in (site / "valerian" / "index.html").read_text("utf-8")


def test_rerun_reports_every_page_unchanged(tmp_path: Path) -> None:
    site = _site(tmp_path)
    _run(str(site))

    code, _, stderr = _run(str(site))

    assert code == 0
    assert "2 pages: 0 changed, 2 unchanged, 0 failed" in stderr


def test_check_lists_pages_that_would_change_on_stdout_and_exits_1(tmp_path: Path) -> None:
    site = _site(tmp_path)
    before = (site / "about.html").read_bytes()

    code, stdout, stderr = _run(str(site), "--check")

    assert code == 1
    assert stdout.split() == ["about.html", "valerian/index.html"]
    assert "2 would change" in stderr
    assert (site / "about.html").read_bytes() == before


def test_remove_restores_the_pages(tmp_path: Path) -> None:
    site = _site(tmp_path)
    before = (site / "about.html").read_bytes()
    _run(str(site))

    code, _, stderr = _run(str(site), "--remove")

    assert code == 0
    assert "2 blocks removed" in stderr
    assert (site / "about.html").read_bytes() == before


def test_a_theme_page_node_is_a_warning_and_strict_fails(tmp_path: Path) -> None:
    site = _site(tmp_path, theme=True)

    code, _, stderr = _run(str(site), "--check", "--strict")

    assert code == 1
    assert "valerian/index.html: warning: " in stderr
    assert "[inject.existing-page-node]" in stderr


def test_merge_takes_the_theme_node_id(tmp_path: Path) -> None:
    site = _site(tmp_path, theme=True)

    code, _, stderr = _run(str(site), "--merge")

    assert code == 0
    assert "[inject.merged-page-node]" in stderr
    text = (site / "valerian" / "index.html").read_text("utf-8")
    assert text.count('"@id": "https://example.org/valerian/#page"') == 2
    assert "valerian/#webpage" not in text


def test_base_url_names_pages_without_a_canonical_link(tmp_path: Path) -> None:
    site = _site(tmp_path)
    page = site / "about.html"
    page.write_text(
        PAGE.replace('  <link rel="canonical" href="https://example.org/valerian/">\n', "")
    )

    _run(str(site), "--base-url", "https://example.net/docs/")

    assert '"url": "https://example.net/docs/about.html"' in page.read_text("utf-8")
    assert '"url": "https://example.org/valerian/"' in (site / "valerian/index.html").read_text()


def test_a_fragment_fails_alone_and_the_run_exits_1(tmp_path: Path) -> None:
    site = _site(tmp_path)
    (site / "partial.html").write_text("<p>Just a fragment.</p>\n")

    code, _, stderr = _run(str(site))

    assert code == 1
    assert "partial.html: has no <html>, <head> or <body> tag" in stderr
    assert "3 pages: 2 changed, 0 unchanged, 1 failed" in stderr
    assert (site / "partial.html").read_text() == "<p>Just a fragment.</p>\n"


def test_a_folder_without_pages_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["inject", str(tmp_path)])

    assert result.exit_code == 2
    assert "no .html pages found" in result.stderr


def test_remove_with_merge_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["inject", str(_site(tmp_path)), "--remove", "--merge"])

    assert result.exit_code == 2


def test_the_cache_skips_unchanged_pages_and_keeps_bytes(tmp_path: Path) -> None:
    site = _site(tmp_path)
    cache = tmp_path / "cache"
    runner = CliRunner()
    first = runner.invoke(main, ["inject", str(site), "--cache-dir", str(cache)])
    written = (site / "about.html").read_bytes()

    second = runner.invoke(main, ["inject", str(site), "--cache-dir", str(cache)])

    assert first.exit_code == second.exit_code == 0
    assert "0 changed, 2 unchanged" in second.stderr
    assert (site / "about.html").read_bytes() == written
    assert (cache / "CACHEDIR.TAG").is_file()


def test_a_block_from_the_mkdocs_plugin_or_a_paste_is_left_alone(tmp_path: Path) -> None:
    site = _site(tmp_path)
    pasted = '<script type="application/ld+json" data-schemapress>{}</script>\n'
    page = site / "about.html"
    page.write_text(page.read_text().replace("</head>", pasted + "</head>"))
    before = page.read_bytes()

    code, _, stderr = _run(str(site))

    assert code == 0
    assert page.read_bytes() == before
    assert "1 changed, 1 unchanged" in stderr
