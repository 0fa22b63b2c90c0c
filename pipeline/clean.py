"""The clean stage: drop page furniture and word-for-word repeats, each drop recorded with its rule.

The patterns live in `profiles/furniture.toml`; this module only knows the shapes they apply to
(a section heading, a list, a paragraph).
"""

from __future__ import annotations

import functools
import itertools
import re
import tomllib
from collections import Counter
from dataclasses import dataclass, replace
from importlib import resources
from typing import TYPE_CHECKING, Any, Final, assert_never

from pipeline.errors import ProfileError
from pipeline.model import (
    Block,
    BulletList,
    Document,
    Drop,
    Paragraph,
    Section,
    Table,
    block_text,
    item_text,
    text_key,
)
from pipeline.regex_literals import branches, required, starts

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

_LINE_RULES: Final = (
    "link-list", "shop-cta", "byline", "share-widget", "cookie-notice", "disclaimer",
    "leaflet-boilerplate", "credit",
)  # fmt: skip
# Headings that mark a whole section as furniture; the rule's line patterns count too.
_SECTION_RULES: Final = (
    "recent-posts", "table-of-contents", "shop-cta", "share-widget", "link-list", "end-matter",
)  # fmt: skip
_NUMBERING: Final = re.compile(r"^\s*\d{1,2}(?:\.\d{1,2})*[.)]?\s+")
# One dated line could be a citation; a post list or a contents list has at least two items.
_MIN_LIST_ITEMS: Final = 2
_ANCHOR: Final = re.compile(r"^\s*\[[^\]]{1,40}\]\s*")
_FLAGS: Final = re.compile("", re.IGNORECASE).flags
# Most text starts with or contains a literal shorter than these, so testing for one is no help.
_MIN_PREFIX: Final = 5
_MIN_NEEDLE: Final = 4
# Needles sharing a part this long are looked for by it first: most text holds none of the parts.
_SHARED_PART: Final = 6


@dataclass(frozen=True, slots=True)
class Screen:
    """String tests far cheaper than the regex scans they spare: text that fails matches none."""

    prefixes: tuple[str, ...]
    needles: tuple[tuple[str, tuple[str, ...]], ...]  # a part, and the needles that hold it
    unscreened: tuple[re.Pattern[str], ...]

    def passes(self, text: str) -> bool:
        """Say whether a pattern may match `text`; text that is not ASCII always may."""
        lower = text.lower()
        return (
            not text.isascii()
            or lower.startswith(self.prefixes)
            or any(
                part in lower and any(needle in lower for needle in held)
                for part, held in self.needles
            )
            or any(pattern.search(text) for pattern in self.unscreened)
        )


def screen(patterns: Iterable[re.Pattern[str]]) -> Screen:
    """Read each pattern's literals, or keep it to run."""
    found: dict[bool, set[str]] = {True: set(), False: set()}
    unscreened: dict[bool, list[re.Pattern[str]]] = {True: [], False: []}
    for pattern in patterns:
        anchored, literals = _literals(pattern)
        # Only ASCII text is screened, and it never holds a text that is not ASCII.
        found[anchored].update(text for text in literals or () if text.isascii())
        unscreened[anchored] += [] if literals is not None else [pattern]
    prefixes: list[str] = []
    for prefix in sorted(found[True]):  # a longer prefix sorts right after the one it extends
        prefixes += [] if prefixes and prefix.startswith(prefixes[-1]) else [prefix]
    needles = sorted(n for n in found[False] if not any(m in n for m in found[False] - {n}))
    # An anchored pattern is `^` and one branch, so one `^(?:a|b)` runs them all.
    union = "|".join(pattern.pattern[1:] for pattern in unscreened[True])
    joined = [re.compile(f"^(?:{union})", re.IGNORECASE)] if unscreened[True] else []
    return Screen(tuple(prefixes), _by_part(needles), (*joined, *unscreened[False]))


def _by_part(needles: Sequence[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Group needles by the part most of them share, until each is grouped; a lone one is its own.

    A text without a group's part holds none of its needles, so one search spares them all.
    """
    groups: list[tuple[str, tuple[str, ...]]] = []
    left = list(needles)
    while left:
        counts = Counter(part for needle in left for part in _parts(needle))
        shared = max(sorted(counts), key=counts.__getitem__)  # the first of the most shared
        held = tuple(needle for needle in left if shared in needle)
        groups.append((shared if len(held) > 1 else held[0], held))
        left = [needle for needle in left if shared not in needle]
    return tuple(groups)


def _parts(needle: str) -> set[str]:
    """Every run of `_SHARED_PART` characters in a needle (a shorter needle is its own run)."""
    return {
        needle[start : start + _SHARED_PART] for start in range(len(needle) - _SHARED_PART + 1)
    } or {needle}


def _literals(pattern: re.Pattern[str]) -> tuple[bool, tuple[str, ...] | None]:
    """Whether a pattern is anchored, and folded texts each match starts with (or holds)."""
    source = pattern.pattern
    if pattern.flags & (re.VERBOSE | re.MULTILINE):
        return False, None
    # Anchored: `^` and one branch, with no flag that lets `^` match past the start.
    anchored = source.startswith("^") and len(branches(source)) == 1 and pattern.flags == _FLAGS
    found = starts(source) or ()
    if anchored:  # else it runs in one `^(?:a|b)` with the others: it fails fast there
        return True, found if _shortest(found) >= _MIN_PREFIX else None
    # Texts every match starts with, or those of which every match holds one: the longest.
    held = max((found, *(required(source) or ())), key=_shortest)
    return False, held if _shortest(held) >= _MIN_NEEDLE else None


def _shortest(texts: tuple[str, ...]) -> int:
    return min(map(len, texts), default=0)


@dataclass(frozen=True, slots=True, kw_only=True)
class LineRule:
    """Patterns that drop a paragraph or list item of at most `max_words` words."""

    id: str
    patterns: tuple[re.Pattern[str], ...]
    max_words: int


@dataclass(frozen=True, slots=True, kw_only=True)
class CleanRules:
    """The furniture rules, compiled once, and the screens that spare most text their patterns."""

    dated_item: re.Pattern[str]
    recent_share: float
    toc_share: float
    fragment_max_words: int
    section_headings: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]
    line_rules: tuple[LineRule, ...]
    heading_screen: Screen
    line_screen: Screen


@functools.cache
def load_clean_rules() -> CleanRules:
    """Load and compile `profiles/furniture.toml`."""
    text = resources.files("pipeline.profiles").joinpath("furniture.toml").read_text("utf-8")
    return rules_from_toml(tomllib.loads(text), "furniture.toml")


def rules_from_toml(data: dict[str, Any], file: str) -> CleanRules:
    """Compile furniture rules from parsed TOML; a bad pattern names its key."""
    rules = data.get("rules", {})

    def compile_all(rule: str, key: str) -> tuple[re.Pattern[str], ...]:
        patterns = rules.get(rule, {}).get(key, [])
        compiled = []
        for index, pattern in enumerate(patterns):
            try:
                compiled.append(re.compile(pattern, re.IGNORECASE))
            except re.error as error:
                raise ProfileError(file, f"rules.{rule}.{key}[{index}]", str(error)) from error
        return tuple(compiled)

    line_rules = tuple(
        LineRule(
            id=f"clean.{rule}",
            patterns=compile_all(rule, "patterns"),
            max_words=int(rules.get(rule, {}).get("max_words", 30)),
        )
        for rule in _LINE_RULES
    )
    section_headings = tuple(
        (f"clean.{rule}", compile_all(rule, "headings") + compile_all(rule, "patterns"))
        for rule in _SECTION_RULES
    )
    return CleanRules(
        dated_item=re.compile(rules["recent-posts"]["dated_item"], re.IGNORECASE),
        recent_share=float(rules["recent-posts"]["min_share"]),
        toc_share=float(rules["table-of-contents"]["min_share"]),
        fragment_max_words=int(rules["fragment"]["max_words"]),
        section_headings=section_headings,
        line_rules=line_rules,
        heading_screen=screen(p for _, patterns in section_headings for p in patterns),
        line_screen=screen(p for rule in line_rules for p in rule.patterns),
    )


def clean(doc: Document, rules: CleanRules) -> Document:
    """Return the document without furniture and repeats; `dropped` says what went and why."""
    dropped: list[Drop] = list(doc.dropped)
    titles = {text_key(_toc_entry(section.title)) for section in doc.sections}
    cleaner = _BlockCleaner(rules=rules, seen=set(), titles=titles, dropped=dropped)
    lead = cleaner.blocks(doc.lead)
    sections: list[Section] = []
    furniture: tuple[str, int] | None = None
    for index, section in enumerate(doc.sections):
        if furniture is not None and section.level > furniture[1]:
            dropped.extend(_drops(section, furniture[0], cleaner))
            continue
        furniture = None
        rule = _heading_rule(section.title, rules)
        if rule is not None:
            # A furniture heading takes its sub-sections with it (product cards, post titles).
            dropped.extend(_drops(section, rule, cleaner))
            furniture = (rule, section.level)
            continue
        blocks = cleaner.blocks(section.blocks)
        if section.blocks and not blocks and cleaner.only_furniture:
            dropped.append(_heading_drop(section, cleaner.last_rule))
        elif not section.blocks and not _has_children(doc.sections, index):
            dropped.append(_heading_drop(section, "clean.empty-section"))
        else:
            unchanged = blocks == section.blocks
            sections.append(section if unchanged else replace(section, blocks=blocks))
    return replace(doc, lead=lead, sections=tuple(sections), dropped=tuple(dropped))


def _has_children(sections: Sequence[Section], index: int) -> bool:
    """Whether the next section sits below this one (a heading with only sub-headings is kept)."""
    following = sections[index + 1] if index + 1 < len(sections) else None
    return following is not None and following.level > sections[index].level


def _heading_drop(section: Section, rule: str) -> Drop:
    return Drop(text=section.title, rule=rule, span=section.span, heading=True, level=section.level)


def _drops(section: Section, rule: str, cleaner: _BlockCleaner) -> list[Drop]:
    """Drop a furniture section; each block keeps its own reason when a rule names one."""
    return [_heading_drop(section, rule)] + [
        Drop(text=block_text(block), rule=cleaner.reason(block) or rule, span=block.span)
        for block in section.blocks
    ]


def _heading_rule(title: str, rules: CleanRules) -> str | None:
    text = " ".join(_NUMBERING.sub("", title).split()).rstrip(":")
    if not rules.heading_screen.passes(text):
        return None
    for rule, patterns in rules.section_headings:
        if any(pattern.search(text) for pattern in patterns):
            return rule
    return None


def _toc_entry(text: str) -> str:
    """A contents line without its number or anchor id ("[dosage] 3. Dosage" → "Dosage")."""
    return _NUMBERING.sub("", _ANCHOR.sub("", text))


@dataclass(slots=True, kw_only=True)
class _BlockCleaner:
    """Drops furniture blocks and repeats across one document; remembers what it has seen."""

    rules: CleanRules
    seen: set[str]
    titles: set[str]
    dropped: list[Drop]
    only_furniture: bool = False
    alone: bool = False
    last_rule: str = "clean.fragment"

    def blocks(self, blocks: tuple[Block, ...]) -> tuple[Block, ...]:
        """Return the blocks worth keeping; sets `only_furniture` when every drop was furniture."""
        kept: list[Block] = []
        furniture = 0
        # A short line that is a section's only content is its content ("Generic Name" → "X (Y)").
        self.alone = len(blocks) == 1
        for block in blocks:
            result, rule = self._block(block)
            if result is not None:
                kept.append(result)
            if rule is not None and rule != "clean.repeated":
                furniture += 1
                self.last_rule = rule
        self.only_furniture = bool(blocks) and furniture == len(blocks) - len(kept)
        return tuple(kept)

    def _block(self, block: Block) -> tuple[Block | None, str | None]:
        match block:
            case Paragraph(text=text):
                return self._drop(block, self._line_rule(text) or self._repeat(text_key(text)))
            case BulletList():
                return self._list(block)
            case Table():
                return self._drop(block, self._repeat(text_key(block_text(block))))
            case _:
                assert_never(block)

    def reason(self, block: Block) -> str | None:
        """The furniture rule a block matches on its own, without recording anything."""
        if isinstance(block, BulletList):
            texts = list(map(item_text, block.items))
            if self._dated(texts):
                return "clean.recent-posts"
            rules = {self._line_rule(text, fragments=False) for text in texts}
            return rules.pop() if len(rules) == 1 else None
        return self._line_rule(block_text(block), fragments=False)

    def _drop(self, block: Block, rule: str | None) -> tuple[Block | None, str | None]:
        if rule is None:
            return block, None
        self.dropped.append(Drop(text=block_text(block), rule=rule, span=block.span))
        return None, rule

    def _dated(self, texts: list[str]) -> bool:
        """Whether enough items end in a date for a list of posts; stops once too few can."""
        needed = max(_MIN_LIST_ITEMS, len(texts) * self.rules.recent_share)
        undated = itertools.accumulate(not self.rules.dated_item.search(text) for text in texts)
        return len(texts) >= needed and all(len(texts) - count >= needed for count in undated)

    def _list(self, block: BulletList) -> tuple[Block | None, str | None]:
        texts = list(map(item_text, block.items))
        if self._dated(texts):
            return self._drop(block, "clean.recent-posts")
        entries = [_toc_entry(text) for text in texts]
        keys = [text_key(entry) for entry in entries]  # a text's own key too, when it has no number
        in_titles = sum(key in self.titles for key in keys)
        if len(texts) >= _MIN_LIST_ITEMS and in_titles >= len(texts) * self.rules.toc_share:
            return self._drop(block, "clean.table-of-contents")
        items = []
        last_rule = None
        for item, text, entry, key in zip(block.items, texts, entries, keys, strict=True):
            own = key if entry == text else text_key(text)
            rule = self._line_rule(text, fragments=False) or self._repeat(own)
            if rule is None:
                items.append(item)
            else:
                last_rule = rule
                self.dropped.append(Drop(text=text, rule=rule, span=item.span))
        if not items:
            return None, last_rule
        kept = tuple(items)
        return (block if kept == block.items else replace(block, items=kept)), None

    def _line_rule(self, text: str, *, fragments: bool = True) -> str | None:
        words = text.split()
        flat = " ".join(words)
        if self.rules.line_screen.passes(flat):
            for rule in self.rules.line_rules:
                if len(words) <= rule.max_words and any(p.search(flat) for p in rule.patterns):
                    return rule.id
        if (
            fragments
            and not self.alone
            and len(words) <= self.rules.fragment_max_words
            and not flat.endswith((".", "!", "?", ":", "…"))
            and ": " not in flat
            and text_key(flat) not in self.titles
        ):
            return "clean.fragment"
        return None

    def _repeat(self, key: str) -> str | None:
        if not key:
            return None
        if key in self.seen:
            return "clean.repeated"
        self.seen.add(key)
        return None
