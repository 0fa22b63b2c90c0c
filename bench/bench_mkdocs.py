"""Time `mkdocs build` of a generated drug-article site with and without the schemapress plugin.

Run: python bench/bench_mkdocs.py [--pages 500] [--repeats 5]
Prints the command, the median build time of each variant, and the plugin's overhead. The two
variants alternate within each repeat, so drift on a noisy machine hits both alike.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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
        f"## Interactions\n\nTell your doctor if you take warfarin or lithium. {prose}\n\n"
        f"## Frequently asked questions\n\n{faq}\n"
    )


def write_site(root: Path, pages: int, *, plugin: bool) -> Path:
    """Write the site's pages once and a mkdocs.yml for the variant; return the config path."""
    docs = root / "docs"
    if not docs.exists():
        docs.mkdir(parents=True)
        rng = random.Random(5)
        for index in range(pages):
            (docs / f"page-{index:04d}.md").write_text(article(index, rng), "utf-8")
    config = root / ("with-plugin.yml" if plugin else "without-plugin.yml")
    plugins = "plugins:\n  - schemapress\n" if plugin else "plugins: []\n"
    config.write_text(
        f"site_name: Medicines explained\nsite_url: https://docs.example.org/\n"
        f"docs_dir: docs\nsite_dir: site-{config.stem}\n{plugins}",
        "utf-8",
    )
    return config


def build_seconds(config: Path) -> float:
    """Wall time of one `mkdocs build --strict`, interpreter start-up included.

    Strict, so a page the plugin cannot convert stops the run rather than timing less work.
    """
    start = time.perf_counter()
    subprocess.run(  # noqa: S603 - our own interpreter and fixed arguments
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config)],
        check=True,
        cwd=config.parent,
    )
    return time.perf_counter() - start


def main() -> None:
    """Build both variants `--repeats` times and print the medians and the overhead."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(f"$ python bench/bench_mkdocs.py --pages {args.pages} --repeats {args.repeats}")
    with tempfile.TemporaryDirectory(prefix="bench-mkdocs-") as folder:
        root = Path(folder)
        without = write_site(root, args.pages, plugin=False)
        with_plugin = write_site(root, args.pages, plugin=True)
        size = sum(p.stat().st_size for p in (root / "docs").iterdir()) / args.pages / 1024
        print(f"{args.pages} pages, {size:.1f} KB of Markdown each")
        build_seconds(without)  # warm the file cache and .pyc files for both variants
        build_seconds(with_plugin)
        plain: list[float] = []
        plugged: list[float] = []
        for _ in range(args.repeats):
            plain.append(build_seconds(without))
            plugged.append(build_seconds(with_plugin))
    base, ours = statistics.median(plain), statistics.median(plugged)
    print(f"without plugin: {base:.2f} s  (runs: {', '.join(f'{t:.2f}' for t in plain)})")
    print(f"with plugin:    {ours:.2f} s  (runs: {', '.join(f'{t:.2f}' for t in plugged)})")
    print(
        f"overhead: {ours / base - 1:+.1%}  ({(ours - base) / args.pages * 1000:.1f} ms per page)"
    )


if __name__ == "__main__":
    main()
