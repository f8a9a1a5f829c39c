"""Bad input gets a 4xx with a small JSON error, never a 500 and never a traceback."""

from __future__ import annotations

import json
from typing import Any

import pytest
from alexa_support import SKILL_ID, body, envelope_of, intent_envelope, own, post
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given, settings
from hypothesis import strategies as st

from skill import intents as i
from skill.alexa.webservice import MAX_BODY_BYTES, create_app
from skill.content import Content

_NESTED = b"[" * 5000 + b"]" * 5000
_BAD_TIMESTAMP = own("launch")
_BAD_TIMESTAMP["request"]["timestamp"] = "soon"
BAD_BODIES = {
    "empty": b"",
    "not JSON": b"{not json",
    "not UTF-8": b'{"version": "1.0", "request": "\xff\xfe"}',
    "JSON null": b"null",
    "JSON array": b"[]",
    "JSON number": b"42",
    "JSON string": b'"LaunchRequest"',
    "no request": b'{"version": "1.0"}',
    "request is a string": b'{"version": "1.0", "request": "LaunchRequest"}',
    "bad timestamp": body(_BAD_TIMESTAMP),
    "deeply nested": b'{"version": "1.0", "session": {"attributes": ' + _NESTED + b"}}",
}


@pytest.mark.parametrize("data", list(BAD_BODIES.values()), ids=list(BAD_BODIES))
def test_a_body_that_is_not_an_envelope_gets_400(data: bytes, client: FlaskClient) -> None:
    response = post(client, data)
    assert response.status_code == 400
    assert set(response.get_json()) == {"error"}


def test_a_body_over_the_limit_gets_413(client: FlaskClient) -> None:
    envelope = own("launch")
    envelope["session"]["attributes"] = {"padding": "x" * MAX_BODY_BYTES}
    response = post(client, body(envelope))
    assert response.status_code == 413
    assert set(response.get_json()) == {"error"}


def test_a_body_just_under_the_limit_is_answered(client: FlaskClient, content: Content) -> None:
    envelope = own("launch")
    envelope["session"]["attributes"] = {"padding": ""}
    padding = MAX_BODY_BYTES - len(body(envelope)) - 1
    envelope["session"]["attributes"]["padding"] = "x" * padding
    envelope_of(post(client, body(envelope)))


def test_get_is_not_allowed(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 405
    assert set(response.get_json()) == {"error"}


def test_a_request_for_another_skill_gets_400(content: Content) -> None:
    app = create_app(verify=False, skill_id=SKILL_ID, content=content)
    mine = app.test_client()
    envelope_of(post(mine, body(own("launch"))))
    for place in (("context", "System"), ("session",)):
        envelope = own("launch")
        target = envelope
        for key in place:
            target = target[key]
        target["application"]["applicationId"] = "amzn1.ask.skill.someone-else"
        assert post(mine, body(envelope)).status_code == 400, place


def test_an_unexpected_server_error_is_a_json_500_without_a_traceback(
    content: Content, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = create_app(verify=False, content=content)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr("skill.alexa.webservice.check_envelope", broken)
    response = post(app.test_client(), body(own("launch")))
    assert response.status_code == 500
    assert response.get_json() == {"error": "Internal error"}


# --- never a 500, whatever the body -------------------------------------------------------

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)
_TEMPLATES = [
    own("launch"),
    intent_envelope(i.YES),
    own("session_ended"),
    own("speech_rate_resolved"),
]


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


@st.composite
def _mutated_envelopes(draw: st.DrawFn) -> bytes:
    envelope = json.loads(json.dumps(draw(st.sampled_from(_TEMPLATES))))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(envelope)[1:]))
        parent = envelope
        for key in path[:-1]:
            parent = parent[key]
        parent[path[-1]] = draw(_json | st.sampled_from(["LaunchRequest", "IntentRequest", "x"]))
    return body(envelope)


@settings(max_examples=300, deadline=None)
@given(data=_mutated_envelopes())
def test_mutated_envelopes_are_answered_or_rejected_never_500(
    data: bytes, unverified_app: Flask
) -> None:
    response = post(unverified_app.test_client(), data)
    assert response.status_code in (200, 400), response.get_data(as_text=True)
    if response.status_code == 200:
        envelope_of(response)


@settings(max_examples=100, deadline=None)
@given(data=st.binary(max_size=200) | _json.map(lambda v: json.dumps(v).encode()))
def test_arbitrary_bodies_get_400(data: bytes, unverified_app: Flask) -> None:
    assert post(unverified_app.test_client(), data).status_code == 400
