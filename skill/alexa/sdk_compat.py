"""Import flask-ask-sdk's ``SkillAdapter`` without its broken certificate-validation chain.

``flask_ask_sdk.skill_adapter`` imports ``ask_sdk_webservice_support.verifier``, which does
``from certvalidator import CertificateValidator`` at module level. certvalidator imports
oscrypto, and oscrypto 1.3.0 (the latest release) cannot parse OpenSSL version strings from
3.0.10 on, so the import fails with "Error detecting the version of libcrypto" before any of
our code runs (wbond/oscrypto issue 78; fixed on its master branch, never released).

This skill does not use that chain: request signatures are checked by
:mod:`skill.alexa.verification` with the ``cryptography`` package, and the SDK's own
``RequestVerifier`` is switched off. So, before flask-ask-sdk is imported, a placeholder
``certvalidator`` module is registered in ``sys.modules``. No installed file is edited, no
third-party code is copied, and oscrypto is never imported. The placeholder fails closed: if
the SDK's ``RequestVerifier`` were switched back on, its ``CertificateValidator`` raises
``PathError``, which the SDK turns into a failed verification (HTTP 400), never a pass.

Import flask-ask-sdk names from this module only.
"""

from __future__ import annotations

import sys
import types
from typing import NoReturn

PLACEHOLDER_MARK = "__twitch_guide_placeholder__"


class PathError(Exception):
    """Stands in for ``certvalidator.errors.PathError``."""


class ValidationError(Exception):
    """Stands in for ``certvalidator.errors.ValidationError``."""


class _DisabledCertificateValidator:
    """Refuses every chain, so the SDK's own signature check can never pass by accident."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        _refuse()


def _refuse() -> NoReturn:
    raise PathError(
        "certvalidator is not available in this process; request signatures are checked "
        "by skill.alexa.verification"
    )


def install_certvalidator_placeholder() -> None:
    """Register the placeholder ``certvalidator`` package; does nothing if one is there."""
    if "certvalidator" in sys.modules:
        return
    errors = types.ModuleType("certvalidator.errors")
    errors.PathError = PathError  # type: ignore[attr-defined]
    errors.ValidationError = ValidationError  # type: ignore[attr-defined]
    package = types.ModuleType("certvalidator")
    package.__path__ = []
    package.CertificateValidator = _DisabledCertificateValidator  # type: ignore[attr-defined]
    package.errors = errors  # type: ignore[attr-defined]
    setattr(package, PLACEHOLDER_MARK, True)
    sys.modules["certvalidator.errors"] = errors
    sys.modules["certvalidator"] = package


install_certvalidator_placeholder()

# The placeholder must be in place before these imports, hence their position.
from ask_sdk_webservice_support.verifier import (  # noqa: E402
    AbstractVerifier,
    VerificationException,
)
from flask_ask_sdk.skill_adapter import (  # noqa: E402
    VERIFY_SIGNATURE_APP_CONFIG,
    VERIFY_TIMESTAMP_APP_CONFIG,
    SkillAdapter,
)

__all__ = [
    "VERIFY_SIGNATURE_APP_CONFIG",
    "VERIFY_TIMESTAMP_APP_CONFIG",
    "AbstractVerifier",
    "SkillAdapter",
    "VerificationException",
    "install_certvalidator_placeholder",
]
