"""Which request envelopes the skill answers, and why it turns the others away.

Shared by the webservice (a rejection is HTTP 400) and the Lambda handler (a rejection fails
the invocation). The skill answers what Alexa really sends a custom skill that declares no
extra interfaces, and tolerates what it does not read (old envelopes without ``context`` or
``locale``, a null user id). It rejects what it cannot answer correctly: a body the SDK
cannot read as an envelope, a request type it does not serve (``CanFulfillIntentRequest``
included, since the manifest does not declare it), an envelope naming no application, a
launch or intent request without a session to carry the dialogue, and, when a skill id is
configured, an envelope for any other skill.

Rejection messages are fixed text: they never repeat anything from the request, so they are
safe to log and to send back.
"""

from __future__ import annotations

from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model.intent_request import IntentRequest
from ask_sdk_model.request_envelope import RequestEnvelope

LAUNCH = "LaunchRequest"
INTENT = "IntentRequest"
SESSION_ENDED = "SessionEndedRequest"
EXCEPTION_ENCOUNTERED = "System.ExceptionEncountered"
SUPPORTED_REQUEST_TYPES = frozenset({LAUNCH, INTENT, SESSION_ENDED, EXCEPTION_ENCOUNTERED})
_NEEDS_SESSION = frozenset({LAUNCH, INTENT})


class RejectedRequest(ValueError):
    """An envelope the skill does not answer; the message never quotes the request."""


def parse_envelope(payload: str, serializer: DefaultSerializer) -> RequestEnvelope:
    """The envelope in a JSON ``payload``; :class:`RejectedRequest` if it is not one."""
    try:
        envelope = serializer.deserialize(payload, RequestEnvelope)
    except SerializationException:
        # The SDK's message quotes the payload, so it is dropped, not chained.
        raise RejectedRequest("not a valid Alexa request envelope") from None
    if not isinstance(envelope, RequestEnvelope):
        raise RejectedRequest("not a valid Alexa request envelope")
    return envelope


def application_ids(envelope: RequestEnvelope) -> list[str]:
    """The application ids the envelope names, in ``context`` and in ``session``."""
    ids: list[str] = []
    system = envelope.context.system if envelope.context is not None else None
    for application in (
        system.application if system is not None else None,
        envelope.session.application if envelope.session is not None else None,
    ):
        if application is not None and isinstance(application.application_id, str):
            ids.append(application.application_id)
    return ids


def check_envelope(envelope: RequestEnvelope, skill_id: str | None) -> None:
    """Raise :class:`RejectedRequest` unless the skill should answer ``envelope``.

    With ``skill_id`` set, every application id in the envelope must equal it.
    """
    request = envelope.request
    if request is None or request.object_type not in SUPPORTED_REQUEST_TYPES:
        raise RejectedRequest("not a request type this skill serves")
    if not isinstance(request.request_id, str) or not request.request_id:
        raise RejectedRequest("the request has no request id")
    ids = application_ids(envelope)
    if not any(ids):
        raise RejectedRequest("the envelope names no application")
    if skill_id is not None and any(app_id != skill_id for app_id in ids):
        raise RejectedRequest("the request is for another skill")
    if request.object_type in _NEEDS_SESSION and envelope.session is None:
        raise RejectedRequest("a launch or intent request without a session")
    if isinstance(request, IntentRequest) and (
        request.intent is None or not isinstance(request.intent.name, str)
    ):
        raise RejectedRequest("an intent request without an intent name")
