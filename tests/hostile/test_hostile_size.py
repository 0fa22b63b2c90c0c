"""Pages of hostile size and shape finish fast, alone, with a message naming the limit."""

from __future__ import annotations

import contextlib
import os
import time
from typing import TYPE_CHECKING

import pytest

from pipeline.api import Toolkit, convert_many, convert_source, discover
from pipeline.errors import ConfigError, InputError
from pipeline.limits import Limits
from pipeline.model import Failure, Format, Result, Source
from pipeline.settings import Settings, settings_from_mapping

if TYPE_CHECKING:
    from pathlib import Path

TOOLKIT = Toolkit.from_settings(Settings())
MB = 1024 * 1024
GOOD = "KRATOM\nSide Effects\nKratom may cause nausea and dizziness in some people.\n"


def _timed_convert(data: bytes, media: Format, settings: Settings | None = None) -> float:
    start = time.monotonic()
    with contextlib.suppress(InputError):
        convert_source(
            data,
            Source(path=f"p.{media}", relative="p", media=media),
            settings or Settings(),
            TOOLKIT,
        )
    return time.monotonic() - start


def _batch(folder: Path) -> list[Result | Failure]:
    return list(convert_many(discover([str(folder)]), Settings()))


def test_a_50_mb_file_fails_alone_and_the_batch_completes(tmp_path: Path) -> None:
    with (tmp_path / "huge.txt").open("wb") as stream:
        stream.truncate(50 * MB)
    (tmp_path / "good.txt").write_text(GOOD)
    good, huge = _batch(tmp_path)
    assert isinstance(huge, Failure)
    assert "huge.txt: the file is larger than 20 MB" in huge.message
    assert isinstance(good, Result)


@pytest.mark.parametrize("media", ["text", "markdown", "html"])
def test_a_single_10_mb_line_is_refused_in_seconds(media: Format) -> None:
    line = "Kratom may cause nausea and other side effects when taken daily. " * (10 * MB // 66)
    page = {"text": f"Kratom\n{line}\n", "markdown": f"# Kratom\n\n{line}\n",
            "html": f"<html><body><h1>Kratom</h1><p>{line}</p></body></html>"}[media]  # fmt: skip
    assert _timed_convert(page.encode(), media) < 10


def test_a_long_line_names_the_text_limit() -> None:
    page = ("Kratom\n" + "word " * 300_000).encode()
    with pytest.raises(InputError, match=r"1,500,0\d\d characters of text, more than .* 1,000,000"):
        convert_source(page, Source(path="p.txt", relative="p"), Settings(), TOOLKIT)


@pytest.mark.parametrize(
    ("media", "page"),
    [
        ("markdown", "".join(f"## Is heading {i} safe?\n\nText {i}.\n\n" for i in range(100_000))),
        ("html", "<body>" + "".join(f"<h2>H {i}?</h2><p>Text {i}.</p>" for i in range(100_000))),
        (
            "text",
            "".join(
                f"Heading {i}\nSome body text that is long enough to be body.\n"
                for i in range(100_000)
            ),
        ),
    ],
    ids=["markdown", "html", "text"],
)
def test_100000_headings_are_refused_in_seconds(media: Format, page: str) -> None:
    with pytest.raises(
        InputError, match=r"the page has 100,000 headings, more than the limit of 5,000"
    ):
        convert_source(
            page.encode(), Source(path="p", relative="p", media=media), Settings(), TOOLKIT
        )
    assert _timed_convert(page.encode(), media) < 10


@pytest.mark.parametrize(
    ("media", "page"),
    [
        ("html", "<html><body>" + "<div>" * 10_000 + "deep text" + "</div>" * 10_000),
        ("html", "<ul><li>" * 10_000 + "deep"),
        ("markdown", "> " * 10_000 + "deep text\n"),
        ("markdown", "- " * 10_000 + "deep text\n"),
        ("markdown", "*a " * 10_000 + "deep"),
    ],
    ids=["html-div", "html-list", "md-quote", "md-list", "md-emphasis"],
)
def test_nesting_10000_deep_finishes_without_recursion_error(media: Format, page: str) -> None:
    assert _timed_convert(page.encode(), media) < 10


def test_limits_come_from_settings_and_are_checked() -> None:
    settings = settings_from_mapping({"limits": {"max_headings": 2}}, "schemapress.toml")
    page = b"# A\n\n## B?\n\nx.\n\n## C?\n\ny.\n\n## D?\n\nz.\n"
    with pytest.raises(InputError, match=r"raise limits\.max_headings"):
        convert_source(page, Source(path="p.md", relative="p"), settings, TOOLKIT)
    with pytest.raises(ConfigError, match=r"limits\.max_headings"):
        settings_from_mapping({"limits": {"max_headings": 0}}, "schemapress.toml")
    with pytest.raises(ConfigError, match="did you mean 'max_headings'"):
        settings_from_mapping({"limits": {"max_heading": 3}}, "schemapress.toml")
    assert Limits().max_page_bytes == 20 * MB


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_a_symlink_loop_in_a_folder_is_not_followed(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "page.txt").write_text(GOOD)
    (tmp_path / "a" / "loop").symlink_to(tmp_path / "a", target_is_directory=True)
    (tmp_path / "self").symlink_to(tmp_path / "self")
    found = [source.relative for source in discover([str(tmp_path)])]
    assert found == ["a/page.txt"]
    assert all(isinstance(item, Result) for item in _batch(tmp_path))


def test_a_file_that_vanishes_mid_run_fails_alone(tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text(GOOD)
    sources = discover([str(tmp_path)])
    (tmp_path / "b.txt").unlink()
    items = list(convert_many(sources, Settings()))
    assert [item.status for item in items] == ["ok", "failed", "ok"]
    assert isinstance(items[1], Failure)
    assert "b.txt" in items[1].message
