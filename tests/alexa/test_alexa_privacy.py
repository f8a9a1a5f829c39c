"""Nothing a person says reaches the logs, even at DEBUG: no answers, slots or request bodies."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from alexa_support import AlexaSession, body, intent_envelope, own, post
from flask.testing import FlaskClient

from skill import intents as i

SECRET_WORDS = "slower than molasses please"


def _everything_sent(client: FlaskClient) -> list[dict[str, Any]]:
    """A check with yes, no and unsure answers, a spoken slot, and a few rejected requests."""
    sent: list[dict[str, Any]] = []
    session = AlexaSession(client)
    original_send = session.send

    def send(envelope: dict[str, Any]) -> Any:
        sent.append(envelope)
        return original_send(envelope)

    session.send = send  # type: ignore[method-assign]
    session.launch()
    session.say(i.SPEECH_RATE, {"rate": SECRET_WORDS})
    session.say(i.SYMPTOM_CHECK)
    for answer in (i.YES, i.NO, i.UNSURE, i.NO, i.YES):
        session.say(answer)
    rejected = intent_envelope(i.YES, {"rate": SECRET_WORDS})
    rejected["request"]["type"] = "CanFulfillIntentRequest"
    assert post(client, body(rejected)).status_code == 400
    broken = intent_envelope(i.NO, {"rate": SECRET_WORDS})
    broken["request"]["timestamp"] = SECRET_WORDS
    assert post(client, body(broken)).status_code == 400
    return [*sent, rejected, broken]


def _strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    return [value] if isinstance(value, str) else []


def test_logs_keep_nothing_of_what_was_said(
    client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    sent = _everything_sent(client)
    logged = caplog.text + "".join(str(record.args) for record in caplog.records)
    assert caplog.records, "the rejections are logged, so capture works"
    said = {text for envelope in sent for text in _strings(envelope) if len(text) >= 5}
    assert {SECRET_WORDS, i.YES, i.NO, i.UNSURE} <= said
    assert [text for text in sorted(said) if text in logged] == []
    assert "dialogue" not in logged and "concern" not in logged


def test_a_handler_error_is_logged_by_kind_only(
    client: FlaskClient, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ValueError(f"cannot handle {SECRET_WORDS}")

    monkeypatch.setattr("skill.alexa.handlers.handle", broken)
    caplog.set_level(logging.DEBUG)
    assert post(client, body(intent_envelope(i.YES))).status_code == 200
    assert "ValueError" in caplog.text
    assert SECRET_WORDS not in caplog.text and "YesIntent" not in caplog.text


def test_a_session_end_keeps_nothing(client: FlaskClient) -> None:
    envelope = own("session_ended")
    envelope["session"]["attributes"] = {"dialogue": {"question": 3, "concern": True}}
    assert post(client, body(envelope)).get_json()["sessionAttributes"] == {}
