"""The writer streams: report.json and the preview come from a spool, a batch grows no memory."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import tracemalloc
from typing import TYPE_CHECKING, Any

import pytest

from pipeline.api import convert
from pipeline.cache import Cache
from pipeline.emit.files import write_atomic_parts
from pipeline.emit.report import report_parts, report_row
from pipeline.model import Failure, Source
from pipeline.page_writer import WriteMode
from pipeline.settings import OutputConfig, Settings
from pipeline.spool import Spool
from pipeline.writer import Writer, with_failures

if TYPE_CHECKING:
    from pathlib import Path

PAGE = "Willow Bark\nWillow bark eases pain, and people take it as a tea.\n"


def _row(name: str, status: str, *severities: str) -> dict[str, Any]:
    findings = [
        {"severity": s, "rule": "r", "path": "", "message": f'ünïcode {name} "quoted"\n'}
        for s in severities
    ]
    return {"source": name, "status": status, "sections": [], "findings": findings}


@pytest.mark.parametrize("count", [0, 1, 3])
def test_the_report_in_parts_is_the_one_json_dump_of_the_whole(count: int) -> None:
    rows = [
        _row("a", "ok", "warning"),
        _row("b", "invalid", "error", "warning", "info"),
        _row("c", "failed", "error"),
    ][:count]
    counts = {"pages": count, "ok": 0, "invalid": 0, "failed": 0, "errors": 0, "warnings": 0}
    for row in rows:
        counts[row["status"]] += 1
        for finding in row["findings"]:
            counts[f"{finding['severity']}s"] = counts.get(f"{finding['severity']}s", 0) + 1
    counts.pop("infos", None)
    whole = {"tool": {"name": "schemapress", "version": "1.0"}, "pages": rows, "summary": counts}

    text = "".join(report_parts(map(report_row, rows), version="1.0"))

    assert text == json.dumps(whole, ensure_ascii=False, indent=2) + "\n"


def test_a_spool_gives_its_records_back_in_order_to_two_readers_at_once() -> None:
    spool = Spool()
    records = [(n % 2 == 0, f"record {n}".encode() * n) for n in range(50)]
    for flag, record in records:
        spool.append(record, flag=flag)

    first, second = iter(spool), iter(spool)
    pairs = [(next(first), next(second)) for _ in records]

    assert [a for a, _ in pairs] == records
    assert [b for _, b in pairs] == records
    spool.append(b"last")
    assert list(spool)[-1] == (False, b"last")


def test_a_file_written_in_parts_is_whole_and_an_unchanged_one_keeps_its_time(
    tmp_path: Path,
) -> None:
    target = tmp_path / "deep" / "report.json"
    parts = [b"one ", b"two ", b"three"]

    digest = write_atomic_parts(target, parts)
    os.utime(target, ns=(0, 10**18))
    again = write_atomic_parts(target, iter(parts))

    assert target.read_bytes() == b"one two three"
    assert digest == again == hashlib.sha256(b"one two three").hexdigest()
    assert target.stat().st_mtime_ns == 10**18
    assert [p.name for p in target.parent.iterdir()] == ["report.json"]
    write_atomic_parts(target, [b"other"])
    assert target.read_bytes() == b"other"


def test_a_failed_write_in_parts_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_bytes(b"old")

    def parts() -> list[bytes]:
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space"):
        write_atomic_parts(target, iter([b"new", *parts()]))

    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


@pytest.mark.parametrize("cached", [False, True], ids=["no-cache", "cache"])
def test_a_batch_keeps_a_few_hundred_bytes_a_page_at_most(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, cached: bool
) -> None:
    monkeypatch.setattr(os, "fsync", lambda _: None)  # the test is about memory, not the disk
    settings = Settings(output=OutputConfig(out_dir=str(tmp_path / "out")))
    cache = Cache(tmp_path / "cache") if cached else None
    writer = Writer(settings=settings, mode=WriteMode(preview=True), cache=cache, echo=_quiet)
    result = convert(PAGE, config=settings)

    def add(first: int, count: int) -> None:
        for number in range(first, first + count):
            source = Source(path=f"pages/page-{number}.txt", relative=f"page-{number}.txt")
            written = writer.page_writer(dataclasses.replace(result, source=source), number)
            if cache is None:
                writer.add(written)
                continue
            key, _ = cache.probe(source, PAGE.encode(), settings)
            with cache.expecting(source.path, key):
                writer.add(written)

    # Past the pages the preview details, and past the interpreter's free lists filling up; the
    # interned-string table that `pathlib` churns is the interpreter's, not the batch's. What the
    # page writer allocates is a worker's in a real run, so only the parent's share is weighed.
    add(0, 300)
    leave_out = [
        tracemalloc.Filter(inclusive=False, filename_pattern="*pathlib.py"),
        tracemalloc.Filter(inclusive=False, filename_pattern="*tracemalloc.py"),
        tracemalloc.Filter(inclusive=False, filename_pattern="*page_writer.py", all_frames=True),
    ]
    tracemalloc.start(32)
    before = tracemalloc.take_snapshot().filter_traces(leave_out)
    add(300, 300)
    after = tracemalloc.take_snapshot().filter_traces(leave_out)
    tracemalloc.stop()

    grown = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
    assert grown < 300 * 300
    writer.write_report(tmp_path / "out" / "report.json", "1.0")
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert [p["source"] for p in report["pages"]] == [f"pages/page-{n}.txt" for n in range(600)]


def _quiet(message: str, *, err: bool = False, nl: bool = True) -> None:
    del message, err, nl


def test_failures_go_back_to_their_places_in_the_batch() -> None:
    failures = {
        n: Failure(source=Source(path=f"p{n}", relative=f"p{n}"), message="m") for n in (0, 2, 5, 6)
    }

    merged = with_failures(["a", "b", "c"], failures, lambda failure, _: failure.source.path)

    assert list(merged) == ["p0", "a", "p2", "b", "c", "p5", "p6"]
