"""Whole conversations through the webservice, the session attributes carried as Alexa does.

Each turn's request carries the attributes of the previous response; a session that ended
starts afresh. Every turn must say exactly what the engine says for the same turn, and the
warning-sign check must reach each of its three outcomes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from alexa_support import AlexaSession, check_answer, speech_text
from ask_sdk_model.response_envelope import ResponseEnvelope
from flask.testing import FlaskClient

from skill import intents as i
from skill.content import Content
from skill.engine import Step, handle, launch
from skill.render import to_ssml
from skill.state import DialogueState

CONVERSATIONS = sorted((Path(__file__).parents[1] / "fixtures" / "conversations").glob("*.json"))


def _same_as_engine(answer: ResponseEnvelope, step: Step) -> None:
    reply = step.reply
    response = answer.response
    assert response.output_speech.ssml == to_ssml(reply.speech, reply.rate)
    assert bool(response.should_end_session) is reply.end_session
    if reply.end_session:
        assert response.reprompt is None
    else:
        assert response.reprompt.output_speech.ssml == to_ssml(reply.reprompt, reply.rate)
    assert response.card.content == reply.card_text


@pytest.mark.parametrize("path", CONVERSATIONS, ids=[p.stem for p in CONVERSATIONS])
def test_each_engine_conversation_sounds_the_same_on_alexa(
    path: Path, client: FlaskClient, content: Content
) -> None:
    session = AlexaSession(client)
    state = DialogueState()
    for turn in json.loads(path.read_text(encoding="utf-8"))["turns"]:
        if turn.get("launch"):
            step, answer = launch(content, state), session.launch()
        else:
            step = handle(content, state, turn["intent"], turn.get("slots"))
            answer = session.say(turn["intent"], turn.get("slots"))
        check_answer(answer, content)
        _same_as_engine(answer, step)
        state = step.state
        if step.reply.end_session:  # Alexa starts the next turn in a new, empty session
            state, session = DialogueState(), AlexaSession(client)


CHECKS: dict[str, list[str]] = {
    "self_care": [i.NO] * 5,
    "see_professional": [i.YES, i.NO, i.NO, i.NO, i.NO],
    "urgent": [i.NO, i.NO, i.NO, i.NO, i.UNSURE],
}


@pytest.mark.parametrize("outcome", sorted(CHECKS))
def test_the_check_reaches_each_outcome(
    outcome: str, client: FlaskClient, content: Content
) -> None:
    session = AlexaSession(client)
    session.launch()
    first = session.say(i.SYMPTOM_CHECK)
    assert content.block(content.questions[0]).text() in speech_text(first)
    answers = CHECKS[outcome]
    for number, intent in enumerate(answers[:-1], start=1):
        asked = session.say(intent)
        assert speech_text(asked) == content.block(content.questions[number]).text()
    final = session.say(answers[-1])
    check_answer(final, content)
    said = speech_text(final)
    assert all(content.block(key).text() in said for key in content.outcomes[outcome])
    assert content.block("disclaimer.full").text() in said
    assert final.response.should_end_session is (outcome == "urgent")


def test_a_question_in_the_middle_of_the_check_is_answered_then_the_check_goes_on(
    client: FlaskClient, content: Content
) -> None:
    session = AlexaSession(client)
    session.launch()
    session.say(i.SYMPTOM_CHECK)
    session.say(i.NO)
    aside = session.say(i.ANXIETY)
    assert speech_text(aside).endswith(content.block(content.questions[1]).text())
    repeat = session.say(i.REPEAT)
    assert speech_text(repeat) == speech_text(aside)
    for _ in range(4):
        final = session.say(i.NO)
    assert content.block(content.outcomes["self_care"][0]).text() in speech_text(final)


def test_a_handler_error_gets_a_spoken_apology_and_the_dialogue_survives(
    client: FlaskClient, content: Content, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = AlexaSession(client)
    session.launch()
    session.say(i.SYMPTOM_CHECK)
    before = dict(session.attributes)

    def broken(*args: Any, **kwargs: Any) -> Step:
        raise RuntimeError("engine exploded")

    monkeypatch.setattr("skill.alexa.handlers.handle", broken)
    apology = session.say(i.YES)
    assert speech_text(apology).startswith(content.block("apology").text())
    assert apology.response.should_end_session is False
    assert apology.response.reprompt is not None
    assert session.attributes == before
    monkeypatch.undo()
    after = session.say(i.NO)  # the check goes on at the same question
    assert speech_text(after) == content.block(content.questions[1]).text()
