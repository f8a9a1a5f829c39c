"""Envelopes written by others (kept verbatim) are answered or rejected as the data file says.

``tests/fixtures/alexa/shared-expected.tsv`` holds the decision for each file and the reason.
None of them carries this skill's application id, so they are answered only while no skill id
is configured; with one, every one of them is rejected.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from alexa_support import ANSWERED, DECISIONS, REJECTED, SHARED, envelope_of, post, post_signed
from flask.testing import FlaskClient

from skill.alexa.testing import ChainFetcher, SigningChain
from skill.alexa.verification import SignatureVerifier
from skill.alexa.webservice import create_app
from skill.content import Content

ORIGINALS = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "alexa-requests"


def test_every_file_has_one_decision_with_a_reason() -> None:
    files = sorted(path.name for path in SHARED.glob("*.json"))
    assert sorted(DECISIONS) == files
    assert all(status in (200, 400) and reason for status, reason in DECISIONS.values())
    assert ANSWERED and REJECTED


@pytest.mark.skipif(not ORIGINALS.is_dir(), reason="shared/ is not beside this checkout")
def test_the_copies_are_byte_identical_to_shared() -> None:
    originals = sorted(ORIGINALS.iterdir())
    assert [path.name for path in originals] == sorted(path.name for path in SHARED.iterdir())
    for original in originals:
        assert (SHARED / original.name).read_bytes() == original.read_bytes(), original.name


@pytest.mark.parametrize("name", sorted(DECISIONS))
def test_answered_or_rejected_as_decided(name: str, client: FlaskClient, content: Content) -> None:
    status, reason = DECISIONS[name]
    response = post(client, (SHARED / name).read_bytes())
    assert response.status_code == status, reason
    if status == 200:
        answer = envelope_of(response)
        assert answer.response is not None
    else:
        assert set(response.get_json()) == {"error"}


@pytest.mark.parametrize("name", ANSWERED)
def test_answered_ones_are_rejected_once_a_skill_id_is_configured(
    name: str, content: Content
) -> None:
    app = create_app(verify=False, skill_id="amzn1.ask.skill.muscle-twitch-guide", content=content)
    assert post(app.test_client(), (SHARED / name).read_bytes()).status_code == 400


@pytest.fixture(scope="module")
def chain_of_their_time() -> SigningChain:
    """CAs valid 2015 to 2025, the years these envelopes were written in."""
    return SigningChain.create(dt.datetime(2016, 1, 1, tzinfo=dt.UTC))


@pytest.mark.parametrize("name", sorted(DECISIONS))
def test_same_decisions_with_verification_on(
    name: str, content: Content, chain_of_their_time: SigningChain
) -> None:
    """Signed by a test chain, with the clock at each envelope's own timestamp."""
    data = (SHARED / name).read_bytes()
    stamp = json.loads(data)["request"].get("timestamp", "2016-01-01T00:00:00Z")
    now = dt.datetime.fromisoformat(stamp)
    signer = chain_of_their_time.with_leaf(now - dt.timedelta(days=1), now + dt.timedelta(days=1))
    verifier = SignatureVerifier(
        roots=[signer.root], fetcher=ChainFetcher(signer.pem), clock=lambda: now
    )
    app = create_app(signature_verifier=verifier, clock=lambda: now, content=content)
    response = post_signed(app.test_client(), data, signer)
    assert response.status_code == DECISIONS[name][0]
