"""Session attributes are sealed: editing them cannot skip the warning-sign check."""

from __future__ import annotations

import copy

from alexa_support import AlexaSession, body, envelope_of, intent_envelope, post
from flask.testing import FlaskClient

from skill import intents as i
from skill.seal import STATE_KEY


def _attributes_after_a_red_flag(client: FlaskClient) -> dict[str, object]:
    session = AlexaSession(client)
    session.launch()
    session.say(i.SYMPTOM_CHECK)
    answer = session.say(i.YES)  # question one: yes, a red flag
    return dict(answer.session_attributes)


def test_a_carried_state_is_believed(client: FlaskClient) -> None:
    attributes = _attributes_after_a_red_flag(client)
    answer = envelope_of(post(client, body(intent_envelope(i.NO, attributes=attributes))))
    assert answer.session_attributes[STATE_KEY]["question"] == 2


def test_erasing_the_concern_and_jumping_ahead_starts_afresh(client: FlaskClient) -> None:
    edited = copy.deepcopy(_attributes_after_a_red_flag(client))
    state = edited[STATE_KEY]
    assert isinstance(state, dict)
    state.update(question=4, concern=False)  # claim: question five, nothing raised so far
    answer = envelope_of(post(client, body(intent_envelope(i.NO, attributes=edited))))
    assert answer.session_attributes[STATE_KEY]["question"] is None
    assert answer.session_attributes[STATE_KEY]["outcome"] is None
    assert "reassuring" not in answer.response.output_speech.ssml


def test_a_forged_state_without_a_seal_is_not_believed(client: FlaskClient) -> None:
    forged = {STATE_KEY: {"question": 4, "concern": False}}
    answer = envelope_of(post(client, body(intent_envelope(i.NO, attributes=forged))))
    assert answer.session_attributes[STATE_KEY]["outcome"] is None
