"""Check that a request really comes from Alexa, with the ``cryptography`` package only.

Amazon's rules for a custom skill hosted as a web service ("Verify that the request was sent
by Alexa"):

1. ``SignatureCertChainUrl``: scheme ``https`` and host ``s3.amazonaws.com`` (any case), a
   path that starts with ``/echo.api/`` once normalised (case-sensitive), port 443 if given.
2. The PEM chain at that URL: the signing certificate is within its dates, names
   ``echo-api.amazon.com`` in its subject alternative names, and chains to a trusted root.
3. ``Signature-256`` is the base64 RSA signature (PKCS #1 v1.5, SHA-256) of the exact body.
4. The request's ``timestamp`` is within 150 seconds of now.

Steps 1-3 need only the raw bytes, so :class:`SignatureVerifier` runs before anything parses
the body. Step 4 needs the parsed envelope: :class:`SdkTimestampVerifier` is a verifier for
flask-ask-sdk's ``SkillAdapter``. A checked signing key is cached by URL until the earliest
expiry in its chain; the URL rules run before the cache is consulted, so a cached key can
never admit a bad URL. Every failure is a :class:`VerificationFailed` whose message is fixed
text, never request content.

The signature is checked as RFC 8017 (section 8.2.2) describes: the RSA operation recovers the
encoded message, which must equal the SHA-256 ``DigestInfo`` of the body, compared in constant
time. cryptography's ``verify`` does the same, but lets go of the GIL for the RSA step (about
17 us) and waits for it again after; in the threaded server every such hand-over between
threads costs more CPU than the step itself (``bench/load.py``, same run: 50 to 80 us less
server CPU a request this way).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import http.client
import posixpath
import threading
import time
import urllib.request
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import certifi
from ask_sdk_model.request_envelope import RequestEnvelope
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

from skill.alexa.sdk_compat import AbstractVerifier, VerificationException

CERT_URL_HEADER = "SignatureCertChainUrl"
SIGNATURE_HEADER = "Signature-256"
CERT_URL_HOST = "s3.amazonaws.com"
CERT_URL_PATH_PREFIX = "/echo.api/"
CERT_URL_PORT = 443
SIGNING_NAME = "echo-api.amazon.com"
TIMESTAMP_TOLERANCE = dt.timedelta(seconds=150)
MAX_CHAIN_BYTES = 64 * 1024
#: The DER prefix of a SHA-256 ``DigestInfo`` (RFC 8017, section 9.2, note 1).
SHA256_DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")

#: Gets the PEM chain at a (checked) certificate URL; raises OSError when it cannot.
CertificateFetcher = Callable[[str], bytes]
Clock = Callable[[], dt.datetime]


class VerificationFailed(Exception):
    """The request must be rejected; the message is fixed text, safe to log."""


class CertificateFetchError(OSError):
    """The certificate chain could not be fetched."""


def utc_now() -> dt.datetime:
    """The current time, timezone-aware, in UTC."""
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class UrlFetcher:
    """Fetches a certificate chain over HTTPS with a short timeout and a size cap."""

    timeout: float = 3.0
    max_bytes: int = MAX_CHAIN_BYTES

    def __call__(self, url: str) -> bytes:
        deadline = time.monotonic() + self.timeout
        data = bytearray()
        try:
            with urllib.request.urlopen(url, timeout=self.timeout) as response:
                while chunk := response.read1(16 * 1024):
                    data += chunk
                    if len(data) > self.max_bytes:
                        raise CertificateFetchError("the certificate chain is too large")
                    if time.monotonic() > deadline:
                        raise CertificateFetchError("the certificate chain took too long")
        except CertificateFetchError:
            raise
        except (OSError, http.client.HTTPException, ValueError) as error:
            raise CertificateFetchError(f"cannot fetch the certificate chain: {error}") from None
        return bytes(data)


@lru_cache(maxsize=64)
def certificate_url(url: str) -> str:
    """The normalised ``SignatureCertChainUrl``, if it follows Amazon's rules (remembered:
    Alexa sends the same few URLs again and again; a URL that breaks a rule is not kept)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port  # ValueError for a port that is not a number in range
    except ValueError:
        raise VerificationFailed("malformed certificate URL") from None
    if parts.scheme.lower() != "https":
        raise VerificationFailed("certificate URL is not https")
    if (parts.hostname or "").lower() != CERT_URL_HOST:
        raise VerificationFailed(f"certificate URL host is not {CERT_URL_HOST}")
    if parts.username is not None or parts.password is not None:
        raise VerificationFailed("certificate URL carries credentials")
    if port is not None and port != CERT_URL_PORT:
        raise VerificationFailed(f"certificate URL port is not {CERT_URL_PORT}")
    if "%" in parts.path:  # an escape the server might decode into a path out of /echo.api/
        raise VerificationFailed("certificate URL path is percent-encoded")
    path = posixpath.normpath(parts.path) if parts.path else ""
    if not path.startswith(CERT_URL_PATH_PREFIX):
        raise VerificationFailed(f"certificate URL path does not start with {CERT_URL_PATH_PREFIX}")
    return urlunsplit(("https", CERT_URL_HOST, path, parts.query, ""))


def trusted_roots(bundle: Path | None = None) -> tuple[x509.Certificate, ...]:
    """The root certificates of a PEM bundle (certifi's by default), one block at a time.

    A block that cryptography cannot load is left out; so are its deprecation warnings about
    roots that break RFC 5280 (a negative serial number), which later releases refuse.
    """
    text = (bundle or Path(certifi.where())).read_bytes()
    end = b"-----END CERTIFICATE-----"
    roots: list[x509.Certificate] = []
    for block in text.split(end)[:-1]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CryptographyDeprecationWarning)
            try:
                roots.append(x509.load_pem_x509_certificate(block + end))
            except ValueError:
                continue
    return tuple(roots)


@dataclass(frozen=True)
class _SigningKey:
    key: rsa.RSAPublicKey
    not_before: dt.datetime
    not_after: dt.datetime

    def valid_at(self, now: dt.datetime) -> bool:
        return self.not_before <= now <= self.not_after


class SignatureVerifier:
    """Checks ``SignatureCertChainUrl`` and ``Signature-256`` against the raw request body.

    ``roots`` defaults to certifi's bundle; ``fetcher`` and ``clock`` are injectable so tests
    use their own chain and time and never touch the network.
    """

    def __init__(
        self,
        roots: Sequence[x509.Certificate] | None = None,
        fetcher: CertificateFetcher | None = None,
        clock: Clock = utc_now,
        cache_size: int = 16,
    ) -> None:
        self._store = Store(list(roots if roots is not None else trusted_roots()))
        self._fetch = fetcher or UrlFetcher()
        self._clock = clock
        self._cache_size = cache_size
        self._cache: dict[str, _SigningKey] = {}
        self._lock = threading.Lock()

    def verify(self, cert_url: str | None, signature: str | None, body: bytes) -> None:
        """Raise :class:`VerificationFailed` unless ``body`` is signed by Alexa."""
        if not cert_url:
            raise VerificationFailed(f"no {CERT_URL_HEADER} header")
        if not signature:
            raise VerificationFailed(f"no {SIGNATURE_HEADER} header")
        try:
            signature_bytes = base64.b64decode(signature, validate=True)
        except (binascii.Error, ValueError):
            raise VerificationFailed("signature is not base64") from None
        key = self._signing_key(certificate_url(cert_url))
        if not signed_by(key, signature_bytes, body):
            raise VerificationFailed("signature does not match the body")

    def _signing_key(self, url: str) -> rsa.RSAPublicKey:
        now = self._clock()
        with self._lock:
            cached = self._cache.get(url)
        if cached is not None and cached.valid_at(now):
            return cached.key
        try:
            pem = self._fetch(url)
        except OSError:
            raise VerificationFailed("certificate chain could not be fetched") from None
        try:
            signing_key = self._check_chain(pem, now)
        except VerificationFailed:
            raise
        except Exception:  # the chain came from the network: a certificate we cannot parse
            raise VerificationFailed("certificate chain could not be checked") from None
        with self._lock:
            self._cache.pop(url, None)
            while len(self._cache) >= self._cache_size:
                self._cache.pop(next(iter(self._cache)))
            self._cache[url] = signing_key
        return signing_key.key

    def _check_chain(self, pem: bytes, now: dt.datetime) -> _SigningKey:
        try:
            leaf, *intermediates = x509.load_pem_x509_certificates(pem)
        except ValueError:
            raise VerificationFailed("certificate chain is not PEM") from None
        if not leaf.not_valid_before_utc <= now <= leaf.not_valid_after_utc:
            raise VerificationFailed("signing certificate is expired or not yet valid")
        if SIGNING_NAME not in _dns_names(leaf):
            raise VerificationFailed(f"signing certificate does not name {SIGNING_NAME}")
        verifier = (
            PolicyBuilder()
            .store(self._store)
            .time(now)
            .build_server_verifier(x509.DNSName(SIGNING_NAME))
        )
        try:
            chain = verifier.verify(leaf, intermediates)
        except VerificationError:
            raise VerificationFailed("certificate chain does not lead to a trusted root") from None
        key = leaf.public_key()
        if not isinstance(key, rsa.RSAPublicKey):
            raise VerificationFailed("signing certificate key is not RSA")
        not_before = max(cert.not_valid_before_utc for cert in chain)
        not_after = min(cert.not_valid_after_utc for cert in chain)
        return _SigningKey(key, not_before, not_after)


def signed_by(key: rsa.RSAPublicKey, signature: bytes, body: bytes) -> bool:
    """Whether ``signature`` is ``key``'s RSASSA-PKCS1-v1_5 signature of ``body`` with SHA-256."""
    try:
        recovered = key.recover_data_from_signature(signature, padding.PKCS1v15(), None)
    except (InvalidSignature, ValueError):
        return False
    return hmac.compare_digest(recovered, SHA256_DIGEST_INFO + hashlib.sha256(body).digest())


def _dns_names(cert: x509.Certificate) -> Iterable[str]:
    try:
        names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return ()
    return names.get_values_for_type(x509.DNSName)


def check_timestamp(
    timestamp: dt.datetime | None, now: dt.datetime, tolerance: dt.timedelta = TIMESTAMP_TOLERANCE
) -> None:
    """Raise :class:`VerificationFailed` unless ``timestamp`` is within ``tolerance`` of ``now``."""
    if not isinstance(timestamp, dt.datetime):
        raise VerificationFailed("request has no timestamp")
    if timestamp.tzinfo is None:
        timestamp = timestamp.replace(tzinfo=dt.UTC)
    if abs(now - timestamp) > tolerance:
        raise VerificationFailed("request timestamp is not within 150 seconds of now")


class SdkTimestampVerifier(AbstractVerifier):
    """The timestamp rule as a ``SkillAdapter`` verifier (it runs on the parsed envelope)."""

    def __init__(self, clock: Clock = utc_now) -> None:
        self._clock = clock

    def verify(
        self,
        headers: Any,
        serialized_request_env: str,
        deserialized_request_env: RequestEnvelope,
    ) -> None:
        request = deserialized_request_env.request
        try:
            check_timestamp(request.timestamp if request else None, self._clock())
        except VerificationFailed as failure:
            raise VerificationException(str(failure)) from None
