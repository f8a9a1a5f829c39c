"""The skill as an HTTPS webservice: a Flask app around flask-ask-sdk's ``SkillAdapter``.

A request passes four gates, each answering 4xx, never 500, to bad input:

1. size: a body over ``max_body_bytes`` gets 413;
2. signature (on unless ``verify=False``): checked on the raw bytes before anything parses
   them, so unauthenticated input never reaches the SDK; failure gets 400;
3. the SDK reads the envelope; a body that is not UTF-8 JSON shaped like an envelope gets 400
   (SkillAdapter would answer its own parsing errors with 500, so they are raised as the SDK's
   ``VerificationException``, which it answers with 400);
4. SkillAdapter's verifiers: the timestamp (when verifying) and
   :func:`skill.alexa.envelope.check_envelope` (request type, application id); 400.

Error responses are small JSON objects with fixed text; no traceback is ever sent, and logs
name the kind of failure, never the request's content.
"""

from __future__ import annotations

import logging
from typing import Any

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model.request_envelope import RequestEnvelope
from flask import Flask, Response, abort, jsonify, request
from werkzeug.exceptions import HTTPException

from skill.alexa.envelope import RejectedRequest, check_envelope, parse_envelope
from skill.alexa.handlers import build_skill, describe_error
from skill.alexa.sdk_compat import (
    VERIFY_SIGNATURE_APP_CONFIG,
    VERIFY_TIMESTAMP_APP_CONFIG,
    AbstractVerifier,
    SkillAdapter,
    VerificationException,
)
from skill.alexa.verification import (
    CERT_URL_HEADER,
    SIGNATURE_HEADER,
    Clock,
    SdkTimestampVerifier,
    SignatureVerifier,
    VerificationFailed,
    utc_now,
)
from skill.content import Content, load_content

MAX_BODY_BYTES = 64 * 1024
ROUTE = "/"

logger = logging.getLogger(__name__)


def create_app(
    *,
    skill_id: str | None = None,
    verify: bool = True,
    signature_verifier: SignatureVerifier | None = None,
    clock: Clock = utc_now,
    content: Content | None = None,
    max_body_bytes: int = MAX_BODY_BYTES,
) -> Flask:
    """The webservice app, answering Alexa's POSTs at ``/``.

    ``skill_id``: when set, requests for any other skill are rejected. ``verify=False`` turns
    off the signature and timestamp checks (local testing only). ``signature_verifier`` and
    ``clock`` default to the real ones (certifi's roots, HTTPS fetches, the system clock).
    """
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = max_body_bytes
    # The SDK's own checks need certvalidator (see sdk_compat); ours replace them.
    app.config[VERIFY_SIGNATURE_APP_CONFIG] = False
    app.config[VERIFY_TIMESTAMP_APP_CONFIG] = False

    skill = build_skill(content or load_content("en-US"))
    skill.serializer = _EnvelopeSerializer()
    verifiers: list[AbstractVerifier] = [SdkTimestampVerifier(clock)] if verify else []
    verifiers.append(_EnvelopeVerifier(skill_id))
    # SkillAdapter's skill_id only names the adapter among the app's extensions; the skill id
    # check is _EnvelopeVerifier's.
    adapter = SkillAdapter(
        skill=skill, skill_id=skill_id or "default", verifiers=verifiers, app=app
    )
    signature = (signature_verifier or SignatureVerifier(clock=clock)) if verify else None

    @app.post(ROUTE)
    def alexa() -> Any:
        body = request.get_data(cache=True)  # 413 past MAX_CONTENT_LENGTH
        if signature is not None:
            try:
                signature.verify(
                    request.headers.get(CERT_URL_HEADER),
                    request.headers.get(SIGNATURE_HEADER),
                    body,
                )
            except VerificationFailed as failure:
                logger.warning("Request rejected: %s", failure)
                abort(400, "Incoming request failed verification")
        try:
            body.decode("utf-8")  # SkillAdapter decodes without catching the error
        except UnicodeDecodeError:
            abort(400, "The request body is not UTF-8")
        return adapter.dispatch_request()

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[Response, int]:
        return jsonify(error=error.description), error.code or 500

    @app.errorhandler(Exception)
    def internal_error(error: Exception) -> tuple[Response, int]:
        logger.error("Request failed: %s", describe_error(error))
        return jsonify(error="Internal error"), 500

    return app


class _EnvelopeSerializer(DefaultSerializer):
    """Reads request bodies for SkillAdapter: a body that is not an envelope is bad input.

    SkillAdapter parses before it runs verifiers and answers the SDK's parsing errors with 500
    (logging the body); here they become ``VerificationException``, which it answers with 400.
    """

    _plain = DefaultSerializer()

    def deserialize(self, payload: str | None, obj_type: Any) -> Any:
        if obj_type is not RequestEnvelope or payload is None:
            return super().deserialize(payload, obj_type)
        try:
            return parse_envelope(payload, self._plain)
        except RejectedRequest as rejection:
            raise VerificationException(str(rejection)) from None


class _EnvelopeVerifier(AbstractVerifier):
    """:func:`check_envelope` as a SkillAdapter verifier."""

    def __init__(self, skill_id: str | None) -> None:
        self._skill_id = skill_id

    def verify(
        self,
        headers: Any,
        serialized_request_env: str,
        deserialized_request_env: RequestEnvelope,
    ) -> None:
        try:
            check_envelope(deserialized_request_env, self._skill_id)
        except RejectedRequest as rejection:
            raise VerificationException(str(rejection)) from None
