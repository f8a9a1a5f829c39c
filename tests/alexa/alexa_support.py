"""Helpers for the Alexa tests: envelopes from the fixture files, and what a valid answer is."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import json
import xml.etree.ElementTree as ElementTree
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model.response_envelope import ResponseEnvelope
from ask_sdk_model.ui.simple_card import SimpleCard
from ask_sdk_model.ui.ssml_output_speech import SsmlOutputSpeech
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from skill.alexa.testing import SigningChain
from skill.content import Content

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "alexa"
SHARED = FIXTURES / "shared"
OWN = FIXTURES / "own"
#: The application id in the project's own envelopes.
SKILL_ID = "amzn1.ask.skill.6d0c2a5e-1b3f-4c7d-8e9a-0b1c2d3e4f50"
#: The timestamp in the project's own envelopes; verifying clocks are set to it.
NOW = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)

_SERIALIZER = DefaultSerializer()


def _decisions() -> dict[str, tuple[int, str]]:
    """``shared-expected.tsv``: for each shared envelope, the status it must get and why."""
    with (FIXTURES / "shared-expected.tsv").open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return {row["file"]: (int(row["status"]), row["reason"]) for row in rows}


DECISIONS = _decisions()
ANSWERED = sorted(name for name, (status, _) in DECISIONS.items() if status == 200)
REJECTED = sorted(name for name, (status, _) in DECISIONS.items() if status == 400)


def own(name: str) -> dict[str, Any]:
    """A fresh copy of one of the project's own envelopes (``launch``, ``intent``, ...)."""
    data: dict[str, Any] = json.loads((OWN / f"{name}.json").read_text(encoding="utf-8"))
    return data


def intent_envelope(
    intent: str,
    slots: Mapping[str, Any] | None = None,
    attributes: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """An in-session IntentRequest for ``intent``; ``slots`` maps a slot name to its words."""
    envelope = own("intent")
    envelope["request"]["intent"]["name"] = intent
    envelope["request"]["intent"]["slots"] = {
        name: {"name": name, "value": value, "confirmationStatus": "NONE"}
        for name, value in (slots or {}).items()
    }
    envelope["session"]["attributes"] = dict(attributes or {})
    return envelope


def body(envelope: Mapping[str, Any]) -> bytes:
    return json.dumps(envelope).encode("utf-8")


def post(
    client: FlaskClient, data: bytes, headers: Mapping[str, str] | None = None
) -> TestResponse:
    return client.post("/", data=data, headers=dict(headers or {}), content_type="application/json")


def post_signed(client: FlaskClient, data: bytes, chain: SigningChain) -> TestResponse:
    return post(client, data, chain.headers(data))


def envelope_of(response: TestResponse) -> ResponseEnvelope:
    """The response as ask-sdk-model reads it; fails unless it is a 200 JSON envelope."""
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    envelope = _SERIALIZER.deserialize(response.get_data(as_text=True), ResponseEnvelope)
    assert isinstance(envelope, ResponseEnvelope)
    assert envelope.version == "1.0"
    return envelope


def check_answer(envelope: ResponseEnvelope, content: Content) -> None:
    """What every spoken answer must be: SSML, a reprompt if open, a card with the disclaimer."""
    response = envelope.response
    assert response is not None
    speech = response.output_speech
    assert isinstance(speech, SsmlOutputSpeech)
    _check_ssml(speech.ssml)
    if not response.should_end_session:
        assert response.reprompt is not None
        assert isinstance(response.reprompt.output_speech, SsmlOutputSpeech)
        _check_ssml(response.reprompt.output_speech.ssml)
    card = response.card
    assert isinstance(card, SimpleCard)
    assert card.title
    assert "<" not in card.content, "cards are plain text"
    assert content.block("disclaimer.full").text() in card.content


def speech_text(envelope: ResponseEnvelope) -> str:
    """The spoken words of a response, without markup."""
    response = envelope.response
    assert response is not None and isinstance(response.output_speech, SsmlOutputSpeech)
    return "".join(ElementTree.fromstring(response.output_speech.ssml).itertext())


def _check_ssml(ssml: str) -> None:
    root = ElementTree.fromstring(ssml)  # well-formed XML
    assert root.tag == "speak"
    assert "".join(root.itertext()).strip()


@dataclass
class AlexaSession:
    """Talks to the webservice the way Alexa does: each response's attributes go back."""

    client: FlaskClient
    attributes: dict[str, Any] = field(default_factory=dict)
    new: bool = True

    def send(self, envelope: dict[str, Any]) -> ResponseEnvelope:
        envelope = copy.deepcopy(envelope)
        envelope["session"]["new"] = self.new
        envelope["session"]["attributes"] = self.attributes
        answer = envelope_of(post(self.client, body(envelope)))
        self.new = False
        self.attributes = dict(answer.session_attributes or {})
        return answer

    def launch(self) -> ResponseEnvelope:
        return self.send(own("launch"))

    def say(self, intent: str, slots: Mapping[str, Any] | None = None) -> ResponseEnvelope:
        return self.send(intent_envelope(intent, slots))
