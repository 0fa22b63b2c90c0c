"""The preview page in a real Chromium: Copy gives the exact snippet, no errors, no network."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import pytest
from click.testing import CliRunner

from pipeline.cli import main

if TYPE_CHECKING:
    from collections.abc import Iterator

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
SCREENSHOT = ROOT / "docs" / "preview.png"
CHROMIUM = Path(os.environ.get("SCHEMAPRESS_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _unavailable(reason: str) -> NoReturn:
    """CI must run this test: there a missing browser fails it instead of skipping it."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI installs it (see .ci/run)")
    pytest.skip(reason)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """Keep the test output clean."""


@pytest.fixture
def out_dir(tmp_path: Path, seed_path: Path) -> Path:
    pages = tmp_path / "pages"
    pages.mkdir()
    shutil.copy(seed_path, pages / seed_path.name)
    for example in EXAMPLES.iterdir():
        shutil.copy(example, pages / example.name)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["convert", str(pages), "-o", str(out)])
    assert result.exit_code in {0, 1}, result.stderr
    assert (out / "index.html").is_file()
    return out


@pytest.fixture
def base_url(out_dir: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(out_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def browser_page(tmp_path: Path) -> Iterator[Any]:
    if not CHROMIUM.is_file():
        _unavailable(f"Chromium is not installed at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright  # noqa: PLC0415
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1200, "height": 900},
        )
        context.grant_permissions(["clipboard-read", "clipboard-write"])
        try:
            yield context.new_page()
        finally:
            context.close()


def test_copy_puts_the_exact_snippet_bytes_on_the_clipboard(
    browser_page: Any,
    base_url: str,
    out_dir: Path,
    request: pytest.FixtureRequest,
) -> None:
    page = browser_page
    errors: list[str] = []
    foreign: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: None if r.url.startswith(base_url) else foreign.append(r.url))
    page.goto(base_url + "index.html", wait_until="networkidle")

    buttons = page.locator("button[data-copy]")
    snippets = sorted(p for p in out_dir.glob("*.html") if p.name.count(".") == 1)
    snippets.remove(out_dir / "index.html")
    assert buttons.count() == len(snippets) == 4
    for index in range(buttons.count()):
        button = buttons.nth(index)
        file_name = button.locator("xpath=ancestor::section[1]//h3/code").inner_text()
        button.click()
        status = page.locator("#" + str(button.get_attribute("aria-describedby")))
        status.filter(has_text="Copied.").wait_for()
        copied: str = page.evaluate("navigator.clipboard.readText()")
        assert copied.encode("utf-8") == (out_dir / file_name).read_bytes(), file_name

    page.evaluate(
        "document.querySelector('details.faq-preview-box').open = true; window.scrollTo(0, 0)"
    )
    page.screenshot(path=str(out_dir / "preview.png"))
    if request.config.getoption("--update-golden"):
        SCREENSHOT.parent.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOT))
    assert errors == []
    assert foreign == []


def test_filter_and_copy_work_from_the_keyboard(browser_page: Any, base_url: str) -> None:
    page = browser_page
    page.goto(base_url + "index.html")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "filter"
    page.keyboard.type("valerian")
    visible = page.locator("article.page:visible")
    assert visible.count() == 1
    assert "valerian-sleep" in visible.first.inner_text()
    assert page.locator("tr[data-page]:visible").count() == 1
    page.keyboard.press("Escape")
    assert page.locator("article.page:visible").count() == 4

    button = page.locator("button[data-copy]").first
    button.focus()
    page.keyboard.press("Enter")
    page.locator("#" + str(button.get_attribute("aria-describedby"))).filter(
        has_text="Copied."
    ).wait_for()


def test_the_page_shows_the_faq_block_graph_table_and_content_warnings(
    browser_page: Any,
    base_url: str,
) -> None:
    page = browser_page
    page.goto(base_url + "index.html")
    seed = page.locator("article.page", has_text="000_b39bcc1e422b6834")
    actions = seed.locator("section.actions").inner_text()
    for rule in ("analyse.title-inferred", "analyse.questions-derived"):
        assert rule in actions
    seed.locator("summary", has_text="Visible FAQ block").click()
    question = seed.locator("details#faq-is-kratom-safe summary")
    assert question.inner_text() == "Is kratom safe?"
    seed.locator("summary", has_text="Graph").click()
    row = seed.locator("tr", has_text="mechanismOfAction").first
    assert "«Potential Mechanisms»" in row.inner_text()
