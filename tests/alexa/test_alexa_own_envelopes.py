"""The project's own envelopes, one for every intent and request type, are answered well.

Every answer deserialises with ask-sdk-model, speaks well-formed SSML, keeps a reprompt while
the session is open, and shows a plain-text card carrying the disclaimer. What is said is the
engine's reply, rendered.
"""

from __future__ import annotations

from typing import Any

import pytest
from alexa_support import (
    AlexaSession,
    body,
    check_answer,
    envelope_of,
    intent_envelope,
    own,
    post,
    speech_text,
)
from ask_sdk_model.ui.ssml_output_speech import SsmlOutputSpeech
from flask.testing import FlaskClient

from skill import intents as i
from skill.content import Content
from skill.engine import handle, launch
from skill.render import to_ssml
from skill.seal import SEAL_KEY, STATE_KEY
from skill.state import DialogueState


@pytest.mark.parametrize("intent", sorted(i.ALL_INTENTS))
def test_every_intent_is_answered_with_the_engines_reply(
    intent: str, client: FlaskClient, content: Content
) -> None:
    answer = envelope_of(post(client, body(intent_envelope(intent))))
    check_answer(answer, content)
    expected = handle(content, DialogueState(), intent, {}).reply
    assert answer.response.output_speech.ssml == to_ssml(expected.speech, expected.rate)
    assert bool(answer.response.should_end_session) == expected.end_session


def test_launch_welcomes_and_keeps_the_dialogue_in_the_session(
    client: FlaskClient, content: Content
) -> None:
    answer = envelope_of(post(client, body(own("launch"))))
    check_answer(answer, content)
    step = launch(content)
    assert answer.response.output_speech.ssml == to_ssml(step.reply.speech)
    assert answer.response.should_end_session is False
    assert set(answer.session_attributes) == {STATE_KEY, SEAL_KEY}
    assert answer.session_attributes[STATE_KEY] == step.state.to_dict()


def test_an_unknown_intent_gets_a_spoken_apology(client: FlaskClient, content: Content) -> None:
    answer = envelope_of(post(client, body(intent_envelope("OrderPizzaIntent"))))
    check_answer(answer, content)
    assert speech_text(answer).startswith("Sorry")
    assert answer.response.should_end_session is False


RATE_CASES: list[tuple[str, dict[str, Any], str | None]] = [
    ("resolved by entity resolution", own("speech_rate_resolved"), "85%"),
    ("spoken value, no resolution", intent_envelope(i.SPEECH_RATE, {"rate": "faster"}), "115%"),
    ("spoken value in capitals", intent_envelope(i.SPEECH_RATE, {"rate": " Faster "}), "115%"),
    ("a value the engine does not know", intent_envelope(i.SPEECH_RATE, {"rate": "zippy"}), None),
]


@pytest.mark.parametrize(
    ("case", "envelope", "prosody"), RATE_CASES, ids=[c[0] for c in RATE_CASES]
)
def test_speech_rate_slot(
    case: str, envelope: dict[str, Any], prosody: str | None, client: FlaskClient, content: Content
) -> None:
    answer = envelope_of(post(client, body(envelope)))
    check_answer(answer, content)
    ssml = answer.response.output_speech.ssml
    if prosody is None:
        assert "<prosody" not in ssml
        assert speech_text(answer) == content.block("rate.ask").text()
    else:
        assert f'<prosody rate="{prosody}">' in ssml
        assert f'<prosody rate="{prosody}">' in answer.response.reprompt.output_speech.ssml


def test_no_match_resolution_falls_back_to_the_spoken_words(
    client: FlaskClient, content: Content
) -> None:
    envelope = own("speech_rate_resolved")
    slot = envelope["request"]["intent"]["slots"]["rate"]
    slot["value"] = "normal"
    slot["resolutions"]["resolutionsPerAuthority"][0]["status"]["code"] = "ER_SUCCESS_NO_MATCH"
    answer = envelope_of(post(client, body(envelope)))
    assert speech_text(answer).startswith(content.block("rate.normal").text())


def test_the_rate_is_kept_for_the_rest_of_the_session(
    client: FlaskClient, content: Content
) -> None:
    session = AlexaSession(client)
    session.launch()
    session.say(i.SPEECH_RATE, {"rate": "slower"})
    answer = session.say(i.DANGER)
    assert answer.response.output_speech.ssml.startswith('<speak><prosody rate="85%">')


def test_session_ended_says_nothing_and_keeps_nothing(client: FlaskClient) -> None:
    envelope = own("session_ended")
    envelope["session"]["attributes"] = {STATE_KEY: {"question": 2, "concern": True}}
    answer = envelope_of(post(client, body(envelope)))
    assert answer.response.output_speech is None
    assert answer.response.reprompt is None
    assert answer.response.card is None
    assert answer.session_attributes == {}


def test_exception_encountered_is_acknowledged_without_speech(client: FlaskClient) -> None:
    answer = envelope_of(post(client, body(own("exception_encountered"))))
    assert answer.response.output_speech is None
    assert answer.response.reprompt is None


def test_stop_ends_the_session_and_forgets_the_dialogue(
    client: FlaskClient, content: Content
) -> None:
    session = AlexaSession(client)
    session.launch()
    session.say(i.SYMPTOM_CHECK)
    answer = session.say(i.STOP)
    assert answer.response.should_end_session is True
    assert answer.response.reprompt is None
    assert isinstance(answer.response.output_speech, SsmlOutputSpeech)
    assert answer.session_attributes == {}


def test_untrusted_session_attributes_are_dropped_not_believed(
    client: FlaskClient, content: Content
) -> None:
    attributes = {STATE_KEY: {"question": 99, "rate": 7, "last_speech": ["<evil/>"]}, "x": 1}
    answer = envelope_of(post(client, body(intent_envelope(i.REPEAT, attributes=attributes))))
    check_answer(answer, content)
    assert set(answer.session_attributes) == {STATE_KEY, SEAL_KEY}
    state = answer.session_attributes[STATE_KEY]
    assert state["question"] is None and state["rate"] == 0
