"""The page writer runs in the worker: it pickles, and sends back far less than the result."""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path

from pipeline.api import convert, convert_each
from pipeline.emit.preview import DETAIL_PAGES
from pipeline.model import Source
from pipeline.page_writer import PageWriter, WriteMode
from pipeline.settings import OutputConfig, Settings

EXAMPLE = Path(__file__).parents[2] / "examples" / "valerian-sleep.txt"
PAGE = "Willow Bark\nWillow bark eases pain, and people take it as a tea.\n"


def _writer(tmp_path: Path, **mode: bool) -> PageWriter:
    return PageWriter(output=OutputConfig(out_dir=str(tmp_path / "out")), mode=WriteMode(**mode))


def test_a_written_page_is_a_small_part_of_the_result_it_replaces(tmp_path: Path) -> None:
    writer = _writer(tmp_path, preview=True)
    result = dataclasses.replace(
        convert(EXAMPLE), source=Source(path="in/valerian.txt", relative="valerian.txt")
    )

    written = pickle.loads(pickle.dumps(writer(result, DETAIL_PAGES)))

    assert pickle.loads(pickle.dumps(writer)) == writer
    assert len(pickle.dumps(written)) * 4 < len(pickle.dumps(result))
    assert written.status == "ok"
    assert [path for path, _ in written.files] == [
        (tmp_path / "out" / name).as_posix()
        for name in ("valerian.jsonld", "valerian.html", "valerian.faq.html")
    ]
    assert (tmp_path / "out" / "valerian.jsonld").read_bytes() == result.jsonld


def test_under_check_nothing_is_written_and_the_changes_are_named(tmp_path: Path) -> None:
    result = dataclasses.replace(
        convert(EXAMPLE), source=Source(path="in/valerian.txt", relative="valerian.txt")
    )
    _writer(tmp_path)(result, 0)
    (tmp_path / "out" / "valerian.html").write_text("edited by hand")
    (tmp_path / "out" / "valerian.faq.html").unlink()

    written = _writer(tmp_path, check=True)(result, 0)

    assert written.changed == tuple(
        (tmp_path / "out" / name).as_posix() for name in ("valerian.html", "valerian.faq.html")
    )
    assert (tmp_path / "out" / "valerian.html").read_text() == "edited by hand"
    assert not (tmp_path / "out" / "valerian.faq.html").exists()


def test_each_page_is_written_in_its_worker_and_comes_back_in_input_order(
    tmp_path: Path,
) -> None:
    pages = tmp_path / "in"
    pages.mkdir()
    names = [f"page-{number:02}" for number in range(20)]
    for name in names:
        (pages / f"{name}.txt").write_text(PAGE.replace("Willow", name.title()))
    sources = [Source(path=str(pages / f"{n}.txt"), relative=f"{n}.txt") for n in names]
    writer = _writer(tmp_path)
    settings = Settings(output=writer.output)

    written = list(convert_each(sources, settings, writer, jobs=2))

    assert [w.page.source.relative for w in written] == [f"{n}.txt" for n in names]
    assert all((tmp_path / "out" / f"{n}.jsonld").is_file() for n in names)
