"""The skill on ask-sdk-core: thin handlers from a request envelope to the engine and back.

Every handler reads the dialogue state from the session attributes, makes one engine call and
turns the engine's :class:`~skill.reply.Reply` into a response: SSML speech (with the
session's speech rate), a reprompt whenever the session stays open, and a Simple card whose
plain text carries the disclaimer. What to say is always the engine's decision; an unknown
intent goes to the engine too, which answers it as fallback.

Nothing here logs what a person said: no intent names, slot values or attributes, because
during the warning-sign check even an intent name ("yes") is an answer about a symptom.
"""

from __future__ import annotations

import logging
import traceback
from typing import Any

from ask_sdk_core.dispatch_components.exception_components import AbstractExceptionHandler
from ask_sdk_core.dispatch_components.request_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.response_helper import ResponseFactory
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_model.intent import Intent
from ask_sdk_model.intent_request import IntentRequest
from ask_sdk_model.response import Response
from ask_sdk_model.slot import Slot
from ask_sdk_model.slu.entityresolution.status_code import StatusCode
from ask_sdk_model.ui.simple_card import SimpleCard

from skill.alexa.envelope import EXCEPTION_ENCOUNTERED, INTENT, LAUNCH, SESSION_ENDED
from skill.content import Content
from skill.engine import Step, handle, launch
from skill.render import to_ssml
from skill.reply import Paragraph
from skill.state import DialogueState

#: The session attribute that carries the dialogue state between turns.
STATE_KEY = "dialogue"

logger = logging.getLogger(__name__)


def build_skill(content: Content) -> CustomSkill:
    """The custom skill: one handler per request type and an apology for any failure."""
    builder = SkillBuilder()
    builder.add_request_handler(_LaunchHandler(content))
    builder.add_request_handler(_IntentHandler(content))
    builder.add_request_handler(_SessionEndedHandler())
    builder.add_request_handler(_ExceptionEncounteredHandler())
    builder.add_exception_handler(_ApologyHandler(content))
    return builder.create()


def slot_values(intent: Intent) -> dict[str, str]:
    """Each filled slot: its resolved value id when entity resolution matched, else the words."""
    values: dict[str, str] = {}
    for name, slot in (intent.slots or {}).items():
        if not isinstance(name, str) or not isinstance(slot, Slot):
            continue
        value = _resolved_id(slot) or slot.value
        if isinstance(value, str) and value.strip():
            values[name] = value.strip().lower()
    return values


def _resolved_id(slot: Slot) -> str | None:
    authorities = slot.resolutions.resolutions_per_authority if slot.resolutions else None
    for authority in authorities or []:
        matched = authority.status is not None and authority.status.code == (
            StatusCode.ER_SUCCESS_MATCH
        )
        if matched and authority.values and authority.values[0].value is not None:
            value_id = authority.values[0].value.id
            if isinstance(value_id, str) and value_id:
                return value_id
    return None


# --- request handlers ---------------------------------------------------------------------


def _is(handler_input: HandlerInput, request_type: str) -> bool:
    request = handler_input.request_envelope.request
    return request is not None and request.object_type == request_type


class _LaunchHandler(AbstractRequestHandler):
    def __init__(self, content: Content) -> None:
        self._content = content

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return _is(handler_input, LAUNCH)

    def handle(self, handler_input: HandlerInput) -> Response:
        state = _session_state(handler_input, self._content)
        return _respond(handler_input, launch(self._content, state))


class _IntentHandler(AbstractRequestHandler):
    def __init__(self, content: Content) -> None:
        self._content = content

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return _is(handler_input, INTENT)

    def handle(self, handler_input: HandlerInput) -> Response:
        request = handler_input.request_envelope.request
        intent = request.intent if isinstance(request, IntentRequest) else None
        intent = intent or Intent()  # no intent at all is answered as an unknown one
        state = _session_state(handler_input, self._content)
        step = handle(self._content, state, intent.name or "", slot_values(intent))
        return _respond(handler_input, step)


class _SessionEndedHandler(AbstractRequestHandler):
    """The session is over: nothing is said and nothing of it is kept."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return _is(handler_input, SESSION_ENDED)

    def handle(self, handler_input: HandlerInput) -> Response:
        _keep(handler_input, {})
        return handler_input.response_builder.response


class _ExceptionEncounteredHandler(AbstractRequestHandler):
    """Alexa reports that our last response failed; it accepts no speech in reply."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return _is(handler_input, EXCEPTION_ENCOUNTERED)

    def handle(self, handler_input: HandlerInput) -> Response:
        error = getattr(handler_input.request_envelope.request, "error", None)
        logger.warning("Alexa reported a failed response: %s", getattr(error, "object_type", None))
        return handler_input.response_builder.response


class _ApologyHandler(AbstractExceptionHandler):
    """Any failure while handling a request: a spoken apology; the dialogue stays as it was."""

    def __init__(self, content: Content) -> None:
        self._content = content
        # Rendered once, so the apology cannot fail the way the failed handler did.
        sorry = Paragraph(content.block("not_heard").text())
        prompt = Paragraph(content.block("reprompt.general").text())
        self._speech = to_ssml([sorry, prompt])
        self._reprompt = to_ssml([prompt])

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        logger.error("Alexa handler failed: %s", describe_error(exception))
        try:
            state = _session_state(handler_input, self._content)
            _keep(handler_input, {STATE_KEY: state.to_dict()})
        except Exception:  # the state itself may be what failed; then nothing is kept
            _keep(handler_input, {})
        response: Response = ResponseFactory().speak(self._speech).ask(self._reprompt).response
        return response


# --- helpers ------------------------------------------------------------------------------


def describe_error(error: BaseException) -> str:
    """The error's type and where it was raised, without its message (which may quote input)."""
    frames = traceback.extract_tb(error.__traceback__)
    where = f" at {frames[-1].filename}:{frames[-1].lineno}" if frames else ""
    return f"{type(error).__name__}{where}"


def _session_state(handler_input: HandlerInput, content: Content) -> DialogueState:
    session = handler_input.request_envelope.session
    attributes = session.attributes if session is not None else None
    data = attributes.get(STATE_KEY) if isinstance(attributes, dict) else None
    return DialogueState.from_dict(data, content)


def _keep(handler_input: HandlerInput, attributes: dict[str, Any]) -> None:
    """Set the session attributes of the response (only an in-session request has them)."""
    if handler_input.request_envelope.session is not None:
        handler_input.attributes_manager.session_attributes = attributes


def _respond(handler_input: HandlerInput, step: Step) -> Response:
    reply = step.reply
    builder = handler_input.response_builder
    builder.speak(to_ssml(reply.speech, reply.rate))
    if not reply.end_session:
        builder.ask(to_ssml(reply.reprompt, reply.rate))
    builder.set_card(SimpleCard(title=reply.card_title, content=reply.card_text))
    builder.set_should_end_session(reply.end_session)
    _keep(handler_input, {} if reply.end_session else {STATE_KEY: step.state.to_dict()})
    return builder.response
