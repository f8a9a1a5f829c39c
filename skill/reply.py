"""A reply as structure: paragraphs with pauses, a reprompt and a card, before any rendering."""

from __future__ import annotations

from dataclasses import dataclass

#: Speech-rate steps from slowest to fastest; 0 is the voice's normal rate.
MIN_RATE = -2
MAX_RATE = 2


@dataclass(frozen=True)
class Paragraph:
    """A stretch of speech; ``pause_before`` asks for a breath before it (offers, questions)."""

    text: str
    pause_before: bool = False


@dataclass(frozen=True)
class Reply:
    """What the guide says in one turn, independent of how a front end voices it."""

    speech: tuple[Paragraph, ...]
    reprompt: tuple[Paragraph, ...]
    card_title: str
    card_text: str
    end_session: bool
    rate: int = 0
    outcome: str | None = None
