"""Time `mkdocs build` of a generated drug-article site with and without the schemapress plugin.

Run: python bench/bench_mkdocs.py [--pages 500] [--repeats 5]
Prints the command, the median wall and CPU time of each variant, and the plugin's overhead. The
variants alternate within each repeat, so drift hits both alike; CPU time (the build process's user
plus system time, its worker processes included) is the steadier figure on a loaded machine. The
plugin converts pages in worker processes while MkDocs renders, so the wall overhead depends on the
cores free besides the one MkDocs uses; the header line says how many the build may use.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Final

DRUGS = (
    "ibuprofen",
    "paracetamol",
    "naproxen",
    "sertraline",
    "metformin",
    "amoxicillin",
    "omeprazole",
    "melatonin",
    "magnesium glycinate",
    "vitamin D3",
    "ashwagandha",
    "loratadine",
)
EFFECTS = (
    "nausea",
    "headache",
    "dizziness",
    "a dry mouth",
    "stomach pain",
    "trouble sleeping",
    "a rash",
    "tiredness",
)
SENTENCE = (
    "People who take {name} should read the leaflet in the pack, because it lists the doses for "
    "each age group and the conditions under which a pharmacist should be asked first."
)


def article(index: int, rng: random.Random) -> str:
    """Return one drug page of roughly 6 KB: front matter, sections, lists and an FAQ."""
    name = f"{rng.choice(DRUGS)} {index}"
    title = name[0].upper() + name[1:]
    prose = " ".join([SENTENCE.format(name=name)] * 3)
    effects = "\n".join(f"- {effect.capitalize()}" for effect in rng.sample(EFFECTS, 5))
    faq = "\n\n".join(
        f"### {question.format(name=name)}\n\n{prose}"
        for question in (
            "Can I take {name} with alcohol?",
            "How long does {name} take to work?",
            "Is {name} safe during pregnancy?",
            "What happens if I miss a dose of {name}?",
        )
    )
    return (
        f'---\ntitle: "{title}: uses, dosage and side effects"\n'
        f"description: What {name} is used for, how much to take and what to watch for.\n"
        f"date: 2024-{index % 12 + 1:02d}-{index % 28 + 1:02d}\nauthor: Editorial team\n---\n\n"
        f"# {title}\n\n{title} is a medicine that people take for everyday complaints. {prose}\n\n"
        f"## How does {name} work?\n\n{prose}\n\n"
        f"## Dosage\n\n- Adults: 200 to 400 mg every 6 hours\n- Children: ask a pharmacist\n\n"
        f"{prose}\n\n## Side effects\n\n{effects}\n\n{prose}\n\n"
        f"## Interactions\n\n{name.capitalize()} can interact with warfarin and lithium. Tell your "
        "doctor about every medicine you take, because interactions change how each one works.\n\n"
        f"## Frequently asked questions\n\n{faq}\n"
    )


# The variants: no plugin; the plugin converting every page (a first build, or `cache: false`);
# the plugin on a rebuild whose pages are all in its cache (`mkdocs serve`, CI with a kept cache).
VARIANTS: Final = {
    "without plugin": "plugins: []\n",
    "plugin, cold": "plugins:\n  - schemapress:\n      cache: false\n",
    "plugin, cached": "plugins:\n  - schemapress\n",
}


def write_site(root: Path, pages: int) -> list[Path]:
    """Write the pages and one mkdocs.yml per variant; return the config paths."""
    docs = root / "docs"
    docs.mkdir(parents=True)
    rng = random.Random(5)
    for index in range(pages):
        (docs / f"page-{index:04d}.md").write_text(article(index, rng), "utf-8")
    configs = []
    for number, plugins in enumerate(VARIANTS.values()):
        config = root / f"variant-{number}.yml"
        config.write_text(
            f"site_name: Medicines explained\nsite_url: https://docs.example.org/\n"
            f"docs_dir: docs\nsite_dir: site-{number}\n{plugins}",
            "utf-8",
        )
        configs.append(config)
    return configs


def build_seconds(config: Path) -> tuple[float, float]:
    """Wall and CPU time of one `mkdocs build --strict`, interpreter start-up included.

    Strict, so a page the plugin cannot convert stops the run rather than timing less work.
    """
    cpu_before = _children_cpu()
    start = time.perf_counter()
    subprocess.run(  # noqa: S603 - our own interpreter and fixed arguments
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config)],
        check=True,
        cwd=config.parent,
    )
    return time.perf_counter() - start, _children_cpu() - cpu_before


def _cores() -> int:
    """Cores this process (and so each build) may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _line(label: str, runs: list[tuple[float, float]]) -> tuple[float, float]:
    wall = statistics.median(t for t, _ in runs)
    cpu = statistics.median(c for _, c in runs)
    each = ", ".join(f"{t:.2f}" for t, _ in runs)
    print(f"{label:<16} wall {wall:6.2f} s   cpu {cpu:6.2f} s   (wall runs: {each})")
    return wall, cpu


def main() -> None:
    """Build every variant `--repeats` times and print the medians and the overheads."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(f"$ python bench/bench_mkdocs.py --pages {args.pages} --repeats {args.repeats}")
    with tempfile.TemporaryDirectory(prefix="bench-mkdocs-") as folder:
        root = Path(folder)
        configs = write_site(root, args.pages)
        size = sum(p.stat().st_size for p in (root / "docs").iterdir()) / args.pages / 1024
        print(f"{args.pages} pages, {size:.1f} KB of Markdown each, {_cores()} cores")
        for config in configs:
            build_seconds(config)  # warms .pyc files, the file cache and the plugin's cache
        runs: list[list[tuple[float, float]]] = [[] for _ in configs]
        for _ in range(args.repeats):
            for config, times in zip(configs, runs, strict=True):
                times.append(build_seconds(config))
    (base_wall, base_cpu), *plugged = (
        _line(label, times) for label, times in zip(VARIANTS, runs, strict=True)
    )
    for label, (wall, cpu) in zip(list(VARIANTS)[1:], plugged, strict=True):
        print(
            f"overhead, {label}: wall {wall / base_wall - 1:+.0%}, cpu {cpu / base_cpu - 1:+.0%} "
            f"({(cpu - base_cpu) / args.pages * 1000:.2f} ms of CPU per page)"
        )


if __name__ == "__main__":
    main()
