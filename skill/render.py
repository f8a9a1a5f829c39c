"""Render a structured Reply to SSML (Alexa) or to plain text (speech engines, screen readers)."""

from __future__ import annotations

from collections.abc import Iterable
from xml.sax.saxutils import escape

from skill.reply import Paragraph

PAUSE = '<break time="400ms"/>'
_PROSODY = {-2: "70%", -1: "85%", 1: "115%", 2: "130%"}


def to_plain(paragraphs: Iterable[Paragraph]) -> str:
    """Plain text on one line: no markup, nothing a screen reader would read out as symbols."""
    return " ".join(p.text.strip() for p in paragraphs if p.text.strip())


def to_ssml(paragraphs: Iterable[Paragraph], rate: int = 0) -> str:
    """A complete ``<speak>`` document, escaped, with pauses and the session's speech rate."""
    parts: list[str] = []
    for paragraph in paragraphs:
        text = paragraph.text.strip()
        if not text:
            continue
        if paragraph.pause_before and parts:
            parts.append(PAUSE)
        parts.append(f"<p>{escape(text)}</p>")
    body = "".join(parts)
    percent = _PROSODY.get(rate)
    if percent:
        body = f'<prosody rate="{percent}">{body}</prosody>'
    return f"<speak>{body}</speak>"
