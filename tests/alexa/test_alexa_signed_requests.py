"""Request signatures and timestamps, checked against a certificate chain the tests make.

The verifier trusts only the test chain's root; the chain is served from memory, and clocks
are fixed, so nothing here touches the network. Every failure is an HTTP 400.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import http.server
import socket
import threading
import time
from collections.abc import Iterator

import pytest
from alexa_support import NOW, body, envelope_of, own, post, post_signed
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from flask.testing import FlaskClient
from hypothesis import given, settings
from hypothesis import strategies as st

from skill.alexa.testing import CERT_URL, ChainFetcher, SigningChain
from skill.alexa.verification import (
    CERT_URL_HEADER,
    SHA256_DIGEST_INFO,
    SIGNATURE_HEADER,
    CertificateFetcher,
    CertificateFetchError,
    SignatureVerifier,
    UrlFetcher,
    VerificationFailed,
    certificate_url,
    signed_by,
)
from skill.alexa.webservice import create_app
from skill.content import Content

LAUNCH = body(own("launch"))


def _app_client(
    content: Content, chain: SigningChain, fetcher: CertificateFetcher, now: dt.datetime = NOW
) -> FlaskClient:
    """Verification on, trusting ``chain``'s root, the certificate from ``fetcher``."""
    verifier = SignatureVerifier(roots=[chain.root], fetcher=fetcher, clock=lambda: now)
    return create_app(signature_verifier=verifier, clock=lambda: now, content=content).test_client()


def test_a_good_signature_is_answered(
    verified_client: FlaskClient, chain: SigningChain, content: Content
) -> None:
    envelope_of(post_signed(verified_client, LAUNCH, chain))


def test_verification_is_on_by_default(content: Content) -> None:
    response = post(create_app(content=content).test_client(), LAUNCH)
    assert response.status_code == 400


def test_a_tampered_body_is_rejected(verified_client: FlaskClient, chain: SigningChain) -> None:
    headers = chain.headers(LAUNCH)
    tampered = LAUNCH.replace(b"LaunchRequest", b"XaunchRequest")
    assert post(verified_client, tampered, headers).status_code == 400
    one_space = LAUNCH + b" "
    assert post(verified_client, one_space, headers).status_code == 400


BAD_URLS = [
    "http://s3.amazonaws.com/echo.api/echo-api-cert.pem",
    "https://notamazon.com/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem",
    "https://s3.amazonaws.com/invalid.path/echo-api-cert.pem",
    "https://s3.amazonaws.com:563/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com/echo.api/../evil/echo-api-cert.pem",
    "https://s3.amazonaws.com/echo.api/%2e%2e/evil/echo-api-cert.pem",
    "https://s3.amazonaws.com.evil.com/echo.api/echo-api-cert.pem",
    "https://user@s3.amazonaws.com/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com:https/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com/echo.api",
    "s3.amazonaws.com/echo.api/echo-api-cert.pem",
]
GOOD_URLS = [
    "https://s3.amazonaws.com/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com:443/echo.api/echo-api-cert.pem",
    "HTTPS://S3.AMAZONAWS.COM/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert.pem",
]


@pytest.mark.parametrize("url", BAD_URLS)
def test_a_certificate_url_against_amazons_rules_is_rejected_before_any_fetch(
    url: str, content: Content, chain: SigningChain
) -> None:
    fetcher = ChainFetcher(chain.pem)
    client = _app_client(content, chain, fetcher)
    assert post(client, LAUNCH, chain.headers(LAUNCH, url)).status_code == 400
    assert fetcher.calls == []


@pytest.mark.parametrize("url", GOOD_URLS)
def test_certificate_urls_amazon_allows_are_fetched_normalised(
    url: str, content: Content, chain: SigningChain
) -> None:
    fetcher = ChainFetcher(chain.pem)
    client = _app_client(content, chain, fetcher)
    envelope_of(post(client, LAUNCH, chain.headers(LAUNCH, url)))
    assert fetcher.calls == [CERT_URL]


def test_a_certificate_for_another_name_is_rejected(content: Content, chain: SigningChain) -> None:
    other = chain.with_leaf(
        NOW - dt.timedelta(days=1), NOW + dt.timedelta(days=1), "echo-api.example.com"
    )
    client = _app_client(content, other, ChainFetcher(other.pem))
    assert post_signed(client, LAUNCH, other).status_code == 400


@pytest.mark.parametrize(
    ("not_before", "not_after"),
    [
        (NOW - dt.timedelta(days=30), NOW - dt.timedelta(seconds=1)),
        (NOW + dt.timedelta(seconds=1), NOW + dt.timedelta(days=30)),
    ],
    ids=["expired", "not yet valid"],
)
def test_a_certificate_outside_its_dates_is_rejected(
    not_before: dt.datetime, not_after: dt.datetime, content: Content, chain: SigningChain
) -> None:
    dated = chain.with_leaf(not_before, not_after)
    client = _app_client(content, dated, ChainFetcher(dated.pem))
    assert post_signed(client, LAUNCH, dated).status_code == 400


def test_a_chain_to_an_untrusted_root_is_rejected(content: Content, chain: SigningChain) -> None:
    stranger = SigningChain.create(NOW)
    client = _app_client(content, chain, ChainFetcher(stranger.pem))
    assert post_signed(client, LAUNCH, stranger).status_code == 400


def test_a_signing_certificate_without_its_intermediate_is_rejected(
    content: Content, chain: SigningChain
) -> None:
    leaf_only = chain.leaf.public_bytes(serialization.Encoding.PEM)
    client = _app_client(content, chain, ChainFetcher(leaf_only))
    assert post_signed(client, LAUNCH, chain).status_code == 400


@pytest.mark.parametrize(
    "offset", [-151, 151, 3600], ids=["151 s early", "151 s late", "an hour late"]
)
def test_a_stale_timestamp_is_rejected(offset: int, content: Content, chain: SigningChain) -> None:
    client = _app_client(
        content, chain, ChainFetcher(chain.pem), NOW + dt.timedelta(seconds=offset)
    )
    assert post_signed(client, LAUNCH, chain).status_code == 400


@pytest.mark.parametrize("offset", [-150, 150])
def test_a_timestamp_at_the_edge_of_the_tolerance_is_answered(
    offset: int, content: Content, chain: SigningChain
) -> None:
    client = _app_client(
        content, chain, ChainFetcher(chain.pem), NOW + dt.timedelta(seconds=offset)
    )
    envelope_of(post_signed(client, LAUNCH, chain))


def test_a_missing_timestamp_is_rejected(verified_client: FlaskClient, chain: SigningChain) -> None:
    envelope = own("launch")
    del envelope["request"]["timestamp"]
    assert post_signed(verified_client, body(envelope), chain).status_code == 400


@pytest.mark.parametrize("missing", [CERT_URL_HEADER, SIGNATURE_HEADER])
def test_a_missing_header_is_rejected(
    missing: str, verified_client: FlaskClient, chain: SigningChain
) -> None:
    headers = chain.headers(LAUNCH)
    del headers[missing]
    assert post(verified_client, LAUNCH, headers).status_code == 400


def test_only_the_legacy_sha1_header_is_not_enough(
    verified_client: FlaskClient, chain: SigningChain
) -> None:
    headers = {CERT_URL_HEADER: CERT_URL, "Signature": chain.sign(LAUNCH)}
    assert post(verified_client, LAUNCH, headers).status_code == 400


def test_a_signature_that_is_not_base64_is_rejected(
    verified_client: FlaskClient, chain: SigningChain
) -> None:
    headers = {CERT_URL_HEADER: CERT_URL, SIGNATURE_HEADER: "not base64!"}
    assert post(verified_client, LAUNCH, headers).status_code == 400


def _raw_signature(chain: SigningChain, payload: bytes) -> bytes:
    """The leaf key's PKCS #1 v1.5 signature block around any ``payload`` (textbook RSA)."""
    numbers = chain.leaf_key.private_numbers()
    size = chain.leaf_key.key_size // 8
    block = b"\x00\x01" + b"\xff" * (size - 3 - len(payload)) + b"\x00" + payload
    signed = pow(int.from_bytes(block, "big"), numbers.d, numbers.public_numbers.n)
    return signed.to_bytes(size, "big")


def _other_signatures(chain: SigningChain, data: bytes) -> dict[str, bytes]:
    """Signatures of ``data`` that are not the leaf's RSASSA-PKCS1-v1_5 with SHA-256."""
    digest = hashlib.sha256(data).digest()
    sha512_info = bytes.fromhex("3051300d060960864801650304020305000440")
    good = chain.leaf_key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    pss = padding.PSS(padding.MGF1(hashes.SHA256()), padding.PSS.MAX_LENGTH)
    return {
        "sha1": chain.leaf_key.sign(data, padding.PKCS1v15(), hashes.SHA1()),
        "sha512": chain.leaf_key.sign(data, padding.PKCS1v15(), hashes.SHA512()),
        "pss": chain.leaf_key.sign(data, pss, hashes.SHA256()),
        "bare digest, no DigestInfo": _raw_signature(chain, digest),
        "digest after junk": _raw_signature(chain, b"junk" + SHA256_DIGEST_INFO + digest),
        "SHA-512 DigestInfo, SHA-256 digest": _raw_signature(chain, sha512_info + digest),
        "another key": chain.intermediate_key.sign(data, padding.PKCS1v15(), hashes.SHA256()),
        "one byte short": good[:-1],
        "one byte long": good + b"\0",
        "all zeros": bytes(len(good)),
        "empty": b"",
    }


def test_the_raw_signature_helper_makes_real_signatures(chain: SigningChain) -> None:
    """The textbook signatures below are real ones when their payload is right."""
    good = _raw_signature(chain, SHA256_DIGEST_INFO + hashlib.sha256(LAUNCH).digest())
    assert good == chain.leaf_key.sign(LAUNCH, padding.PKCS1v15(), hashes.SHA256())


OTHER_SIGNATURES = list(_other_signatures(SigningChain.create(NOW), b""))


@pytest.mark.parametrize("kind", OTHER_SIGNATURES)
def test_a_signature_of_another_scheme_key_or_length_is_rejected(
    kind: str, verified_client: FlaskClient, chain: SigningChain
) -> None:
    signature = _other_signatures(chain, LAUNCH)[kind]
    headers = {CERT_URL_HEADER: CERT_URL, SIGNATURE_HEADER: base64.b64encode(signature).decode()}
    assert post(verified_client, LAUNCH, headers).status_code == 400


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=4096), flip=st.integers(min_value=0))
def test_the_check_agrees_with_cryptographys_own_verify(
    data: bytes, flip: int, chain: SigningChain
) -> None:
    """signed_by recovers the signed digest itself (it keeps the GIL); it must accept exactly
    what cryptography's verify accepts, for good signatures and for signatures one bit off."""
    key = chain.leaf.public_key()
    good = chain.leaf_key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    bad = bytearray(good)
    bad[flip % len(bad)] ^= 1 << (flip % 8)
    for signature in (good, bytes(bad)):
        try:
            key.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
            expected = True
        except InvalidSignature:
            expected = False
        assert signed_by(key, signature, data) is expected
    assert signed_by(key, good, data)


def test_a_garbage_chain_is_rejected(content: Content, chain: SigningChain) -> None:
    for pem in (
        b"",
        b"not a certificate",
        b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
    ):
        client = _app_client(content, chain, ChainFetcher(pem))
        assert post_signed(client, LAUNCH, chain).status_code == 400


# --- fetching and caching -----------------------------------------------------------------


def test_the_certificate_is_fetched_once_then_cached(
    verified_client: FlaskClient, chain: SigningChain, fetcher: ChainFetcher
) -> None:
    for _ in range(3):
        envelope_of(post_signed(verified_client, LAUNCH, chain))
    assert fetcher.calls == [CERT_URL]


def test_the_cache_is_used_only_until_the_certificate_expires(chain: SigningChain) -> None:
    clock = [NOW]
    short = chain.with_leaf(NOW - dt.timedelta(days=1), NOW + dt.timedelta(hours=1))
    fetcher = ChainFetcher(short.pem)
    verifier = SignatureVerifier(roots=[chain.root], fetcher=fetcher, clock=lambda: clock[0])
    verifier.verify(CERT_URL, short.sign(LAUNCH), LAUNCH)
    verifier.verify(CERT_URL, short.sign(LAUNCH), LAUNCH)
    assert len(fetcher.calls) == 1
    clock[0] = NOW + dt.timedelta(hours=2)
    with pytest.raises(VerificationFailed, match="expired"):
        verifier.verify(CERT_URL, short.sign(LAUNCH), LAUNCH)
    assert len(fetcher.calls) == 2
    renewed = chain.with_leaf(NOW, NOW + dt.timedelta(days=30))
    fetcher.pem = renewed.pem
    verifier.verify(CERT_URL, renewed.sign(LAUNCH), LAUNCH)
    assert len(fetcher.calls) == 3


def test_the_cache_never_admits_a_bad_url(chain: SigningChain) -> None:
    fetcher = ChainFetcher(chain.pem)
    verifier = SignatureVerifier(roots=[chain.root], fetcher=fetcher, clock=lambda: NOW)
    verifier.verify(CERT_URL, chain.sign(LAUNCH), LAUNCH)
    with pytest.raises(VerificationFailed):
        verifier.verify(CERT_URL.replace("https", "http"), chain.sign(LAUNCH), LAUNCH)


def test_a_failed_fetch_is_rejected(content: Content, chain: SigningChain) -> None:
    def unreachable(url: str) -> bytes:
        raise CertificateFetchError("connection refused")

    client = _app_client(content, chain, unreachable)
    assert post_signed(client, LAUNCH, chain).status_code == 400


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A loopback HTTP server that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/echo.api/echo-api-cert.pem"
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    listener.close()


def test_a_fetch_that_times_out_is_rejected_quickly(
    silent_server: str, content: Content, chain: SigningChain
) -> None:
    fetch = UrlFetcher(timeout=0.3)
    client = _app_client(content, chain, lambda url: fetch(silent_server))
    started = time.monotonic()
    assert post_signed(client, LAUNCH, chain).status_code == 400
    assert time.monotonic() - started < 2


def test_the_url_fetcher_reads_a_chain_and_caps_its_size(chain: SigningChain) -> None:
    class Chain(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            data = chain.pem if self.path.endswith("good.pem") else b"x" * 70_000
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Chain)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/echo.api/"
        assert UrlFetcher(timeout=2)(base + "good.pem") == chain.pem
        with pytest.raises(CertificateFetchError, match="too large"):
            UrlFetcher(timeout=2)(base + "huge.pem")
    finally:
        server.shutdown()
        server.server_close()


def test_certificate_url_normalises_what_it_accepts() -> None:
    assert certificate_url("HTTPS://S3.amazonaws.com:443/echo.api/x/../c.pem") == (
        "https://s3.amazonaws.com/echo.api/c.pem"
    )
