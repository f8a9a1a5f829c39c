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
import os
import traceback
from dataclasses import dataclass

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

from skill.alexa import STATE_KEY_ENV
from skill.alexa.envelope import EXCEPTION_ENCOUNTERED, INTENT, LAUNCH, SESSION_ENDED
from skill.content import Content
from skill.engine import Step, handle, launch
from skill.render import to_ssml
from skill.reply import Paragraph
from skill.seal import new_key, seal, unseal
from skill.state import DialogueState

logger = logging.getLogger(__name__)


def build_skill(content: Content, state_key: bytes | None = None) -> CustomSkill:
    """The custom skill: one handler per request type and an apology for any failure.

    ``state_key`` seals the dialogue state in the session attributes; by default it comes
    from ``TWITCH_GUIDE_STATE_KEY`` (hex), or is made afresh for this process.
    """
    store = _StateStore(content, state_key or state_key_from_env())
    builder = SkillBuilder()
    builder.add_request_handler(_LaunchHandler(store))
    builder.add_request_handler(_IntentHandler(store))
    builder.add_request_handler(_SessionEndedHandler(store))
    builder.add_request_handler(_ExceptionEncounteredHandler())
    builder.add_exception_handler(_ApologyHandler(store))
    return builder.create()


def state_key_from_env() -> bytes:
    """The sealing key from the environment, or a new random one when none is set."""
    configured = os.environ.get(STATE_KEY_ENV, "").strip()
    if not configured:
        return new_key()
    try:
        return bytes.fromhex(configured)
    except ValueError as error:
        raise ValueError(f"{STATE_KEY_ENV} must be hex, for example 64 hex digits") from error


@dataclass(frozen=True)
class _StateStore:
    """Reads and writes the dialogue state in the session attributes, sealed."""

    content: Content
    key: bytes

    def load(self, handler_input: HandlerInput) -> DialogueState:
        """The sealed state of the request; an edited, forged or missing one starts afresh."""
        session = handler_input.request_envelope.session
        attributes = session.attributes if session is not None else None
        return DialogueState.from_dict(unseal(attributes, self.key), self.content)

    def keep(self, handler_input: HandlerInput, state: DialogueState | None) -> None:
        """Set the response's session attributes (only an in-session request has them)."""
        if handler_input.request_envelope.session is not None:
            attributes = {} if state is None else seal(state.to_dict(), self.key)
            handler_input.attributes_manager.session_attributes = attributes


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
    def __init__(self, store: _StateStore) -> None:
        self._store = store

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return _is(handler_input, LAUNCH)

    def handle(self, handler_input: HandlerInput) -> Response:
        step = launch(self._store.content, self._store.load(handler_input))
        return _respond(handler_input, step, self._store)


class _IntentHandler(AbstractRequestHandler):
    def __init__(self, store: _StateStore) -> None:
        self._store = store

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return _is(handler_input, INTENT)

    def handle(self, handler_input: HandlerInput) -> Response:
        request = handler_input.request_envelope.request
        intent = request.intent if isinstance(request, IntentRequest) else None
        intent = intent or Intent()  # no intent at all is answered as an unknown one
        state = self._store.load(handler_input)
        step = handle(self._store.content, state, intent.name or "", slot_values(intent))
        return _respond(handler_input, step, self._store)


class _SessionEndedHandler(AbstractRequestHandler):
    """The session is over: nothing is said and nothing of it is kept."""

    def __init__(self, store: _StateStore) -> None:
        self._store = store

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return _is(handler_input, SESSION_ENDED)

    def handle(self, handler_input: HandlerInput) -> Response:
        self._store.keep(handler_input, None)
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

    def __init__(self, store: _StateStore) -> None:
        self._store = store
        content = store.content
        # Rendered once, so the apology cannot fail the way the failed handler did.
        sorry = Paragraph(content.block("apology").text())
        prompt = Paragraph(content.block("reprompt.general").text())
        self._speech = to_ssml([sorry, prompt])
        self._reprompt = to_ssml([prompt])

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        logger.error("Alexa handler failed: %s", describe_error(exception))
        try:
            self._store.keep(handler_input, self._store.load(handler_input))
        except Exception:  # the state itself may be what failed; then nothing is kept
            self._store.keep(handler_input, None)
        response: Response = ResponseFactory().speak(self._speech).ask(self._reprompt).response
        return response


# --- helpers ------------------------------------------------------------------------------


def describe_error(error: BaseException) -> str:
    """The error's type and where it was raised, without its message (which may quote input)."""
    frames = traceback.extract_tb(error.__traceback__)
    where = f" at {frames[-1].filename}:{frames[-1].lineno}" if frames else ""
    return f"{type(error).__name__}{where}"


def _respond(handler_input: HandlerInput, step: Step, store: _StateStore) -> Response:
    reply = step.reply
    builder = handler_input.response_builder
    builder.speak(to_ssml(reply.speech, reply.rate))
    if not reply.end_session:
        builder.ask(to_ssml(reply.reprompt, reply.rate))
    builder.set_card(SimpleCard(title=reply.card_title, content=reply.card_text))
    builder.set_should_end_session(reply.end_session)
    store.keep(handler_input, None if reply.end_session else step.state)
    return builder.response
