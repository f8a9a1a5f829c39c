"""The Alexa webservice's cost per request, against a bare ask-sdk hello-world skill.

Both skills sit behind the same flask-ask-sdk ``SkillAdapter`` in a Flask app, are called
through Flask's test client (the whole WSGI path, no network) with the same realistic mix of
envelopes (a conversation recorded once, its session attributes carried as Alexa carries
them), and are timed in alternating rounds; the median round counts. Signature checks are off
for that comparison (target: at most 1.5x the hello-world time) and timed on their own: the
cost per request with a warm certificate cache, using a made-up chain. Every request carries
the signature headers, whether or not its app checks them, so that only the checking differs.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_model.response import Response
from flask import Flask

from bench.report import Figure
from skill import intents as i
from skill.alexa.sdk_compat import (
    VERIFY_SIGNATURE_APP_CONFIG,
    VERIFY_TIMESTAMP_APP_CONFIG,
    SkillAdapter,
)
from skill.alexa.testing import CERT_URL, ChainFetcher, SigningChain
from skill.alexa.verification import SignatureVerifier
from skill.alexa.webservice import create_app

ROOT = Path(__file__).resolve().parents[1]
ENVELOPES = ROOT / "tests" / "fixtures" / "alexa" / "own"
#: The timestamp in those envelopes; the verifying clock is set to it.
NOW = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)
TARGET_RATIO = 1.5
SECTION = "webservice"

#: One visit: launch, two answers, the whole check, a rate change, help, repeat, goodbye.
SCRIPT: list[tuple[str, dict[str, str]]] = [
    ("launch", {}),
    (i.DANGER, {}),
    (i.YES, {}),
    (i.SYMPTOM_CHECK, {}),
    (i.NO, {}),
    (i.UNSURE, {}),
    (i.ANXIETY, {}),
    (i.NO, {}),
    (i.NO, {}),
    (i.NO, {}),
    (i.SPEECH_RATE, {"rate": "slower"}),
    (i.RELIEF, {}),
    (i.TELL_ME_MORE, {}),
    (i.HELP, {}),
    (i.REPEAT, {}),
    ("OrderPizzaIntent", {}),
    (i.STOP, {}),
    ("session_ended", {}),
]


def _own(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((ENVELOPES / f"{name}.json").read_text(encoding="utf-8"))
    return data


def record_visit(app: Flask) -> list[bytes]:
    """The request bodies of one scripted visit, each carrying the last response's attributes."""
    client = app.test_client()
    bodies: list[bytes] = []
    attributes: dict[str, Any] = {}
    for number, (intent, slots) in enumerate(SCRIPT):
        if intent in ("launch", "session_ended"):
            envelope = _own(intent)
        else:
            envelope = _own("intent")
            envelope["request"]["intent"]["name"] = intent
            envelope["request"]["intent"]["slots"] = {
                name: {"name": name, "value": value} for name, value in slots.items()
            }
        envelope["session"]["new"] = number == 0
        envelope["session"]["attributes"] = attributes
        data = json.dumps(envelope).encode("utf-8")
        response = client.post("/", data=data, content_type="application/json")
        if response.status_code != 200:
            raise RuntimeError(f"the recorded visit failed at {intent}: {response.status_code}")
        attributes = response.get_json().get("sessionAttributes") or {}
        bodies.append(data)
    return bodies


def hello_world_app() -> Flask:
    """A bare ask-sdk skill that says hello to any request, behind the same SkillAdapter."""
    builder = SkillBuilder()

    @builder.request_handler(can_handle_func=lambda handler_input: True)
    def hello(handler_input: HandlerInput) -> Response:
        speech = handler_input.response_builder.speak("Hello world!").ask("Say hello.")
        response: Response = speech.response
        return response

    app = Flask("hello_world")
    app.config[VERIFY_SIGNATURE_APP_CONFIG] = False
    app.config[VERIFY_TIMESTAMP_APP_CONFIG] = False
    SkillAdapter(skill=builder.create(), skill_id="hello", app=app).register(app, "/")
    return app


def time_requests(
    send: Callable[[bytes], object], bodies: list[bytes], rounds: int, repeat: int
) -> list[float]:
    """Microseconds per request in each round (every round sends ``bodies`` ``repeat`` times)."""
    results = []
    for _ in range(rounds):
        started = time.perf_counter()
        for _ in range(repeat):
            for data in bodies:
                send(data)
        elapsed = time.perf_counter() - started
        results.append(elapsed / (repeat * len(bodies)) * 1e6)
    return results


def _poster(
    app: Flask, headers: dict[bytes, dict[str, str]] | None = None
) -> Callable[[bytes], object]:
    client = app.test_client()

    def send(data: bytes) -> object:
        response = client.post(
            "/", data=data, content_type="application/json", headers=(headers or {}).get(data, {})
        )
        if response.status_code != 200:
            raise RuntimeError(f"benchmark request failed: {response.status_code}")
        return response

    return send


@dataclass(frozen=True)
class Measurement:
    """Everything :func:`main` prints, measured once (times in microseconds per request)."""

    envelopes: int
    rounds: int
    hello_us: float
    guide_us: float
    verified_us: float
    signature_check_us: float
    certificate_fetches: int

    @property
    def ratio(self) -> float:
        """The guide's time per request over the hello-world skill's, no verification."""
        return self.guide_us / self.hello_us


def measure(rounds: int = 7, repeat: int = 20) -> Measurement:
    """Time the three variants in alternating rounds, then the signature check on its own."""
    guide = create_app(verify=False)
    bodies = record_visit(guide)
    hello = hello_world_app()

    chain = SigningChain.create(NOW)
    fetcher = ChainFetcher(chain.pem)
    verifier = SignatureVerifier(roots=[chain.root], fetcher=fetcher, clock=lambda: NOW)
    verified = create_app(signature_verifier=verifier, clock=lambda: NOW)
    signed = {data: chain.headers(data) for data in bodies}

    senders = {  # every app gets the same signed headers, as Alexa sends them to any skill
        "guide": _poster(guide, signed),
        "hello": _poster(hello, signed),
        "guide, verified": _poster(verified, signed),
    }
    for send in senders.values():  # warm up: imports, caches, the certificate fetch
        time_requests(send, bodies, rounds=1, repeat=2)
    samples: dict[str, list[float]] = {name: [] for name in senders}
    for _ in range(rounds):  # alternate, so drift in machine load hits every variant alike
        for name, send in senders.items():
            samples[name] += time_requests(send, bodies, rounds=1, repeat=repeat)
    median = {name: statistics.median(values) for name, values in samples.items()}

    def verify_only(data: bytes) -> None:
        verifier.verify(CERT_URL, signed[data]["Signature-256"], data)

    return Measurement(
        envelopes=len(bodies),
        rounds=rounds,
        hello_us=median["hello"],
        guide_us=median["guide"],
        verified_us=median["guide, verified"],
        signature_check_us=statistics.median(
            time_requests(verify_only, bodies, rounds, repeat * 5)
        ),
        certificate_fetches=len(fetcher.calls),
    )


def figures(measured: Measurement | None = None) -> list[Figure]:
    """The headline figures against their targets (measured now unless given)."""
    m = measured if measured is not None else measure()
    return [
        Figure(
            SECTION,
            "guide / hello-world, time per request",
            f"{m.ratio:.2f} x",
            f"<= {TARGET_RATIO} x",
            m.ratio <= TARGET_RATIO,
        ),
        Figure(
            SECTION, "guide, time per request (no verification)", f"{m.guide_us:.0f} us", "", None
        ),
        Figure(
            SECTION,
            "signature check, warm certificate cache",
            f"{m.signature_check_us:.0f} us",
            "",
            None,
        ),
    ]


def print_details(m: Measurement) -> None:
    """The section's own report."""
    print(f"Alexa webservice: {m.envelopes} envelopes a visit, median of {m.rounds} rounds")
    print(f"  hello-world skill, same SkillAdapter   {m.hello_us:8.0f} us per request")
    print(f"  Muscle Twitch Guide (no verification)  {m.guide_us:8.0f} us per request")
    print(
        f"  ratio                                  {m.ratio:8.2f} x  (target <= {TARGET_RATIO} x)"
    )
    print(f"  Muscle Twitch Guide, verified          {m.verified_us:8.0f} us per request")
    added = m.verified_us - m.guide_us
    print(f"  verification added, end to end         {added:8.0f} us per request")
    print(f"  signature check, warm certificate cache {m.signature_check_us:7.0f} us per request")
    print(f"  certificate fetches                    {m.certificate_fetches:8d}")


def main(rounds: int = 7, repeat: int = 20) -> list[Figure]:
    """Measure once, print the figures, and return the headline ones; asserts nothing."""
    measured = measure(rounds, repeat)
    print_details(measured)
    return figures(measured)


if __name__ == "__main__":
    main()
