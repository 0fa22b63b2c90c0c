"""The incremental cache: hits only for unchanged input, settings and outputs; misses otherwise."""

from __future__ import annotations

import pickle
from typing import TYPE_CHECKING

from pipeline.cache import Cache, CachedPage, tool_fingerprint
from pipeline.model import Finding, Severity, Source, sorted_report
from pipeline.settings import CheckConfig, Settings

if TYPE_CHECKING:
    from pathlib import Path

PAGE = b"Aspirin\n\nAspirin is a drug people take to ease pain.\n"
FINDING = Finding(
    rule="build.relative-ids",
    severity=Severity.INFO,
    message="no page URL is known",
    path=("@graph", 0),
    source="pages/aspirin.txt",
)


def _source(tmp_path: Path) -> Source:
    return Source(path=str(tmp_path / "aspirin.txt"), relative="aspirin.txt")


def _stored(tmp_path: Path, cache: Cache, source: Source) -> Path:
    output = tmp_path / "out" / "aspirin.jsonld"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(b"{}\n")
    assert cache.lookup_page(source, PAGE, Settings()) is None
    row = {"source": source.path, "status": "ok", "outputs": {"jsonld": output.as_posix()}}
    page = CachedPage(source=source, row=row, report=sorted_report((FINDING,)))
    cache.record_page(page, {output.as_posix(): b"{}\n"})
    return output


def test_a_recorded_page_is_a_hit_with_its_row_and_findings(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    source = _source(tmp_path)
    _stored(tmp_path, cache, source)

    hit = Cache(tmp_path / "cache").lookup_page(source, PAGE, Settings())

    assert hit is not None
    assert hit.row["status"] == "ok"
    assert hit.report.findings == (FINDING,)
    assert hit.status == "ok"


def test_changed_bytes_or_settings_miss(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    source = _source(tmp_path)
    _stored(tmp_path, cache, source)
    strict = Settings(check=CheckConfig(strict=True))

    assert cache.lookup_page(source, PAGE + b"More.\n", Settings()) is None
    assert cache.lookup_page(source, PAGE, strict) is None


def test_an_output_edited_or_deleted_since_is_a_miss(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    source = _source(tmp_path)
    output = _stored(tmp_path, cache, source)

    output.write_bytes(b"{ }\n")
    assert cache.lookup_page(source, PAGE, Settings()) is None
    output.unlink()
    assert cache.lookup_page(source, PAGE, Settings()) is None


def test_a_read_only_cache_stores_nothing(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache", read_only=True)
    source = _source(tmp_path)
    _stored(tmp_path, cache, source)

    assert not (tmp_path / "cache").exists()


def test_a_cache_that_needs_previews_misses_entries_without_one(tmp_path: Path) -> None:
    source = _source(tmp_path)
    _stored(tmp_path, Cache(tmp_path / "cache"), source)

    assert Cache(tmp_path / "cache", preview=True).lookup_page(source, PAGE, Settings()) is None


def test_a_corrupt_entry_is_a_miss_not_a_crash(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    key = cache.key("inject", PAGE, ("a",))
    cache.record_block(key, "<script data-schemapress></script>", sorted_report(()))
    entry = next((tmp_path / "cache").glob("*/*.json"))

    entry.write_text('{"block": "x", "findings": [{"rule": 1}]}')
    assert cache.lookup_block(key) is None
    entry.write_text("not json")
    assert cache.lookup_block(key) is None


def test_inject_blocks_round_trip(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    key = cache.key("inject", PAGE, ("site/a.html", "settings"))
    report = sorted_report((FINDING,))

    cache.record_block(key, "<script data-schemapress>{}</script>", report)
    hit = cache.lookup_block(key)

    assert hit is not None
    assert hit.block == "<script data-schemapress>{}</script>"
    assert hit.report == report
    assert cache.lookup_block(cache.key("inject", PAGE, ("site/b.html", "settings"))) is None


def test_keys_frame_their_parts_so_shifted_boundaries_differ(tmp_path: Path) -> None:
    cache = Cache(tmp_path)

    assert cache.key("k", b"", ("ab", "c")) != cache.key("k", b"", ("a", "bc"))
    assert cache.key("k", b"x", ()) == cache.key("k", b"x", ())


def test_the_cache_folder_is_tagged_and_ignored_by_git(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    cache.record_block(
        cache.key("k", b"", ()), "<script data-schemapress></script>", sorted_report(())
    )

    assert (tmp_path / "cache" / ".gitignore").read_text().strip().endswith("*")
    assert (tmp_path / "cache" / "CACHEDIR.TAG").read_bytes().startswith(b"Signature: 8a477f59")


def test_tool_fingerprint_is_stable_within_a_run() -> None:
    assert tool_fingerprint() == tool_fingerprint()
    assert len(tool_fingerprint()) == 64


def test_cached_page_pickles_for_worker_processes(tmp_path: Path) -> None:
    page = CachedPage(source=_source(tmp_path), row={"status": "ok"}, report=sorted_report(()))

    assert pickle.loads(pickle.dumps(page)) == page  # noqa: S301 - our own value
