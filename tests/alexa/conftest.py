"""Fixtures for the Alexa tests: the webservice in-process and a made-up signing chain."""

from __future__ import annotations

import pytest
from alexa_support import NOW
from flask import Flask
from flask.testing import FlaskClient

from skill.alexa.testing import ChainFetcher, SigningChain
from skill.alexa.verification import SignatureVerifier
from skill.alexa.webservice import create_app
from skill.content import Content


@pytest.fixture(scope="session")
def chain() -> SigningChain:
    return SigningChain.create(NOW)


@pytest.fixture(scope="session")
def unverified_app(content: Content) -> Flask:
    """Verification off, no skill id: the way ``serve --no-verify`` runs."""
    return create_app(verify=False, content=content)


@pytest.fixture
def client(unverified_app: Flask) -> FlaskClient:
    return unverified_app.test_client()


@pytest.fixture
def fetcher(chain: SigningChain) -> ChainFetcher:
    return ChainFetcher(chain.pem)


@pytest.fixture
def verified_client(content: Content, chain: SigningChain, fetcher: ChainFetcher) -> FlaskClient:
    """Verification on, trusting only the test chain's root, the clock at ``NOW``."""
    verifier = SignatureVerifier(roots=[chain.root], fetcher=fetcher, clock=lambda: NOW)
    app = create_app(signature_verifier=verifier, clock=lambda: NOW, content=content)
    return app.test_client()
