"""Spoken content as data: one JSON file per locale, validated when it loads.

Every block of text has a stable key (``topic.danger.short``), a ``source`` (``seed`` when
the article says it, ``general`` for a conservative fact that fills a gap in it) and one or
more phrasings. Where the article lost a list ("These twitches are usually:"), the general
block that fills the gap names that heading in ``fills``. A ``seed`` block carries the
article sentences it rests on as ``quotes``; loading checks that each quote really is in the
article, so every spoken fact stays traceable.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from skill.locale_data import Where, read_locale_json

CONTENT_DIR = Path(__file__).resolve().parent / "content"
SOURCES = frozenset({"seed", "general"})
OFFERS = frozenset({"more", "check"})
OUTCOMES = ("urgent", "see_professional", "self_care")
QUESTION_COUNT = 5

#: Keys the dialogue engine speaks directly; a content file must define every one.
REQUIRED_KEYS = frozenset(
    {
        "disclaimer.short",
        "disclaimer.full",
        "disclaimer.emergency",
        "launch.welcome",
        "launch.suggestions",
        "restart.intro",
        "ask.what",
        "ask.next",
        "reprompt.general",
        "reprompt.after_outcome",
        "reprompt.offer",
        "offer.more",
        "offer.check",
        "ack.no",
        "ack.yes_open",
        "ack.unsure_open",
        "goodbye",
        "help.open",
        "fallback.open",
        "topics.list",
        "more.no_topic",
        "more.none_left",
        "not_heard",
        "offer.keyboard",
        "rate.ask",
        "rate.slower",
        "rate.faster",
        "rate.normal",
        "rate.slowest",
        "rate.fastest",
        "check.intro",
        "check.back",
        "check.already",
        "check.help",
        "check.fallback",
        "check.confirm_no",
        "apology",
    }
)


class ContentError(ValueError):
    """A content file is malformed; the message names the file and the field."""


@dataclass(frozen=True)
class Block:
    """One piece of speech: a stable key, its source and one or more phrasings."""

    key: str
    source: str
    variants: tuple[str, ...]
    quotes: tuple[str, ...] = ()
    fills: str | None = None

    def text(self, variant: int = 0) -> str:
        """The phrasing at ``variant`` (wrapping around)."""
        return self.variants[variant % len(self.variants)]


@dataclass(frozen=True)
class Topic:
    """A question the guide answers: a short answer, more detail, and what it offers next."""

    id: str
    intent: str
    title: str
    offer: str
    short: tuple[str, ...]
    more: tuple[str, ...]


@dataclass(frozen=True)
class Content:
    """Everything the guide can say in one locale."""

    locale: str
    skill_name: str
    blocks: Mapping[str, Block]
    topics: Mapping[str, Topic]
    questions: tuple[str, ...]
    outcomes: Mapping[str, tuple[str, ...]]

    def block(self, key: str) -> Block:
        """The block at ``key``."""
        return self.blocks[key]

    def topic_for_intent(self, intent: str) -> Topic | None:
        """The topic an intent asks about, if it is a topic intent."""
        for topic in self.topics.values():
            if topic.intent == intent:
                return topic
        return None


def content_path(locale: str = "en-US") -> Path:
    """Where the content file of ``locale`` lives."""
    return CONTENT_DIR / f"{locale}.json"


def load_content(locale: str = "en-US", path: Path | None = None) -> Content:
    """Load and validate the content of ``locale``; raise ContentError naming file and field."""
    file = path or content_path(locale)
    raw = read_locale_json(file, "content", locale, ContentError)
    return parse_content(raw, file)


def parse_content(raw: Any, file: Path) -> Content:
    """Validate parsed JSON as content; ``file`` names it in errors and locates the article."""
    where = _Where(file)
    root = where.mapping(raw, "")
    article_name = where.text(root.get("article"), "article")
    article_file = file.parent / article_name
    try:
        article = _normalise(article_file.read_text(encoding="utf-8"))
    except OSError as error:
        raise ContentError(f"{file}: article: cannot read {article_file}") from error

    blocks = {
        key: _parse_block(key, value, where, article)
        for key, value in where.mapping(root.get("blocks"), "blocks").items()
    }
    missing = sorted(REQUIRED_KEYS - blocks.keys())
    if missing:
        raise ContentError(f"{file}: blocks: missing required keys {', '.join(missing)}")

    def refs(value: Any, field: str) -> tuple[str, ...]:
        items = where.sequence(value, field)
        if not items:
            raise ContentError(f"{file}: {field}: must name at least one block")
        for index, key in enumerate(items):
            if not isinstance(key, str) or key not in blocks:
                raise ContentError(f"{file}: {field}[{index}]: no block named {key!r}")
        return tuple(items)

    topics: dict[str, Topic] = {}
    intents: set[str] = set()
    for topic_id, value in where.mapping(root.get("topics"), "topics").items():
        field = f"topics.{topic_id}"
        spec = where.mapping(value, field)
        offer = where.text(spec.get("offer"), f"{field}.offer")
        if offer not in OFFERS:
            raise ContentError(f"{file}: {field}.offer: must be one of {sorted(OFFERS)}")
        intent = where.text(spec.get("intent"), f"{field}.intent")
        if intent in intents:
            raise ContentError(f"{file}: {field}.intent: {intent} already has a topic")
        intents.add(intent)
        topics[topic_id] = Topic(
            id=topic_id,
            intent=intent,
            title=where.text(spec.get("title"), f"{field}.title"),
            offer=offer,
            short=refs(spec.get("short"), f"{field}.short"),
            more=refs(spec.get("more"), f"{field}.more"),
        )

    check = where.mapping(root.get("check"), "check")
    questions = refs(check.get("questions"), "check.questions")
    if len(questions) != QUESTION_COUNT:
        raise ContentError(f"{file}: check.questions: needs exactly {QUESTION_COUNT} questions")
    outcome_map = where.mapping(check.get("outcomes"), "check.outcomes")
    if set(outcome_map) != set(OUTCOMES):
        raise ContentError(f"{file}: check.outcomes: needs exactly {', '.join(OUTCOMES)}")
    outcomes = {name: refs(outcome_map[name], f"check.outcomes.{name}") for name in OUTCOMES}

    return Content(
        locale=where.text(root.get("locale"), "locale"),
        skill_name=where.text(root.get("skill_name"), "skill_name"),
        blocks=blocks,
        topics=topics,
        questions=questions,
        outcomes=outcomes,
    )


def _parse_block(key: str, value: Any, where: _Where, article: str) -> Block:
    field = f"blocks.{key}"
    spec = where.mapping(value, field)
    source = spec.get("source")
    if source not in SOURCES:
        raise ContentError(f"{where.file}: {field}.source: must be 'seed' or 'general'")
    if ("text" in spec) == ("variants" in spec):
        raise ContentError(f"{where.file}: {field}: needs exactly one of 'text' or 'variants'")
    if "text" in spec:
        variants: tuple[str, ...] = (where.text(spec["text"], f"{field}.text"),)
    else:
        items = where.sequence(spec["variants"], f"{field}.variants")
        if not items:
            raise ContentError(f"{where.file}: {field}.variants: must not be empty")
        variants = tuple(where.text(v, f"{field}.variants[{i}]") for i, v in enumerate(items))
    quotes = tuple(
        where.text(q, f"{field}.quotes[{i}]")
        for i, q in enumerate(where.sequence(spec.get("quotes", []), f"{field}.quotes"))
    )
    if source == "seed" and not quotes:
        raise ContentError(f"{where.file}: {field}.quotes: a seed block must quote the article")
    for index, quote in enumerate(quotes):
        if _normalise(quote) not in article:
            raise ContentError(
                f"{where.file}: {field}.quotes[{index}]: not found in the article: {quote!r}"
            )
    fills = spec.get("fills")
    if fills is not None and (
        source != "general" or _normalise(where.text(fills, f"{field}.fills")) not in article
    ):
        raise ContentError(
            f"{where.file}: {field}.fills: must be a general block filling a gap the "
            "article names, quoted exactly"
        )
    return Block(key=key, source=source, variants=variants, quotes=quotes, fills=fills)


def _normalise(text: str) -> str:
    return " ".join(text.split())


class _Where(Where):
    error = ContentError
