"""Benchmark schemapress on a generated corpus: speed per format and stage, the floor, peak memory.

Run: python bench/run.py [--pages 200] [--stage-pages 100] [--formats text,markdown,html]
                         [--repeats 3] [--sizes 100,1000] [--jobs 2]

Everything is measured in one run and printed as medians of the repeats, so figures are compared as
ratios on the same noisy machine:

- stages: each of read, clean, analyse, build, validate, emit timed in this process, one core;
- floor: what any converter pays per page: reading the bytes, an lxml parse (HTML) or a line
  split (text, Markdown), serialising our output JSON, and one pass of the prebuilt validator
  per top-level node: the jsonschema-rs screen, which is what validates a valid page; the ratio
  to a floor with a pass of jsonschema (the validator before the screen) is printed beside it;
- throughput: the installed `schemapress convert` run as a child process with the real writer,
  start-up included, with one process and with `--jobs`;
- memory: the peak resident set (VmHWM, polled from /proc) of the largest process of that
  child's tree, per batch size.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from corpus import FORMATS, Format, write_corpus
from lxml import html as lxml_html

from pipeline.analyse import analyse
from pipeline.api import Toolkit, convert_source
from pipeline.build import build
from pipeline.clean import clean
from pipeline.emit.script import page_outputs
from pipeline.model import Source
from pipeline.read import read
from pipeline.settings import Settings
from pipeline.validate import validate_jsonld

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

STAGES: Final = ("read", "clean", "analyse", "build", "validate", "emit")
FLOOR: Final = ("bytes", "parse", "serialise", "validator")
# Not part of the floor: the jsonschema pass the screen replaced, to compare with earlier runs.
JSONSCHEMA: Final = "jsonschema"
SCHEMAPRESS: Final = Path(sys.executable).with_name("schemapress")
# How often the memory run reads its processes' high-water marks.
PEAK_POLL_SECONDS: Final = 0.02


@dataclass
class Timings:
    """Seconds per page for each named part, one list entry per repeat."""

    parts: dict[str, list[float]] = field(default_factory=dict)

    def add(self, name: str, seconds: float) -> None:
        """Record one repeat's time per page for a part."""
        self.parts.setdefault(name, []).append(seconds)

    def median(self, name: str) -> float:
        """Median over the repeats."""
        return statistics.median(self.parts[name])


class _Clock:
    """Accumulates the time of each part over one pass of the pages."""

    def __init__(self) -> None:
        self.totals: dict[str, float] = {}
        self.mark = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.totals[name] = self.totals.get(name, 0.0) + now - self.mark
        self.mark = now

    def restart(self) -> None:
        self.mark = time.perf_counter()


def _stage_pass(paths: Sequence[Path], settings: Settings, toolkit: Toolkit) -> dict[str, float]:
    """Run the six stages on each page as `convert_source` does, timing each stage."""
    clock = _Clock()
    for path in paths:
        clock.restart()
        source = Source(path=str(path), relative=path.name)
        document = read(path.read_bytes(), source)
        clock.lap("read")
        document = clean(document, toolkit.clean_rules)
        clock.lap("clean")
        analysis = analyse(
            document,
            toolkit.analyse_rules,
            language=settings.site.language,
            entity_type=settings.site.entity_type,
        )
        clock.lap("analyse")
        graph = build(analysis, settings.site)
        clock.lap("build")
        validate_jsonld(
            graph.jsonld,
            page_text=document.visible_text if settings.check.check_visibility else None,
            checks=settings.check,
            toolkit=toolkit.validators,
        )
        clock.lap("validate")
        page_outputs(graph.jsonld, minify=settings.output.minify, ascii_only=settings.output.ascii)
        clock.lap("emit")
    return clock.totals


def _whole_pass(paths: Sequence[Path], settings: Settings, toolkit: Toolkit) -> dict[str, float]:
    """Time `convert_source` itself, so the sum of stages can be checked against it."""
    start = time.perf_counter()
    for path in paths:
        convert_source(
            path.read_bytes(), Source(path=str(path), relative=path.name), settings, toolkit
        )
    return {"total": time.perf_counter() - start}


def _floor_pass(
    paths: Sequence[Path], page_format: Format, outputs: Sequence[Any], toolkit: Toolkit
) -> dict[str, float]:
    """Time the floor: bytes, a bare parse, JSON serialising, one validator pass per node."""
    screens, schemas = toolkit.validators.screens, toolkit.validators.schemas
    clock = _Clock()
    for path, output in zip(paths, outputs, strict=True):
        clock.restart()
        data = path.read_bytes()
        clock.lap("bytes")
        if page_format == "html":
            lxml_html.document_fromstring(data)
        else:
            data.decode("utf-8").split("\n")
        clock.lap("parse")
        json.dumps(output, ensure_ascii=False, indent=2)
        clock.lap("serialise")
        typed = [(name, node) for node in output["@graph"] for name in _types(node)]
        for name, node in typed:
            if name in screens:
                screens[name].is_valid(node)
        clock.lap("validator")
        for name, node in typed:
            if name in schemas:
                schemas[name].is_valid(node)
        clock.lap(JSONSCHEMA)
    return clock.totals


def _types(node: dict[str, Any]) -> list[str]:
    return node["@type"] if isinstance(node["@type"], list) else [node["@type"]]


def measure_stages(
    folder: Path, page_format: Format, pages: int, repeats: int, toolkit: Toolkit
) -> Timings:
    """Per-page seconds of each stage, the whole conversion and the floor, for one format."""
    settings = Settings()
    paths = sorted((folder / page_format).iterdir())[:pages]
    outputs = [
        convert_source(
            p.read_bytes(), Source(path=str(p), relative=p.name), settings, toolkit
        ).graph.jsonld
        for p in paths
    ]
    passes: list[Callable[[], dict[str, float]]] = [
        lambda: _stage_pass(paths, settings, toolkit),
        lambda: _whole_pass(paths, settings, toolkit),
        lambda: _floor_pass(paths, page_format, outputs, toolkit),
    ]
    timings = Timings()
    for _ in range(repeats):
        for run in passes:
            for name, seconds in run().items():
                timings.add(name, seconds / len(paths))
    return timings


def run_cli(folder: Path, out: Path, jobs: int, *, peak: bool = False) -> tuple[float, int]:
    """Convert a folder with the real CLI; return wall seconds and, if asked, the peak RSS.

    The peak is the largest high-water mark (VmHWM) of any process of the child's tree, polled
    from /proc until the child exits: the rusage peak of a child counts the memory of the bench
    itself, which a child holds between its fork and its exec. Exit code 1 also means findings,
    so a run counts only when its summary names every page.
    """
    shutil.rmtree(out, ignore_errors=True)
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    pages = sum(1 for _ in folder.rglob("*.*"))
    highest = 0
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        child = subprocess.Popen(  # noqa: S603 - our own entry point, fixed arguments
            [str(SCHEMAPRESS), "convert", str(folder), "-o", str(out), "--jobs", str(jobs)],
            stdout=subprocess.DEVNULL,
            stderr=errors,
            env=env,
        )
        while peak and child.poll() is None:
            tree = [child.pid, *_descendants(child.pid)]
            highest = max(highest, *(_high_water(pid) for pid in tree))
            time.sleep(PEAK_POLL_SECONDS)
        child.wait()
        seconds = time.perf_counter() - start
        errors.seek(0)
        stderr = errors.read().decode("utf-8", "replace")
    if f"{pages} pages: {pages} ok" not in stderr:
        raise SystemExit(f"schemapress convert {folder} exited {child.returncode}:\n{stderr}")
    return seconds, highest


def _descendants(pid: int) -> list[int]:
    """The processes below one, from /proc; none once it has exited."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    return [n for child in map(int, children) for n in (child, *_descendants(child))]


def _high_water(pid: int) -> int:
    """A process's peak resident set since its exec (VmHWM), in bytes; 0 once it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_bytes()
    except OSError:
        return 0
    line = next((ln for ln in status.splitlines() if ln.startswith(b"VmHWM:")), b"0 0")
    return int(line.split()[1]) * 1024


def _table(rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(
            cell.rjust(width) if i else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.3f}"


def report_stages(results: dict[Format, Timings]) -> str:
    """One row per format: ms per page of each stage, the total, the floor and their ratio."""
    header = ["format", *STAGES, "total", *FLOOR, "floor", "ratio", "ratio (jsonschema)"]
    rows = [header]
    for page_format, timings in results.items():
        floor = sum(timings.median(name) for name in FLOOR)
        total = timings.median("total")
        old_floor = floor - timings.median("validator") + timings.median(JSONSCHEMA)
        rows.append(
            [
                page_format,
                *(_ms(timings.median(name)) for name in STAGES),
                _ms(total),
                *(_ms(timings.median(name)) for name in FLOOR),
                _ms(floor),
                f"{total / floor:.1f}x",
                f"{total / old_floor:.1f}x",
            ]
        )
    return _table(rows)


def measure_throughput(
    folder: Path, formats: Sequence[Format], pages: int, jobs: int, repeats: int
) -> str:
    """Pages per second of the real CLI per format, with one process and with `jobs`."""
    rows = [["format", "pages", "jobs=1 p/s", f"jobs={jobs} p/s", "speed-up"]]
    with tempfile.TemporaryDirectory() as out:
        for page_format in formats:
            rates = {}
            for n in (1, jobs):
                seconds = statistics.median(
                    run_cli(folder / page_format, Path(out), n)[0] for _ in range(repeats)
                )
                rates[n] = pages / seconds
            rows.append(
                [
                    page_format,
                    str(pages),
                    f"{rates[1]:.0f}",
                    f"{rates[jobs]:.0f}",
                    f"{rates[jobs] / rates[1]:.2f}x",
                ]
            )
    return _table(rows)


def measure_memory(sizes: Sequence[int], page_format: Format, jobs: int, seed: int) -> str:
    """Peak RSS of the CLI converting batches of each size (one corpus per size)."""
    rows = [["pages", "format", "jobs", "seconds", "peak RSS MB", "vs smallest"]]
    smallest = 0
    with tempfile.TemporaryDirectory() as scratch:
        for size in sizes:
            folder = Path(scratch, f"corpus-{size}")
            write_corpus(folder, size, [page_format], seed=seed)
            seconds, peak = run_cli(folder / page_format, Path(scratch, "out"), jobs, peak=True)
            smallest = smallest or peak
            rows.append(
                [
                    str(size),
                    page_format,
                    str(jobs),
                    f"{seconds:.2f}",
                    f"{peak / 2**20:.1f}",
                    f"{peak / smallest:.2f}x",
                ]
            )
            shutil.rmtree(folder)
    return _table(rows)


def measure_startup(seed_page: Path, repeats: int) -> str:
    """Wall time of `schemapress --help` and of converting one page, as whole processes."""
    rows = [["command", "seconds (median)"]]
    commands = {"schemapress --help": [str(SCHEMAPRESS), "--help"]}
    if seed_page.is_file():
        commands[f"schemapress convert {seed_page.name}"] = [
            str(SCHEMAPRESS),
            "convert",
            str(seed_page),
            "-o",
            "-",
        ]
    for name, command in commands.items():
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            subprocess.run(command, capture_output=True, check=False)  # noqa: S603
            times.append(time.perf_counter() - start)
        rows.append([name, f"{statistics.median(times):.3f}"])
    return _table(rows)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200, help="pages per format for the CLI")
    parser.add_argument(
        "--stage-pages", type=int, default=100, help="of those, pages timed stage by stage"
    )
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sizes", default="100,1000", help="batch sizes for the memory table")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--seed-page", type=Path, default=Path("/work/shared/seed/000_b39bcc1e422b6834.txt")
    )
    return parser.parse_args()


def main() -> None:
    """Generate the corpus, measure, print the tables."""
    arguments = _arguments()
    formats = [f for f in FORMATS if f in arguments.formats.split(",")]
    sizes = [int(size) for size in arguments.sizes.split(",") if size]
    print("$ python " + " ".join(sys.argv))
    print(f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, median of {arguments.repeats}")
    toolkit = Toolkit.from_settings(Settings())
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        written = write_corpus(folder, arguments.pages, formats, seed=arguments.seed)
        per_page = written / len(formats) / arguments.pages / 1024
        print(f"corpus: {arguments.pages} pages per format, {per_page:.1f} KiB a page on average\n")
        stages = {
            f: measure_stages(folder, f, arguments.stage_pages, arguments.repeats, toolkit)
            for f in formats
        }
        timed = min(arguments.stage_pages, arguments.pages)
        print(f"ms per page over {timed} pages, one core, in process")
        print(report_stages(stages), "\n")
        print("real CLI with the writer, whole process (start-up included)")
        print(
            measure_throughput(folder, formats, arguments.pages, arguments.jobs, arguments.repeats),
            "\n",
        )
    if sizes:
        print("peak memory (largest process of the CLI's tree)")
        print(measure_memory(sizes, formats[0], arguments.jobs, arguments.seed), "\n")
    print("start-up")
    print(measure_startup(arguments.seed_page, max(arguments.repeats, 5)))


if __name__ == "__main__":
    main()
