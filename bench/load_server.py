"""Servers for :mod:`bench.load`, under :func:`skill.alexa.serve.serve` itself.

``serve`` builds its app with ``create_app(skill_id=..., verify=...)``; here that one name is
swapped for a ready app, so the waitress settings (threads, body limit) are serve.py's own:

    python -m bench.load_server hello PORT     # bench.webservice's bare ask-sdk skill
    python -m bench.load_server verified PORT  # the guide, verifying against a test chain

``verified`` reads ``{"root": PEM, "chain": PEM}`` on stdin (a :class:`SigningChain`'s root
and its ``pem``), trusts only that root and serves the chain from memory (:class:`ChainFetcher`),
so nothing touches the network. On SIGTERM it prints the number of certificate fetches.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
from types import FrameType
from unittest import mock

from cryptography import x509
from flask import Flask

from bench.webservice import hello_world_app
from skill.alexa import serve as serve_module
from skill.alexa.testing import ChainFetcher
from skill.alexa.verification import SignatureVerifier, utc_now
from skill.alexa.webservice import create_app


def _stop(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


def main(argv: list[str] | None = None) -> None:
    """Serve the chosen app on 127.0.0.1 until SIGTERM or Ctrl-C."""
    parser = argparse.ArgumentParser(prog="python -m bench.load_server")
    parser.add_argument("kind", choices=("hello", "verified"))
    parser.add_argument("port", type=int)
    args = parser.parse_args(argv)

    fetcher: ChainFetcher | None = None
    app: Flask
    if args.kind == "hello":
        app = hello_world_app()
    else:
        pems = json.loads(sys.stdin.read())
        fetcher = ChainFetcher(pems["chain"].encode("ascii"))
        root = x509.load_pem_x509_certificate(pems["root"].encode("ascii"))
        verifier = SignatureVerifier(roots=[root], fetcher=fetcher, clock=utc_now)
        app = create_app(signature_verifier=verifier, clock=utc_now)

    signal.signal(signal.SIGTERM, _stop)
    try:
        with mock.patch.object(serve_module, "create_app", lambda **_: app):
            serve_module.serve("127.0.0.1", args.port)
    except KeyboardInterrupt:
        pass
    finally:
        if fetcher is not None:
            print(f"certificate fetches: {len(fetcher.calls)}", flush=True)


if __name__ == "__main__":
    main()
