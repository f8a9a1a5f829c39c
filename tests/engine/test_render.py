"""Replies render to valid, escaped SSML for Alexa and to clean plain text for everyone else."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from skill import intents as i
from skill.content import Content
from skill.engine import handle, launch
from skill.render import to_plain, to_ssml
from skill.reply import Paragraph


def _all_replies(content: Content) -> list[tuple[Paragraph, ...]]:
    step = launch(content)
    replies = [step.reply.speech, step.reply.reprompt]
    for intent in sorted(i.ALL_INTENTS):
        for prefix in ([], [i.SYMPTOM_CHECK]):
            state = step.state
            for earlier in prefix:
                state = handle(content, state, earlier).state
            reply = handle(content, state, intent, {i.RATE_SLOT: "slower"}).reply
            replies += [reply.speech, reply.reprompt]
    return replies


def test_every_reply_renders_to_well_formed_ssml(content: Content) -> None:
    for speech in _all_replies(content):
        for rate in (-2, 0, 2):
            root = ET.fromstring(to_ssml(speech, rate))
            assert root.tag == "speak"
            if rate:
                assert root[0].tag == "prosody"


@given(st.text())
def test_any_text_is_escaped_into_well_formed_ssml(text: str) -> None:
    cleaned = "".join(c for c in text if c.isprintable())
    root = ET.fromstring(to_ssml((Paragraph(cleaned), Paragraph("after", pause_before=True))))
    assert "".join(root.itertext()) == cleaned.strip() + "after"


def test_pauses_become_breaks_and_rates_become_prosody() -> None:
    ssml = to_ssml((Paragraph("One."), Paragraph("Two?", pause_before=True)), rate=-1)
    assert ssml == (
        '<speak><prosody rate="85%"><p>One.</p><break time="400ms"/><p>Two?</p></prosody></speak>'
    )


def test_plain_text_has_no_markup(content: Content) -> None:
    for speech in _all_replies(content):
        plain = to_plain(speech)
        assert "<" not in plain and ">" not in plain and "\n" not in plain


def test_every_card_carries_the_full_disclaimer(content: Content) -> None:
    disclaimer = content.block("disclaimer.full").text()
    step = launch(content)
    assert disclaimer in step.reply.card_text
    for intent in sorted(i.ALL_INTENTS):
        reply = handle(content, step.state, intent).reply
        assert disclaimer in reply.card_text, intent
        assert "<" not in reply.card_text
