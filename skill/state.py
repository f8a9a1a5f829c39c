"""The dialogue state: a small JSON-able value that Alexa carries in session attributes.

It keeps the least the dialogue needs. Of the red-flag check it keeps only which question is
pending and whether any answer so far raised a concern; the answers themselves are not kept.
State that comes back from outside (session attributes) is untrusted: anything that does not
fit is dropped rather than believed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any

from skill.content import OUTCOMES, QUESTION_COUNT, Content
from skill.reply import MAX_RATE, MIN_RATE

OFFER_MORE = "more"
OFFER_CHECK = "check"
OFFER_NEXT = "next"
_OFFERS = frozenset({OFFER_MORE, OFFER_CHECK, OFFER_NEXT})
_MAX_REFS = 12


@dataclass(frozen=True)
class DialogueState:
    """Where the conversation is; every field has a safe default."""

    turn: int = 0
    topic: str | None = None
    detail_given: bool = False
    offer: str | None = None
    question: int | None = None
    concern: bool = False
    no_once: bool = False
    outcome: str | None = None
    rate: int = 0
    last_speech: tuple[str, ...] = ()
    last_reprompt: tuple[str, ...] = ()

    @property
    def in_check(self) -> bool:
        """Whether a red-flag question is waiting for its answer."""
        return self.question is not None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able copy, for session attributes."""
        data = asdict(self)
        data["last_speech"] = list(self.last_speech)
        data["last_reprompt"] = list(self.last_reprompt)
        return data

    @classmethod
    def from_dict(cls, data: Any, content: Content) -> DialogueState:
        """Rebuild a state from untrusted data, keeping only fields that are valid together."""
        if not isinstance(data, Mapping):
            return cls()
        state = cls(
            turn=_int_in(data.get("turn"), 0, 1_000_000, 0),
            topic=_choice(data.get("topic"), content.topics.keys()),
            detail_given=data.get("detail_given") is True,
            offer=_choice(data.get("offer"), _OFFERS),
            question=_question(data.get("question")),
            concern=data.get("concern") is True,
            no_once=data.get("no_once") is True,
            outcome=_choice(data.get("outcome"), OUTCOMES),
            rate=_int_in(data.get("rate"), MIN_RATE, MAX_RATE, 0),
            last_speech=_refs(data.get("last_speech"), content),
            last_reprompt=_refs(data.get("last_reprompt"), content),
        )
        if state.topic is None:
            state = replace(state, detail_given=False)
        if state.question is None:
            state = replace(state, concern=False, no_once=False)
        return state


def ref(key: str, variant: int = 0) -> str:
    """A reference to one phrasing of a content block, as kept in the state."""
    return f"{key}#{variant}" if variant else key


def parse_ref(value: str) -> tuple[str, int]:
    """Split a reference into its block key and variant."""
    key, _, variant = value.partition("#")
    return key, int(variant) if variant.isdigit() else 0


def _refs(value: Any, content: Content) -> tuple[str, ...]:
    if not isinstance(value, list) or len(value) > _MAX_REFS:
        return ()
    refs: list[str] = []
    for item in value:
        if not isinstance(item, str):
            return ()
        key, variant = parse_ref(item)
        if key not in content.blocks or variant >= len(content.blocks[key].variants):
            return ()
        refs.append(item)
    return tuple(refs)


def _choice(value: Any, allowed: Any) -> str | None:
    return value if isinstance(value, str) and value in allowed else None


def _int_in(value: Any, low: int, high: int, default: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        return default
    return value if low <= value <= high else default


def _question(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if 0 <= value < QUESTION_COUNT else None
