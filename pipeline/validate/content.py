"""Layer 5, content rules: complete FAQ entries, answer HTML, dates, one FAQPage, visible Q&A.

The questions checked are those an FAQPage lists, after references resolve; a Question elsewhere
(a Q&A thread, an AskAction) needs neither a name nor an accepted answer.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Final

from pipeline.validate.nodes import as_list, is_reference
from pipeline.validate.rules import Issue
from pipeline.validate.toolkit import is_iso8601

if TYPE_CHECKING:
    from collections.abc import Collection, Iterator

    from pipeline.model import JsonValue
    from pipeline.validate.graph import GraphIndex
    from pipeline.validate.nodes import Node, Path

# Publication and review dates only: an event's startDate may rightly lie ahead.
DATE_PROPERTIES: Final = ("datePublished", "dateModified", "dateCreated", "lastReviewed")
# A page dated in UTC+14 is a day ahead of UTC; one day of slack keeps it from warning.
_DATE_SLACK: Final = dt.timedelta(days=1)
_TAG: Final = re.compile(r"<[^>]*>")
_WORD: Final = re.compile(r"\w+")
_MAX_QUOTE: Final = 60


def check_content(
    index: GraphIndex, *, allowed_tags: Collection[str], today: dt.date
) -> Iterator[Issue]:
    """Yield FAQ completeness, answer HTML, future-date and FAQPage-count problems."""
    pages = index.faq_pages()
    if len(pages) > 1:
        yield Issue(
            rule="content.multiple-faq-pages",
            message=f"{len(pages)} FAQPage nodes; a page may carry one",
            path=pages[1].path,
            node_id=pages[1].node_id,
        )
    for question, _ in faq_entries(index):
        yield from _check_question(question, index)
    for node in index.nodes:
        if "Answer" in node.types:
            yield from _check_answer_html(node, allowed_tags)
        yield from _check_dates(node, today)


def faq_entries(index: GraphIndex) -> Iterator[tuple[Node, Node | None]]:
    """Each Question an FAQPage lists, with its accepted Answer node when it resolves to one."""
    for page in index.faq_pages():
        for _, question, _ in index.questions_of(page):
            if question is not None and "Question" in question.types:
                answers = [index.resolve(v) for v in as_list(question.data.get("acceptedAnswer"))]
                yield question, next((a for a in answers if a and "Answer" in a.types), None)


def check_visibility(index: GraphIndex, page_text: str) -> Iterator[Issue]:
    """Yield a warning for each FAQ question or answer that the page's visible text lacks."""
    visible = f" {words(page_text)} "
    if visible.isspace():
        yield Issue(
            rule="content.visibility-unchecked",
            message="the page has no visible text (a fragment or a script-rendered page)",
        )
        return
    for question, answer in faq_entries(index):
        name = _text(question.data.get("name"))
        if name and f" {words(name)} " not in visible:
            yield Issue(
                rule="content.question-not-visible",
                message=f'question "{_quote(name)}" is not in the visible text of the page',
                path=(*question.path, "name"),
                node_id=question.node_id,
            )
        text = _text(answer.data.get("text")) if answer else ""
        if answer and html_words(text) and f" {html_words(text)} " not in visible:
            yield Issue(
                rule="content.answer-not-visible",
                message=f'the answer to "{_quote(name)}" is not in the visible text of the page',
                path=(*answer.path, "text"),
                node_id=answer.node_id or question.node_id,
            )


def words(text: str) -> str:
    """Reduce plain text to lower-case words, so punctuation and spacing do not defeat a match."""
    return " ".join(_WORD.findall(text.casefold()))


def html_words(markup: str) -> str:
    """Reduce answer HTML to its words: tags out, entities decoded once."""
    return words(html.unescape(_TAG.sub(" ", markup)))


def _check_question(question: Node, index: GraphIndex) -> Iterator[Issue]:
    name = _text(question.data.get("name"))
    if not words(name):
        yield Issue(
            rule="content.question-name-missing",
            message=f"FAQ question {question.label()} has no name",
            path=question.path,
            node_id=question.node_id,
        )
    label = f'"{_quote(name)}"' if name else question.label()
    values = as_list(question.data.get("acceptedAnswer"))
    if not values:
        yield Issue(
            rule="content.answer-missing",
            message=f"FAQ question {label} has no acceptedAnswer",
            path=question.path,
            node_id=question.node_id,
            hint='add "acceptedAnswer": {"@type": "Answer", "text": "..."}',
        )
        return
    for position, value in enumerate(values):
        path = (*question.path, "acceptedAnswer", *((position,) if len(values) > 1 else ()))
        answer = index.resolve(value)
        if answer is None and is_reference(value):
            continue
        if answer is None or "Answer" not in answer.types:
            yield Issue(
                rule="content.answer-missing",
                message=f"the acceptedAnswer of FAQ question {label} is not an Answer node",
                path=path,
                node_id=question.node_id,
            )
            continue
        text = _text(answer.data.get("text"))
        if text and not html_words(text):
            yield Issue(
                rule="content.answer-empty",
                message=f"the answer to FAQ question {label} has no words",
                path=(*answer.path, "text"),
                node_id=answer.node_id or question.node_id,
            )


def _check_answer_html(node: Node, allowed_tags: Collection[str]) -> Iterator[Issue]:
    text = _text(node.data.get("text"))
    if "<" not in text:
        return
    collector = _TagCollector()
    collector.feed(text)
    collector.close()
    extra = sorted(set(collector.tags) - set(allowed_tags))
    if extra:
        yield Issue(
            rule="content.answer-html-tag",
            message=f"answer HTML uses {', '.join(f'<{t}>' for t in extra)}, which consumers strip",
            path=(*node.path, "text"),
            node_id=node.node_id,
        )


def _check_dates(node: Node, today: dt.date) -> Iterator[Issue]:
    for key in DATE_PROPERTIES:
        for position, value in enumerate(as_list(node.data.get(key))):
            if not isinstance(value, str) or not is_iso8601(value):
                continue
            day = dt.date.fromisoformat(value[:10])
            if day > today + _DATE_SLACK:
                path: Path = (*node.path, key)
                if isinstance(node.data.get(key), list):
                    path = (*path, position)
                yield Issue(
                    rule="content.date-in-future",
                    message=f'{key} "{value}" is after today ({today.isoformat()})',
                    path=path,
                    node_id=node.node_id,
                )


class _TagCollector(HTMLParser):
    """Collects the tag names used in a fragment of answer HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:  # noqa: ARG002 - HTMLParser's signature
        self.tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        self.tags.append(tag)


def _text(value: JsonValue) -> str:
    """Return a text property as one string: list items joined, non-text ignored."""
    return " ".join(item for item in as_list(value) if isinstance(item, str))


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MAX_QUOTE else f"{text[: _MAX_QUOTE - 1]}…"
