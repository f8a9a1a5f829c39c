"""The Lambda handler answers the same envelopes as the webservice and enforces the skill id."""

from __future__ import annotations

import json
from typing import Any

import pytest
from alexa_support import ANSWERED, REJECTED, SHARED, SKILL_ID, check_answer, own
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model.response_envelope import ResponseEnvelope

from skill import intents as i
from skill.alexa import SKILL_ID_ENV, lambda_function
from skill.alexa.envelope import RejectedRequest
from skill.alexa.lambda_function import LambdaHandler, make_handler
from skill.content import Content


@pytest.fixture(scope="module")
def open_handler(content: Content) -> LambdaHandler:
    return make_handler(None, content)


def _event(name: str) -> dict[str, Any]:
    event: dict[str, Any] = json.loads((SHARED / name).read_text(encoding="utf-8"))
    return event


def _read(output: dict[str, Any]) -> ResponseEnvelope:
    envelope = DefaultSerializer().deserialize(json.dumps(output), ResponseEnvelope)
    assert isinstance(envelope, ResponseEnvelope) and envelope.response is not None
    return envelope


@pytest.mark.parametrize("name", ANSWERED)
def test_answers_what_the_webservice_answers(name: str, open_handler: LambdaHandler) -> None:
    _read(open_handler(_event(name), None))


@pytest.mark.parametrize("name", REJECTED)
def test_rejects_what_the_webservice_rejects(name: str, open_handler: LambdaHandler) -> None:
    with pytest.raises(RejectedRequest):
        open_handler(_event(name), None)


def test_with_a_skill_id_only_that_skill_is_answered(content: Content) -> None:
    handler = make_handler(SKILL_ID, content)
    check_answer(_read(handler(own("launch"), None)), content)
    for name in ANSWERED:
        with pytest.raises(RejectedRequest, match="another skill"):
            handler(_event(name), None)


def test_every_intent_is_answered(open_handler: LambdaHandler, content: Content) -> None:
    for intent in sorted(i.ALL_INTENTS):
        event = own("intent")
        event["request"]["intent"]["name"] = intent
        check_answer(_read(open_handler(event, None)), content)


def test_the_entry_point_reads_the_skill_id_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, content: Content
) -> None:
    monkeypatch.setattr(lambda_function, "_handler", None)
    monkeypatch.setenv(SKILL_ID_ENV, "amzn1.ask.skill.someone-else")
    with pytest.raises(RejectedRequest):
        lambda_function.lambda_handler(own("launch"), None)
    monkeypatch.setattr(lambda_function, "_handler", None)
    monkeypatch.setenv(SKILL_ID_ENV, SKILL_ID)
    check_answer(_read(lambda_function.lambda_handler(own("launch"), None)), content)


def test_lambda_never_imports_flask() -> None:
    import subprocess
    import sys

    code = (
        "import sys, skill.alexa.lambda_function as f; "
        "assert 'flask' not in sys.modules and 'flask_ask_sdk' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
