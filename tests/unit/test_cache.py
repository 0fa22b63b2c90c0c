"""The incremental cache: hits only for unchanged input, settings and outputs; misses otherwise."""

from __future__ import annotations

import gc
import hashlib
import io
import json
import os
import pickle
import time
import weakref
from typing import TYPE_CHECKING

import pytest

from pipeline import cache as cache_module
from pipeline import cache_index
from pipeline.api import discover
from pipeline.cache import Cache, CachedPage, run_state, tool_fingerprint
from pipeline.cache_rows import intern_row
from pipeline.emit.preview import PreviewPage
from pipeline.model import Finding, Severity, Source, sorted_report
from pipeline.settings import CheckConfig, OutputConfig, Settings

if TYPE_CHECKING:
    from pathlib import Path

    from pipeline.model import Failure, JsonObject, Result

PAGE = b"Aspirin\n\nAspirin is a drug people take to ease pain.\n"
# The SHA-256 of the one output these tests write, `{}` and a newline.
EMPTY_DIGEST = hashlib.sha256(b"{}\n").hexdigest()
FINDING = Finding(
    rule="build.relative-ids",
    severity=Severity.INFO,
    message="no page URL is known",
    path=("@graph", 0),
    source="pages/aspirin.txt",
)
WARNING = Finding(
    rule="analyse.title-inferred",
    severity=Severity.WARNING,
    message="the page has no title",
    hint="give the page a title",
)
PREVIEW = PreviewPage(source="aspirin.txt", name="aspirin.txt", status="ok", findings=(WARNING,))


def _source(tmp_path: Path) -> Source:
    return Source(path=str(tmp_path / "aspirin.txt"), relative="aspirin.txt")


def _settings(tmp_path: Path) -> Settings:
    return Settings(output=OutputConfig(out_dir=str(tmp_path / "out")))


def _stored(tmp_path: Path, cache: Cache, source: Source, *, settle: bool = True) -> Path:
    """Write one output, record the page, and save the index a clock tick later."""
    output = tmp_path / "out" / "aspirin.jsonld"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(b"{}\n")
    assert _look_up(cache, source, PAGE, _settings(tmp_path)) is None
    row: JsonObject = {
        "source": source.path,
        "status": "ok",
        "outputs": {"jsonld": output.as_posix()},
    }
    report = sorted_report((FINDING, WARNING))
    page = CachedPage.from_row(source=source, row=row, report=report, preview=PREVIEW)
    assert _record(cache, page, PAGE, _settings(tmp_path), output) is not None
    if settle:
        # Stamps as new as the index are re-hashed (racy); the wait makes this one trusted.
        time.sleep(0.05)
    cache.save()
    return output


def _lookup(tmp_path: Path, settings: Settings | None = None, **options: bool) -> CachedPage | None:
    """Look the page up as a new run would: a new Cache that loads the index from disk."""
    cache = Cache(tmp_path / "cache", **options)
    return _look_up(cache, _source(tmp_path), PAGE, settings or _settings(tmp_path))


def _look_up(cache: Cache, source: Source, data: bytes, settings: Settings) -> CachedPage | None:
    """Look a page up as `Cache.convert` does: probe it, then take the entry it vouched for."""
    key, found = cache.probe(source, data, settings)
    return cache.recall_page(source, key) if found else None


def _record(
    cache: Cache, page: CachedPage, data: bytes, settings: Settings, output: Path
) -> str | None:
    """Record a page converted now, as `Cache.convert` lets the writer: under its key."""
    key, _ = cache.probe(page.source, data, settings)
    with cache.expecting(page.source.path, key):
        return cache.record_page(page, [(output.as_posix(), EMPTY_DIGEST)])


@pytest.fixture
def hashed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files the cache reads back to hash them."""
    calls: list[str] = []
    real = cache_index.file_digest

    def spy(path: str) -> str | None:
        calls.append(path)
        return real(path)

    monkeypatch.setattr(cache_index, "file_digest", spy)
    return calls


def test_the_index_round_trips_row_report_and_preview(tmp_path: Path) -> None:
    source = _source(tmp_path)
    output = _stored(tmp_path, Cache(tmp_path / "cache"), source)

    hit = _lookup(tmp_path)

    assert hit is not None
    assert hit.row["status"] == "ok"
    assert hit.report.findings == (WARNING,)  # the findings that decide a run
    assert hit.preview == PREVIEW
    assert hit.outputs == (output.as_posix(),)
    assert hit.status == "ok"
    assert [p.name for p in (tmp_path / "cache").glob("*.index")] == [
        next((tmp_path / "cache").glob("convert-*.index")).name
    ]


def test_an_unchanged_output_is_trusted_by_its_stat_without_reading_it(
    tmp_path: Path, hashed: list[str]
) -> None:
    _stored(tmp_path, Cache(tmp_path / "cache"), _source(tmp_path))

    assert _lookup(tmp_path) is not None
    assert hashed == []


def test_a_stamp_as_new_as_the_index_is_rehashed(tmp_path: Path, hashed: list[str]) -> None:
    cache = Cache(tmp_path / "cache")
    output = _stored(tmp_path, cache, _source(tmp_path), settle=False)
    index = next((tmp_path / "cache").glob("*.index"))
    os.utime(index, ns=(0, output.stat().st_mtime_ns))

    assert _lookup(tmp_path) is not None
    assert hashed == [output.as_posix()]


def test_a_touched_but_unchanged_output_is_rehashed_once_then_trusted(
    tmp_path: Path, hashed: list[str]
) -> None:
    output = _stored(tmp_path, Cache(tmp_path / "cache"), _source(tmp_path))
    os.utime(output, ns=(0, 10**18))
    rerun = Cache(tmp_path / "cache")

    assert _look_up(rerun, _source(tmp_path), PAGE, _settings(tmp_path)) is not None
    assert hashed == [output.as_posix()]
    time.sleep(0.05)
    rerun.save()
    assert _lookup(tmp_path) is not None
    assert hashed == [output.as_posix()]


def test_an_output_edited_by_hand_is_a_miss(tmp_path: Path) -> None:
    output = _stored(tmp_path, Cache(tmp_path / "cache"), _source(tmp_path))

    output.write_bytes(b"{ }\n")

    assert _lookup(tmp_path) is None


def test_an_edit_that_keeps_size_and_modification_time_is_a_miss(tmp_path: Path) -> None:
    output = _stored(tmp_path, Cache(tmp_path / "cache"), _source(tmp_path))
    before = output.stat()

    output.write_bytes(b"[]\n")
    os.utime(output, ns=(before.st_atime_ns, before.st_mtime_ns))

    assert output.stat().st_mtime_ns == before.st_mtime_ns
    assert _lookup(tmp_path) is None


def test_a_deleted_output_is_a_miss(tmp_path: Path) -> None:
    output = _stored(tmp_path, Cache(tmp_path / "cache"), _source(tmp_path))

    output.unlink()

    assert _lookup(tmp_path) is None


def test_changed_bytes_or_settings_miss(tmp_path: Path) -> None:
    source = _source(tmp_path)
    _stored(tmp_path, Cache(tmp_path / "cache"), source)
    strict = Settings(output=_settings(tmp_path).output, check=CheckConfig(strict=True))

    assert (
        _look_up(Cache(tmp_path / "cache"), source, PAGE + b"More.\n", _settings(tmp_path)) is None
    )
    assert _lookup(tmp_path, strict) is None
    assert _lookup(tmp_path) is not None


def test_a_new_tool_fingerprint_misses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _stored(tmp_path, Cache(tmp_path / "cache"), _source(tmp_path))

    monkeypatch.setattr(cache_module, "tool_fingerprint", lambda: "another release")

    assert _lookup(tmp_path) is None


@pytest.mark.parametrize(
    "damage",
    [
        lambda _: b"not an index",
        lambda data: data[: len(data) // 2],
        lambda data: data[:-1] + bytes([data[-1] ^ 1]),
        lambda data: data.replace(b"schemapress-index 1", b"schemapress-index 9"),
    ],
    ids=["garbage", "cut-short", "flipped-bit", "other-layout"],
)
def test_a_corrupt_index_is_treated_as_empty(tmp_path: Path, damage: object) -> None:
    _stored(tmp_path, Cache(tmp_path / "cache"), _source(tmp_path))
    index = next((tmp_path / "cache").glob("*.index"))
    assert callable(damage)

    index.write_bytes(damage(index.read_bytes()))

    assert _lookup(tmp_path) is None
    _stored(tmp_path, Cache(tmp_path / "cache"), _source(tmp_path))
    assert _lookup(tmp_path) is not None


def test_a_read_only_cache_stores_nothing(tmp_path: Path) -> None:
    _stored(tmp_path, Cache(tmp_path / "cache", read_only=True), _source(tmp_path))

    assert not (tmp_path / "cache").exists()


def test_a_cache_that_needs_previews_misses_entries_without_one(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    source = _source(tmp_path)
    output = tmp_path / "out" / "aspirin.jsonld"
    output.parent.mkdir(parents=True)
    output.write_bytes(b"{}\n")
    row: JsonObject = {"source": source.path, "outputs": {"jsonld": output.as_posix()}}
    page = CachedPage.from_row(source=source, row=row, report=sorted_report(()), preview=None)
    _record(cache, page, PAGE, _settings(tmp_path), output)
    cache.save()

    assert _lookup(tmp_path, preview=True) is None
    assert _lookup(tmp_path) is not None


def test_output_folders_sharing_a_cache_folder_keep_their_own_index(tmp_path: Path) -> None:
    _stored(tmp_path, Cache(tmp_path / "cache"), _source(tmp_path))
    elsewhere = Settings(output=OutputConfig(out_dir=str(tmp_path / "other")))

    assert _lookup(tmp_path, elsewhere) is None
    Cache(tmp_path / "cache").save()

    assert len(list((tmp_path / "cache").glob("*.index"))) == 1
    assert _lookup(tmp_path) is not None


def test_overlapping_runs_leave_a_whole_index_from_the_last_to_save(tmp_path: Path) -> None:
    source, settings = _source(tmp_path), _settings(tmp_path)
    runs = [Cache(tmp_path / "cache"), Cache(tmp_path / "cache")]
    assert [_look_up(run, source, PAGE, settings) for run in runs] == [None, None]
    output = tmp_path / "out" / "aspirin.jsonld"
    output.parent.mkdir(parents=True)
    output.write_bytes(b"{}\n")
    row: JsonObject = {"source": source.path, "outputs": {"jsonld": output.as_posix()}}
    page = CachedPage.from_row(source=source, row=row, report=sorted_report(()), preview=None)

    for run in runs:
        _record(run, page, PAGE, settings, output)
        run.save()

    assert _lookup(tmp_path) is not None
    assert not [p for p in (tmp_path / "cache").iterdir() if p.suffix == ".tmp"]


def test_run_wide_files_are_current_only_for_the_same_state_and_bytes(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    _stored(tmp_path, cache, _source(tmp_path))
    report = tmp_path / "out" / "report.json"
    report.write_bytes(b"{}\n")
    state = run_state(["key-1", "key-2"], "report", "1.0")
    cache.record_file(report, state, hashlib.sha256(b"{}\n").hexdigest())
    cache.save()
    rerun = Cache(tmp_path / "cache")
    rerun.probe(_source(tmp_path), PAGE, _settings(tmp_path))

    assert rerun.lookup_file(report, state)
    assert not rerun.lookup_file(report, run_state(["key-2", "key-1"], "report", "1.0"))
    assert not rerun.lookup_file(report, run_state(["key-1", "key-2"], "report", "1.1"))
    report.write_bytes(b"[]\n")
    assert not rerun.lookup_file(report, state)


def test_a_corrupt_block_entry_is_a_miss_not_a_crash(tmp_path: Path) -> None:
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
    assert run_state(["ab", "c"]) != run_state(["a", "bc"])


def test_the_cache_folder_is_tagged_and_ignored_by_git(tmp_path: Path) -> None:
    _stored(tmp_path, Cache(tmp_path / "cache"), _source(tmp_path))

    assert (tmp_path / "cache" / ".gitignore").read_text().strip().endswith("*")
    assert (tmp_path / "cache" / "CACHEDIR.TAG").read_bytes().startswith(b"Signature: 8a477f59")


def test_tool_fingerprint_is_stable_within_a_run() -> None:
    assert tool_fingerprint() == tool_fingerprint()
    assert len(tool_fingerprint()) == 64


def test_cached_page_pickles_for_worker_processes(tmp_path: Path) -> None:
    page = CachedPage.from_row(
        source=_source(tmp_path), row={"status": "ok"}, report=sorted_report(()), preview=None
    )

    assert pickle.loads(pickle.dumps(page)) == page


def test_a_page_recorded_twice_in_a_run_keeps_one_entry_the_last(tmp_path: Path) -> None:
    source, settings = _source(tmp_path), _settings(tmp_path)
    other = Source(path=str(tmp_path / "willow.txt"), relative="willow.txt")
    output = tmp_path / "out" / "aspirin.jsonld"
    output.parent.mkdir(parents=True)
    output.write_bytes(b"{}\n")
    cache = Cache(tmp_path / "cache")
    for page, data in ((source, PAGE), (other, PAGE), (source, PAGE + b"More.\n")):
        row: JsonObject = {"source": page.path, "outputs": {"jsonld": output.as_posix()}}
        entry = CachedPage.from_row(source=page, row=row, report=sorted_report(()), preview=None)
        _record(cache, entry, data, settings, output)
    time.sleep(0.05)
    cache.save()

    rerun = Cache(tmp_path / "cache")
    assert _look_up(rerun, source, PAGE, settings) is None
    assert _look_up(rerun, source, PAGE + b"More.\n", settings) is not None
    assert _look_up(rerun, other, PAGE, settings) is not None
    index = next((tmp_path / "cache").glob("*.index")).read_bytes()
    assert index.count(b"aspirin.txt") == 1


def test_a_cached_run_lets_go_of_the_pages_once_it_has_looked_them_up(tmp_path: Path) -> None:
    class Pages(list[Source]):
        """A list a weak reference can watch."""

    pages = tmp_path / "pages"
    pages.mkdir()
    for name in ("aspirin", "willow"):
        (pages / f"{name}.txt").write_bytes(PAGE.replace(b"Aspirin", name.title().encode()))
    sources = Pages(discover([str(pages)]))
    watch = weakref.ref(sources)
    results = Cache(tmp_path / "cache").convert(sources, _settings(tmp_path), _as_is)
    del sources

    first = next(results)
    gc.collect()

    assert watch() is None
    assert [first.source.relative, *(item.source.relative for item in results)] == [
        "aspirin.txt",
        "willow.txt",
    ]


def _as_is(item: Result | Failure, position: int) -> Result | Failure:
    del position
    return item


def test_findings_table_rows_are_shared_and_staged_as_the_index_writes_them() -> None:
    """Rows go to the staged table once each, in first-seen order; memory keeps only digests."""
    places: dict[bytes, int] = {}
    table = io.BytesIO()
    rows = [
        ["a.rule", "warning", "no dose"],
        ["b.rule", "error", "é"],
        ["a.rule", "warning", "no dose"],
    ]

    refs = [intern_row(places, table, row) for row in rows]

    assert refs == [0, 1, 0]
    assert json.loads(b"[" + table.getvalue() + b"]") == rows[:2]
    assert all(len(key) == 16 for key in places)  # digests, not the rows' texts
