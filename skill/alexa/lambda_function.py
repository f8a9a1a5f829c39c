"""The skill on AWS Lambda: handler ``skill.alexa.lambda_function.lambda_handler``.

Lambda hands over the request envelope already parsed; Alexa's own trigger authenticates it, so
there is no signature to check here. The same rules as the webservice decide which envelopes
are answered (:mod:`skill.alexa.envelope`); a rejected one fails the invocation. When the
environment variable ``TWITCH_GUIDE_SKILL_ID`` is set, envelopes for any other skill id are
rejected. The skill is built once per container, on the first request, and reused.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Mapping
from typing import Any, cast

from skill.alexa import SKILL_ID_ENV
from skill.alexa.envelope import RejectedRequest, check_envelope, parse_envelope
from skill.alexa.handlers import build_skill
from skill.content import Content, load_content

LambdaHandler = Callable[[Mapping[str, Any], Any], dict[str, Any]]

logger = logging.getLogger(__name__)


def make_handler(skill_id: str | None, content: Content | None = None) -> LambdaHandler:
    """A Lambda handler for the skill; ``skill_id`` set means only that skill is answered."""
    skill = build_skill(content or load_content("en-US"))
    serializer = skill.serializer

    def handler(event: Mapping[str, Any], context: Any) -> dict[str, Any]:
        try:
            envelope = parse_envelope(json.dumps(event), serializer)
            check_envelope(envelope, skill_id)
        except RejectedRequest as rejection:
            logger.warning("Request rejected: %s", rejection)
            raise
        response = skill.invoke(request_envelope=envelope, context=context)
        return cast(dict[str, Any], serializer.serialize(response))  # an envelope is an object

    return handler


_handler: LambdaHandler | None = None


def lambda_handler(event: Mapping[str, Any], context: Any) -> dict[str, Any]:
    """The function Lambda calls: the skill, built on first use with the skill id from the env."""
    global _handler
    if _handler is None:
        _handler = make_handler(os.environ.get(SKILL_ID_ENV) or None)
    return _handler(event, context)
