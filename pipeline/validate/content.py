"""Layer 5, content rules: complete FAQ entries, answer HTML, dates, one FAQPage, visible Q&A.

The questions checked are those an FAQPage lists, after references resolve; a Question elsewhere
(a Q&A thread, an AskAction) needs neither a name nor an accepted answer.
"""

from __future__ import annotations

import datetime as dt
import functools
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
_DATE_KEYS: Final = frozenset(DATE_PROPERTIES)
# A page dated in UTC+14 is a day ahead of UTC; one day of slack keeps it from warning.
_DATE_SLACK: Final = dt.timedelta(days=1)
_TAG: Final = re.compile(r"<[^>]*>")
# A start or end tag with HTML whitespace and quoted attributes only, captured by name: no "<",
# ">" or other character that HTMLParser reads differently can sit inside it.
_PLAIN_TAG: Final = re.compile(
    r"<([A-Za-z][A-Za-z0-9]*)"
    r"""(?:[\t\n\r\f ]+[A-Za-z][-A-Za-z0-9_:]*(?:="[^"<>]*"|='[^'<>]*')?)*[\t\n\r\f ]*/?>"""
    r"|</([A-Za-z][A-Za-z0-9]*)[\t\n\r\f ]*>"
)
_WORD: Final = re.compile(r"\w+")
_MAX_QUOTE: Final = 60


def check_content(
    index: GraphIndex, *, allowed_tags: Collection[str], today: dt.date
) -> Iterator[Issue]:
    """Yield FAQ completeness, answer HTML, future-date and FAQPage-count problems."""
    pages = index.faq
    if len(pages) > 1:
        yield Issue(
            rule="content.multiple-faq-pages",
            message=f"{len(pages)} FAQPage nodes; a page may carry one",
            path=pages[1].path,
            node_id=pages[1].node_id,
        )
    for question, _ in index.entries:
        yield from _check_question(question, index)
    for node in index.nodes:
        if "Answer" in node.types:
            yield from _check_answer_html(node, allowed_tags)
        if not _DATE_KEYS.isdisjoint(node.data):
            yield from _check_dates(node, today)


def check_visibility(index: GraphIndex, page_text: str) -> Iterator[Issue]:
    """Yield a warning for each FAQ question or answer that the page's visible text lacks."""
    visible = _visible_text(page_text)
    if not visible.has_words():
        yield Issue(
            rule="content.visibility-unchecked",
            message="the page has no visible text (a fragment or a script-rendered page)",
        )
        return
    for question, answer in index.entries:
        name = _text(question.data.get("name"))
        if name and not visible.says(name):
            yield Issue(
                rule="content.question-not-visible",
                message=f'question "{_quote(name)}" is not in the visible text of the page',
                path=(*question.path, "name"),
                node_id=question.node_id,
            )
        plain = _plain(_text(answer.data.get("text"))) if answer else ""
        if answer and has_words(plain) and not visible.says(plain):
            yield Issue(
                rule="content.answer-not-visible",
                message=f'the answer to "{_quote(name)}" is not in the visible text of the page',
                path=(*answer.path, "text"),
                node_id=answer.node_id or question.node_id,
            )


def words(text: str) -> str:
    """Reduce plain text to lower-case words, so punctuation and spacing do not defeat a match."""
    return " ".join(_WORD.findall(text.casefold()))


def has_words(text: str) -> bool:
    """Whether `words(text)` is not empty, without building it."""
    return _WORD.search(text.casefold()) is not None


class _VisibleText:
    """A page's text, searched for a phrase's words as `f" {words(t)} " in f" {words(page)} "`.

    Reducing a whole page to its words costs more than the rest of the check, and a page usually
    repeats a question or answer as written: a verbatim match that starts and ends at word
    boundaries holds exactly the phrase's words as a run. Only a phrase with no verbatim match
    needs the page's words, which are then built once.
    """

    __slots__ = ("folded", "page_words")

    def __init__(self, page_text: str) -> None:
        self.folded = page_text.casefold()
        self.page_words: str | None = None

    def has_words(self) -> bool:
        """Whether the page has any word at all."""
        return _WORD.search(self.folded) is not None

    def says(self, text: str) -> bool:
        """Whether the page holds `words(text)` as a run of whole words (never if it is empty)."""
        phrase = words(text)
        if not phrase:
            return False
        core = text.casefold().strip()
        page = self.folded
        start = page.find(core)
        while start >= 0:
            end = start + len(core)
            starts_whole = start == 0 or not (_WORD.match(core) and _WORD.match(page, start - 1))
            ends_whole = end == len(page) or not (_WORD.match(core[-1]) and _WORD.match(page, end))
            if starts_whole and ends_whole:
                return True
            start = page.find(core, start + 1)
        if self.page_words is None:
            self.page_words = f" {' '.join(_WORD.findall(page))} "
        return f" {phrase} " in self.page_words


def html_words(markup: str) -> str:
    """Reduce answer HTML to its words: tags out, entities decoded once."""
    return words(_plain(markup))


def _plain(markup: str) -> str:
    """Answer HTML as text: tags out, entities decoded once."""
    return html.unescape(_TAG.sub(" ", markup))


def _check_question(question: Node, index: GraphIndex) -> Iterator[Issue]:
    name = _text(question.data.get("name"))
    if not has_words(name):
        yield Issue(
            rule="content.question-name-missing",
            message=f"FAQ question {question.label()} has no name",
            path=question.path,
            node_id=question.node_id,
        )
    values = as_list(question.data.get("acceptedAnswer"))
    if not values:
        yield Issue(
            rule="content.answer-missing",
            message=f"FAQ question {_label(question, name)} has no acceptedAnswer",
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
                message=f"the acceptedAnswer of FAQ question {_label(question, name)} "
                "is not an Answer node",
                path=path,
                node_id=question.node_id,
            )
            continue
        text = _text(answer.data.get("text"))
        if text and not has_words(_plain(text)):
            yield Issue(
                rule="content.answer-empty",
                message=f"the answer to FAQ question {_label(question, name)} has no words",
                path=(*answer.path, "text"),
                node_id=answer.node_id or question.node_id,
            )


def _check_answer_html(node: Node, allowed_tags: Collection[str]) -> Iterator[Issue]:
    text = _text(node.data.get("text"))
    if "<" not in text:
        return
    plain = [match[1] or match[2] for match in _PLAIN_TAG.finditer(text)]
    # When each "<" opens a plain tag, HTMLParser reads the same names; only other markup, or a
    # tag we would warn about, needs the parser.
    if len(plain) == text.count("<") and all(tag.lower() in allowed_tags for tag in plain):
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
        if key not in node.data:
            continue
        for position, value in enumerate(as_list(node.data[key])):
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
    if isinstance(value, str):
        return value
    return " ".join(item for item in as_list(value) if isinstance(item, str))


def _label(question: Node, name: str) -> str:
    """Name a question in a message: its quoted name, else its @id or type."""
    return f'"{_quote(name)}"' if name else question.label()


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MAX_QUOTE else f"{text[: _MAX_QUOTE - 1]}…"


# A page with several JSON-LD blocks checks each against the same text: its words are built once.
_visible_text = functools.lru_cache(maxsize=1)(_VisibleText)
