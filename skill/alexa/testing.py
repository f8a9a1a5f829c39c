"""A made-up certificate chain that signs requests the way Alexa does: for tests and benchmarks.

``SigningChain.create()`` builds a root CA, an intermediate CA and a signing certificate
(SAN ``echo-api.amazon.com``, RSA 2048, SHA-256), all with ``cryptography``. Trust only
``chain.root`` and serve ``chain.pem`` through a :class:`ChainFetcher`, and a
:class:`~skill.alexa.verification.SignatureVerifier` checks requests the chain signed without
any network. The running skill never imports this module.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass, field, replace

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from skill.alexa.verification import CERT_URL_HEADER, SIGNATURE_HEADER, SIGNING_NAME

CERT_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert.pem"
_KEY_USAGE = dict.fromkeys(
    (
        "digital_signature",
        "content_commitment",
        "key_encipherment",
        "data_encipherment",
        "key_agreement",
        "key_cert_sign",
        "crl_sign",
        "encipher_only",
        "decipher_only",
    ),
    False,
)


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _ca(
    common_name: str,
    key: rsa.RSAPrivateKey,
    issuer: tuple[x509.Certificate, rsa.RSAPrivateKey] | None,
    now: dt.datetime,
) -> x509.Certificate:
    issuer_name, issuer_key = (
        (issuer[0].subject, issuer[1]) if issuer else (_name(common_name), key)
    )
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=365))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(
            x509.BasicConstraints(ca=True, path_length=None if issuer is None else 0), critical=True
        )
        .add_extension(
            x509.KeyUsage(**{**_KEY_USAGE, "key_cert_sign": True, "crl_sign": True}),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
    )
    return builder.sign(issuer_key, hashes.SHA256())


def _leaf(
    issuer: x509.Certificate,
    issuer_key: rsa.RSAPrivateKey,
    key: rsa.RSAPrivateKey,
    not_before: dt.datetime,
    not_after: dt.datetime,
    name: str,
) -> x509.Certificate:
    return (
        x509.CertificateBuilder()
        .subject_name(_name(name))
        .issuer_name(issuer.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.KeyUsage(**{**_KEY_USAGE, "digital_signature": True}), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
        .sign(issuer_key, hashes.SHA256())
    )


@dataclass(frozen=True)
class SigningChain:
    """Root -> intermediate -> signing certificate, and the signing key."""

    root: x509.Certificate
    intermediate: x509.Certificate
    intermediate_key: rsa.RSAPrivateKey
    leaf: x509.Certificate
    leaf_key: rsa.RSAPrivateKey = field(repr=False)

    @classmethod
    def create(cls, now: dt.datetime | None = None) -> SigningChain:
        """A fresh chain whose signing certificate is valid for 30 days either side of ``now``."""
        now = now or dt.datetime.now(dt.UTC)
        root_key, intermediate_key, leaf_key = _new_key(), _new_key(), _new_key()
        root = _ca("Test Root CA", root_key, None, now)
        intermediate = _ca("Test Intermediate CA", intermediate_key, (root, root_key), now)
        leaf = _leaf(
            intermediate,
            intermediate_key,
            leaf_key,
            now - dt.timedelta(days=30),
            now + dt.timedelta(days=30),
            SIGNING_NAME,
        )
        return cls(root, intermediate, intermediate_key, leaf, leaf_key)

    def with_leaf(
        self, not_before: dt.datetime, not_after: dt.datetime, name: str = SIGNING_NAME
    ) -> SigningChain:
        """The same CAs and key with a new signing certificate (other dates or name)."""
        leaf = _leaf(
            self.intermediate, self.intermediate_key, self.leaf_key, not_before, not_after, name
        )
        return replace(self, leaf=leaf)

    @property
    def pem(self) -> bytes:
        """The chain as Alexa serves it: signing certificate first, then the intermediate."""
        return b"".join(
            cert.public_bytes(serialization.Encoding.PEM) for cert in (self.leaf, self.intermediate)
        )

    def sign(self, body: bytes) -> str:
        """The ``Signature-256`` header value for ``body``."""
        signature = self.leaf_key.sign(body, padding.PKCS1v15(), hashes.SHA256())
        return base64.b64encode(signature).decode("ascii")

    def headers(self, body: bytes, cert_url: str = CERT_URL) -> dict[str, str]:
        """The two signature headers Alexa sends with ``body``."""
        return {CERT_URL_HEADER: cert_url, SIGNATURE_HEADER: self.sign(body)}


@dataclass
class ChainFetcher:
    """A certificate fetcher that serves one PEM chain from memory and counts its calls."""

    pem: bytes
    calls: list[str] = field(default_factory=list)

    def __call__(self, url: str) -> bytes:
        self.calls.append(url)
        return self.pem
