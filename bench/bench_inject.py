"""Time `inject` on a generated site against a bare string splice, and a cached `convert` rerun.

Run: python bench/bench_inject.py [--pages 500] [--convert-pages 10000] [--repeats 3] [--jobs N]
                                  [--only inject|convert]
Prints the command, absolute times and the ratios the goals are stated in:
  our splice, the first inject and its rerun with the cache, each against the bare atomic splice
  (goal <= 2x), and the second `convert` over unchanged pages with the cache (goal <= 1 s).
"""

from __future__ import annotations

import argparse
import functools
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from click.testing import CliRunner
from corpus import drug_name

from pipeline import api, injector
from pipeline.cli import main
from pipeline.emit.files import write_atomic
from pipeline.emit.inject import inject_bytes
from pipeline.emit.script import script_block
from pipeline.settings import Settings

if TYPE_CHECKING:
    from collections.abc import Callable

HERBS = ("valerian", "chamomile", "lavender", "peppermint", "ginger", "turmeric", "sage", "thyme")
NAV_LINKS = 300


def subject(number: int) -> str:
    """The page's herb under a name no other page has, as on a real site (see `corpus.py`)."""
    return drug_name(number, random.Random(number)).lower()


def html_page(number: int) -> str:
    """A built page as a static-site generator writes it: long nav, article, footer."""
    herb = subject(number)
    nav = "\n".join(
        f'      <li><a href="/notes/{n}/">Note {n} on {HERBS[n % len(HERBS)]}</a></li>'
        for n in range(NAV_LINKS)
    )
    return f"""<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>{herb.title()} note {number}: uses and cautions</title>
    <link rel="canonical" href="https://notes.example.org/{herb}/{number}/">
    <link rel="stylesheet" href="/assets/site.css">
    <script>window.dataLayer = window.dataLayer || []; // </head> in a script stays text</script>
  </head>
  <body>
    <nav><ul>
{nav}
    </ul></nav>
    <main>
      <h1>{herb.title()} note {number}</h1>
      <p>{herb.title()} is a garden herb that people brew as tea or take as a dried extract.</p>
      <h2>How {herb} is taken</h2>
      <p>Most guides describe one cup of tea made from a teaspoon of the dried plant.</p>
      <h2>Side effects</h2>
      <p>Mild stomach upset is the complaint people report most often after taking {herb}.</p>
      <h2>Can I take {herb} with other medicines?</h2>
      <p>Ask a pharmacist first, since herbs can change how some medicines work.</p>
    </main>
    <footer><p>Notes collected by volunteers; not medical advice.</p></footer>
  </body>
</html>
"""


def text_page(number: int) -> str:
    """A short plain-text article for the convert cache run."""
    herb = subject(number)
    return (
        f"{herb.title()} note {number}\n\n"
        f"{herb.title()} is a garden herb that people brew as tea.\n\n"
        "Side effects\n\n"
        f"Some people notice a mild stomach upset after drinking {herb} tea.\n"
    )


def generate(folder: Path, count: int, make: Callable[[int], str], suffix: str) -> None:
    """Write `count` pages, a hundred per sub-folder like a real site's sections."""
    for number in range(count):
        path = folder / f"section-{number // 100:03d}" / f"page-{number:05d}{suffix}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(make(number), encoding="utf-8")


def timed(action: Callable[[], object]) -> float:
    """Seconds one call takes."""
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def bare_splice(site: Path, block: bytes, write: Callable[[Path, bytes], object]) -> None:
    """The floor: read, insert before the first `</head>`, write back."""
    for path in sorted(site.rglob("*.html")):
        data = path.read_bytes()
        at = data.find(b"</head>")
        write(path, data[:at] + block + data[at:])


def our_splice(site: Path, block: str) -> None:
    """Our splice with a ready block: the scan, the line-aware insert and the atomic write."""
    for path in sorted(site.rglob("*.html")):
        data = path.read_bytes()
        write_atomic(path, inject_bytes(data, block))


def inject_site(site: Path, options: injector.InjectOptions) -> None:
    """The whole injector on a site: walk, convert (or take from the cache), splice, write."""
    for _ in injector.inject_site(site, Settings(), options=options):
        pass


def bench_inject(work: Path, pages: int, repeats: int, jobs: int) -> dict[str, float]:
    """Median seconds of each way of injecting over the same `pages` files."""
    pristine = work / "pristine"
    generate(pristine, pages, html_page, ".html")
    sample = api.convert(pristine / "section-000" / "page-00000.html")
    block = script_block(sample.graph.jsonld, ascii_only=True)
    raw = block.encode()
    names = ("bare", "atomic", "splice", "cold", "warm")
    times: dict[str, list[float]] = {name: [] for name in names}
    for round_number in range(repeats):
        sites = {name: work / f"{name}-{round_number}" for name in names[:3]}
        sites["full"] = work / f"full-{round_number}"
        for site in sites.values():
            shutil.copytree(pristine, site)
        plain, atomic = sites["bare"], sites["atomic"]
        times["bare"].append(timed(lambda s=plain: bare_splice(s, raw, Path.write_bytes)))
        times["atomic"].append(timed(lambda s=atomic: bare_splice(s, raw, write_atomic)))
        times["splice"].append(timed(lambda s=sites["splice"]: our_splice(s, block)))
        options = injector.InjectOptions(jobs=jobs, cache_dir=str(work / f"cache-{round_number}"))
        run = functools.partial(inject_site, sites["full"], options)
        times["cold"].append(timed(run))
        times["warm"].append(timed(run))
    return {name: statistics.median(values) for name, values in times.items()}


def bench_convert(work: Path, pages: int, jobs: int) -> dict[str, float]:
    """Seconds of a first `convert` and a second over the unchanged pages, in and out of process."""
    folder, out = work / "pages", work / "out"
    generate(folder, pages, text_page, ".txt")
    args = ["convert", str(folder), "-o", str(out), "-j", str(jobs)]
    runner = CliRunner()
    first = timed(lambda: runner.invoke(main, args, catch_exceptions=False))
    second = timed(lambda: runner.invoke(main, args, catch_exceptions=False))
    command = [sys.executable, "-m", "pipeline", *args]
    process = timed(lambda: subprocess.run(command, check=True, capture_output=True))  # noqa: S603
    startup = [sys.executable, "-c", "import pipeline.cli"]
    bare = timed(lambda: subprocess.run(startup, check=True))  # noqa: S603
    return {"first": first, "second": second, "process": process, "startup": bare}


def main_() -> None:
    """Parse options, run both benchmarks in a temporary folder, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=500, help="HTML pages in the site")
    parser.add_argument("--convert-pages", type=int, default=10_000, help="pages for convert")
    parser.add_argument("--repeats", type=int, default=3, help="rounds of the inject timing")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes")
    parser.add_argument("--only", choices=("inject", "convert"), help="run one benchmark")
    options = parser.parse_args()
    print("$ python", " ".join(sys.argv))
    with tempfile.TemporaryDirectory(prefix="schemapress-bench-") as temporary:
        work = Path(temporary)
        if options.only != "convert":
            inject = bench_inject(work / "inject", options.pages, options.repeats, options.jobs)
            _print_inject(inject, options)
        if options.only != "inject":
            convert = bench_convert(work / "convert", options.convert_pages, options.jobs)
            _print_convert(convert, options)


def _print_inject(inject: dict[str, float], options: argparse.Namespace) -> None:
    bare, atomic = inject["bare"], inject["atomic"]
    print(
        f"inject, {options.pages} HTML pages (~{len(html_page(0)) // 1024} KB each), "
        f"median of {options.repeats}, jobs={options.jobs}:"
    )
    _row("bare splice: read, insert, write", bare)
    _row("bare splice, atomic write (temp, fsync, rename)", atomic)
    _row(
        "our splice, block ready, atomic write",
        inject["splice"],
        f"{inject['splice'] / atomic:.2f}x bare atomic (goal <= 2x)",
    )
    _row(
        "inject, first run (converts every page)",
        inject["cold"],
        f"{inject['cold'] / options.pages * 1000:.1f} ms a page, "
        f"{inject['cold'] / atomic:.2f}x bare atomic (goal <= 2x)",
    )
    _row(
        "inject, rerun with the cache (writes nothing)",
        inject["warm"],
        f"{inject['warm'] / bare:.2f}x bare, {inject['warm'] / atomic:.2f}x bare atomic "
        "(goal <= 2x)",
    )


def _print_convert(convert: dict[str, float], options: argparse.Namespace) -> None:
    print(f"convert, {options.convert_pages} text pages, jobs={options.jobs}:")
    _row("first run (empty cache)", convert["first"])
    _row("second run, unchanged, from the cache, in process", convert["second"], "goal <= 1 s")
    _row("the same as a new process (start-up included)", convert["process"])
    _row("of which start-up: python -c 'import pipeline.cli'", convert["startup"])


def _row(label: str, seconds: float, note: str = "") -> None:
    print(f"  {label:<50} {seconds:8.3f} s  {note}".rstrip())


if __name__ == "__main__":
    main_()
