"""A seeded corpus of drug and supplement pages in plain text, Markdown and HTML, for benchmarks.

Pages are built from our own sentence templates in the shapes of `examples/`: bare-line headings
and `- Label: text` bullets in text, front matter and `###` questions in Markdown, a full page with
navigation, sidebar, styles and scripts around the article in HTML. One seed, the same bytes.

Each page is about a drug of its own, as on a real drug site: a made-up name (no two pages share
one) on one of the subjects' profiles. A corpus of ten names let every pattern built around a
subject's name come from a cache, and measured a speed no real site saw.

Run: python bench/corpus.py OUT --pages 1000 [--formats text,markdown,html] [--seed 7]
"""

from __future__ import annotations

import argparse
import html
import random
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Final, Literal

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

Format = Literal["text", "markdown", "html"]
FORMATS: Final[tuple[Format, ...]] = ("text", "markdown", "html")
SUFFIXES: Final[dict[Format, str]] = {"text": ".txt", "markdown": ".md", "html": ".html"}


@dataclass(frozen=True, slots=True)
class Subject:
    """A drug or supplement the templates can write about."""

    name: str
    kind: str
    compound: str
    use: str
    dose: str


SUBJECTS: Final = (
    Subject("Valerian", "a herbal supplement", "valerenic acid", "poor sleep", "300 mg to 600 mg"),
    Subject("Turmeric", "a spice supplement", "curcumin", "joint pain", "500 mg to 2,000 mg"),
    Subject(
        "Ibuprofen", "an anti-inflammatory drug", "ibuprofen", "pain and fever", "200 mg to 400 mg"
    ),
    Subject("Melatonin", "a hormone supplement", "melatonin", "jet lag", "0.5 mg to 5 mg"),
    Subject("Ashwagandha", "a herbal supplement", "withanolides", "stress", "250 mg to 600 mg"),
    Subject(
        "Paracetamol", "a pain reliever", "paracetamol", "headache and fever", "500 mg to 1,000 mg"
    ),
    Subject("Kratom", "a herbal product", "mitragynine", "low energy", "1 g to 5 g"),
    Subject(
        "Magnesium",
        "a mineral supplement",
        "magnesium citrate",
        "muscle cramps",
        "200 mg to 400 mg",
    ),
    Subject(
        "Ginkgo", "a herbal supplement", "ginkgolides", "memory complaints", "120 mg to 240 mg"
    ),
    Subject("Cetirizine", "an antihistamine", "cetirizine", "hay fever", "5 mg to 10 mg"),
)

# Per section: heading variants, then sentences; {n} is the subject, {c} the compound, {u} the
# use, {d} the dose range. Label bullets are (label, sentence).
SECTIONS: Final = {
    "mechanism": (
        ("How {n} Works", "How {n} May Work", "Mechanism of Action"),
        (
            "{c} acts on signalling pathways in the brain and body that researchers link to {u}.",
            "Laboratory studies suggest that {c} changes how nerve cells release their messengers.",
            "The effect builds over several days, so a single dose says little about the result.",
            "Most of what is known comes from small trials and animal studies.",
        ),
        (
            ("Receptor Binding", "{c} binds to receptors that calm nerve activity."),
            (
                "Enzyme Effects",
                "It appears to slow the enzymes that break down calming messengers.",
            ),
        ),
    ),
    "side_effects": (
        ("Side Effects", "Side Effects and Safety", "Possible Side Effects"),
        (
            "{n} is usually well tolerated in short courses, but it is not free of side effects.",
            "People who take more than the label says report problems more often.",
            "Stop taking {n} and see a doctor if a rash, swelling or trouble breathing appears.",
            "Side effects tend to fade within a few days once the dose is lowered.",
        ),
        (
            ("Digestive Upset", "Stomach pain, nausea and loose stools are the usual complaints."),
            ("Headache", "Mild headaches have been reported in several trials."),
            ("Drowsiness", "Some users feel foggy the morning after a dose."),
        ),
    ),
    "dosage": (
        ("How Much to Take", "Dosage", "Dosage Considerations"),
        (
            "Studies of {u} have used {d} of {n} a day, usually split into two doses.",
            "Start with the lowest dose and take it for two weeks before judging whether it helps.",
            "Take it with food if it upsets your stomach.",
        ),
        (
            ("Adults", "{d} a day, no more than the leaflet allows."),
            ("Older adults", "start at the low end of the range and review after a week."),
        ),
    ),
    "interactions": (
        ("Interactions with Other Medicines", "Drug Interactions", "Combining {n} with Medicines"),
        (
            "{n} may add to the effect of sedatives, blood thinners and some antidepressants.",
            "It can interact with certain medications, including warfarin, sertraline and alcohol.",
            "Tell your pharmacist about every medicine and supplement you take before you start.",
        ),
        (
            ("Blood thinners", "{n} may raise the risk of bleeding with warfarin."),
            ("Sedatives", "the combination can make drowsiness worse."),
        ),
    ),
    "pregnancy": (
        ("Pregnancy and Breastfeeding", "Who Should Avoid {n}"),
        (
            "There is not enough safety data on {n} during pregnancy or breastfeeding.",
            "Pregnant and breastfeeding women should avoid it unless a doctor advises otherwise.",
            "Children should not take {n} without medical advice.",
        ),
        (),
    ),
    "regulation": (
        ("Regulation", "Legal Status"),
        (
            "{n} is sold as {k} in many countries, and the rules differ between them.",
            "In the United States the FDA does not approve supplements before they reach shelves.",
            "Some European countries license {n} as a traditional medicine.",
        ),
        (),
    ),
}
QUESTIONS: Final = (
    (
        "How much {n} should I take?",
        "Most studies used {d} a day, split into two doses with meals.",
    ),
    (
        "Is {n} safe during pregnancy?",
        "It has not been studied enough, so doctors advise against it.",
    ),
    ("Does {n} interact with medications?", "Yes. It can add to sedatives and blood thinners."),
    ("How long does {n} take to work?", "Most people notice a change after one to two weeks."),
    ("Can I take {n} every day?", "Short daily courses are common; ask a doctor about long use."),
)
# Made-up drug names: the page's index spelled in syllables, then a stem ending drug names share.
SYLLABLES: Final = (
    "ba", "ce", "di", "fo", "ga", "ke", "lu", "mi", "no", "pa", "ri", "so", "tu", "ve",
)  # fmt: skip
ENDINGS: Final = ("profen", "zepam", "statin", "cillin", "olol", "pril", "sartan", "tidine", "vir")
POSTS: Final = (
    "Five Evening Habits for Deeper Sleep",
    "Is Chamomile Tea Good Before Bed?",
    "What to Know About Vitamin D in Winter",
    "A Short Guide to Reading Supplement Labels",
)
AUTHORS: Final = ("Dana Whitfield", "Sam Okafor", "Lena Marsh", "Priya Nair")


@dataclass(frozen=True, slots=True, kw_only=True)
class Page:
    """One generated page: its file name below the corpus folder, format and bytes."""

    name: str
    format: Format
    data: bytes


@dataclass(frozen=True, slots=True, kw_only=True)
class _Section:
    title: str
    paragraphs: tuple[str, ...]
    bullets: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class _Article:
    subject: Subject
    title: str
    intro: str
    sections: tuple[_Section, ...]
    faq: tuple[tuple[str, str], ...]
    author: str
    date: str
    posts: tuple[str, ...]


def generate(count: int, page_format: Format, *, seed: int = 0) -> Iterator[Page]:
    """Yield `count` pages of one format; page i depends only on the seed, format and i."""
    for index in range(count):
        rng = random.Random(f"{seed}:{page_format}:{index}")
        article = _article(rng, drug_name(index, rng))
        slug = article.subject.name.lower()
        name = f"{page_format}/{index:05d}-{slug}{SUFFIXES[page_format]}"
        text = _RENDERERS[page_format](article, rng)
        yield Page(name=name, format=page_format, data=text.encode("utf-8"))


def write_corpus(folder: Path, count: int, formats: Sequence[Format], *, seed: int = 0) -> int:
    """Write `count` pages of each format below `folder/<format>/`; return the bytes written."""
    written = 0
    for page_format in formats:
        (folder / page_format).mkdir(parents=True, exist_ok=True)
        for page in generate(count, page_format, seed=seed):
            (folder / page.name).write_bytes(page.data)
            written += len(page.data)
    return written


def _fill(template: str, subject: Subject) -> str:
    return template.format(
        n=subject.name, c=subject.compound, u=subject.use, d=subject.dose, k=subject.kind
    )


def drug_name(index: int, rng: random.Random) -> str:
    """A name no other index gets: two syllables or more for the index, and a drug-name ending."""
    syllables = []
    while True:
        index, digit = divmod(index, len(SYLLABLES))
        syllables.append(SYLLABLES[digit])
        if not index and len(syllables) > 1:
            break
    return ("".join(syllables) + rng.choice(ENDINGS)).capitalize()


def _article(rng: random.Random, name: str) -> _Article:
    subject = replace(rng.choice(SUBJECTS), name=name)
    concepts = rng.sample(sorted(SECTIONS), k=rng.randint(4, len(SECTIONS)))
    sections = []
    for concept in concepts:
        headings, sentences, bullets = SECTIONS[concept]
        paragraphs = tuple(
            " ".join(
                _fill(s, subject) for s in rng.sample(sentences, k=rng.randint(2, len(sentences)))
            )
            for _ in range(rng.randint(1, 3))
        )
        chosen = rng.sample(bullets, k=rng.randint(0, len(bullets))) if bullets else []
        sections.append(
            _Section(
                title=_fill(rng.choice(headings), subject),
                paragraphs=paragraphs,
                bullets=tuple((label, _fill(text, subject)) for label, text in chosen),
            )
        )
    faq = tuple(
        (_fill(q, subject), _fill(a, subject))
        for q, a in rng.sample(QUESTIONS, k=rng.randint(0, 4))
    )
    return _Article(
        subject=subject,
        title=f"{subject.name}: Uses, Dosage and Side Effects",
        intro=_fill(
            "{n} is {k} that people take for {u}. It contains {c}, which researchers think"
            " explains most of its effects.",
            subject,
        ),
        sections=tuple(sections),
        faq=faq,
        author=rng.choice(AUTHORS),
        date=f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        posts=tuple(rng.sample(POSTS, k=rng.randint(0, 3))),
    )


def _to_text(article: _Article, rng: random.Random) -> str:
    lines = [article.title, article.intro]
    for section in article.sections:
        lines.append(section.title)
        lines.extend(section.paragraphs)
        lines.extend(f"- {label}: {text}" for label, text in section.bullets)
    if article.faq:
        lines.append("Frequently Asked Questions")
        for question, answer in article.faq:
            lines.extend((question, answer))
    if rng.random() < 0.5:  # noqa: PLR2004 - half the pages end in shop furniture
        lines.append(f"Buy {article.subject.name} Capsules today")
    lines.extend(f"- {post} - March 3, 2025" for post in article.posts)
    return "\n".join(lines) + "\n"


def _to_markdown(article: _Article, rng: random.Random) -> str:
    parts = []
    if rng.random() < 0.7:  # noqa: PLR2004 - most static-site pages carry front matter
        parts.append(
            f'---\ntitle: "{article.title}"\ndate: {article.date}\n'
            f"author:\n  name: {article.author}\nlang: en\n"
            f"tags: [{article.subject.name.lower()}, supplements]\n---\n"
        )
    parts.extend((f"# {article.title}", f"By {article.author}", article.intro))
    for section in article.sections:
        parts.append(f"## {section.title}")
        parts.extend(section.paragraphs)
        if section.bullets:
            parts.append("\n".join(f"- **{label}:** {text}" for label, text in section.bullets))
    if article.faq:
        parts.append("## Frequently Asked Questions")
        for question, answer in article.faq:
            parts.extend((f"### {question}", answer))
    if article.posts:
        parts.append("## Related Articles")
        parts.append("\n".join(f"- [{post}](/blog/{i}/)" for i, post in enumerate(article.posts)))
    parts.append("*This article is for educational purposes only and is not medical advice.*")
    return "\n\n".join(parts) + "\n"


_STYLE: Final = "".join(
    f".block-{i} {{ margin: {i}px 0; padding: 0 {i % 7}px; color: #{i * 37 % 4096:03x}; }}\n"
    for i in range(120)
)
_SCRIPT: Final = "".join(
    f"window.dataLayer.push({{event: 'view', slot: {i}, path: location.pathname}});\n"
    for i in range(60)
)


def _to_html(article: _Article, rng: random.Random) -> str:
    e = html.escape
    nav = "".join(
        f'<li class="menu-item"><a href="/category/{i}/">Category {i}</a></li>'
        for i in range(rng.randint(20, 60))
    )
    body = [f"<h1>{e(article.title)}</h1>", f'<p class="byline">By {e(article.author)}</p>']
    body.append(f"<p>{e(article.intro)}</p>")
    for number, section in enumerate(article.sections):
        body.append(f'<h2 id="section-{number}">{e(section.title)}</h2>')
        body.extend(f"<p>{e(paragraph)}</p>" for paragraph in section.paragraphs)
        if section.bullets:
            items = "".join(
                f"<li><strong>{e(label)}:</strong> {e(text)}</li>"
                for label, text in section.bullets
            )
            body.append(f"<ul>{items}</ul>")
    if article.faq:
        body.append("<h2>Questions People Ask</h2>")
        body.extend(
            f"<details><summary>{e(q)}</summary><p>{e(a)}</p></details>" for q, a in article.faq
        )
    related = "".join(
        f'<li><a href="/blog/{i}/">{e(p)}</a></li>' for i, p in enumerate(article.posts)
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{e(article.title)} | Example Health Notes</title>\n"
        f'<meta name="description" content="{e(article.intro)}">\n'
        f'<meta property="article:published_time" content="{article.date}T09:00:00+00:00">\n'
        f"<style>\n{_STYLE}</style>\n</head>\n<body>\n"
        f'<header class="site-header"><nav><ul class="menu">{nav}</ul></nav></header>\n'
        "<main>\n<article>\n" + "\n".join(body) + "\n</article>\n</main>\n"
        f'<aside class="related"><h3>Related posts</h3><ul>{related}</ul></aside>\n'
        "<footer><p>&copy; 2025 Example Health Notes. All rights reserved.</p></footer>\n"
        f"<script>\nwindow.dataLayer = window.dataLayer || [];\n{_SCRIPT}</script>\n"
        "</body>\n</html>\n"
    )


_RENDERERS: Final = {"text": _to_text, "markdown": _to_markdown, "html": _to_html}


def main() -> None:
    """Write a corpus to the folder given."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--pages", type=int, default=1000, help="pages per format")
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--seed", type=int, default=0)
    arguments = parser.parse_args()
    formats = [f for f in FORMATS if f in arguments.formats.split(",")]
    written = write_corpus(arguments.out, arguments.pages, formats, seed=arguments.seed)
    print(f"{arguments.pages} pages x {len(formats)} formats, {written:,} bytes in {arguments.out}")


if __name__ == "__main__":
    main()
