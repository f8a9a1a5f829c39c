"""flask-ask-sdk imports without certvalidator/oscrypto, and the placeholder fails closed."""

from __future__ import annotations

import subprocess
import sys

import pytest
from alexa_support import body, own

from skill.alexa import sdk_compat
from skill.alexa.testing import CERT_URL, SigningChain


def test_the_webservice_imports_without_oscrypto() -> None:
    code = (
        "import sys, skill.alexa.webservice; "
        "assert 'flask_ask_sdk.skill_adapter' in sys.modules; "
        "assert 'oscrypto' not in sys.modules, 'oscrypto was imported'; "
        f"assert getattr(sys.modules['certvalidator'], {sdk_compat.PLACEHOLDER_MARK!r})"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_sdks_own_signature_check_can_never_pass(chain: SigningChain) -> None:
    """Were the SDK's RequestVerifier switched back on, a validly signed request still fails."""
    from ask_sdk_webservice_support.verifier import RequestVerifier

    verifier = RequestVerifier()
    verifier._cert_cache[CERT_URL] = chain.pem  # served from its cache: no network
    data = body(own("launch"))
    with pytest.raises(sdk_compat.VerificationException, match="Certificate chain is not valid"):
        verifier.verify(chain.headers(data), data.decode(), None)
