"""Load: the Alexa webservice under concurrent clients, against a bare ask-sdk hello-world skill.

Three servers run as separate processes on 127.0.0.1, each under waitress with serve.py's
settings (same thread count): a bare ask-sdk hello-world skill behind the same SkillAdapter
(:mod:`bench.load_server`), ``twitch-guide serve --no-verify`` itself, and the guide with
verification on, trusting a made-up :class:`SigningChain` whose chain it serves from memory.

Client threads, each on one keep-alive connection (http.client), replay the visit recorded by
:mod:`bench.webservice` (launch, topic questions, the whole red-flag check, session end) with a
fresh timestamp, request id and session id, carrying the guide's sealed session attributes
from each response into the next request as Alexa does; the hello-world skill, which keeps no
state, gets the recorded attributes so its bodies are the same size. Every request is signed
over its exact bytes, also for the servers that ignore the headers, so the client does the same
work in all three runs. The servers take turns in rounds, so drift in machine load hits all
alike. Besides throughput and latency it prints each server's CPU time per request (Linux
/proc), less sensitive than throughput to other load on the shared cores. Prints figures;
asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import inspect
import json
import math
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import IO, Any

from cryptography.hazmat.primitives import serialization

from bench.report import Figure
from bench.webservice import record_visit
from skill.alexa import SKILL_ID_ENV
from skill.alexa.serve import serve
from skill.alexa.testing import SigningChain
from skill.alexa.webservice import create_app
from skill.seal import STATE_KEY

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
SERVER_THREADS: int = inspect.signature(serve).parameters["threads"].default
REQUEST_TIMEOUT = 10.0  # seconds, per socket operation
STARTUP_TIMEOUT = 30.0
MAX_REQUESTS_PER_THREAD = 100_000  # per phase; a bound, never reached in practice
SECTION = "load"


@dataclass(frozen=True)
class Visit:
    """The recorded visit: envelope templates, and the dialogue state after each step."""

    templates: list[dict[str, Any]]
    expected: list[Any]  # the state each response should carry (all steps but the last)

    @classmethod
    def record(cls) -> Visit:
        """Record it once in-process against the guide (see :func:`record_visit`)."""
        templates = [json.loads(body) for body in record_visit(create_app(verify=False))]
        expected = [t["session"]["attributes"].get(STATE_KEY) for t in templates[1:]]
        return cls(templates, expected)


@dataclass
class Tally:
    """One client thread's figures for one phase."""

    latencies: list[float] = field(default_factory=list)  # seconds, measured 200s only
    errors: int = 0  # warm-up included
    off_script: int = 0  # 200s whose dialogue state differs from the recorded visit


@dataclass
class Result:
    """One server's figures over all its phases."""

    label: str
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0
    errors: int = 0
    off_script: int = 0
    server_cpu: float = 0.0  # seconds of CPU the server process used while measured
    client_cpu: float = 0.0  # the same for this (client) process

    def add(self, phase: Phase) -> None:
        for tally in phase.tallies:
            self.latencies += tally.latencies
            self.errors += tally.errors
            self.off_script += tally.off_script
        self.seconds += phase.seconds
        self.server_cpu += phase.server_cpu
        self.client_cpu += phase.client_cpu

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else math.nan

    def percentile_ms(self, percent: int) -> float:
        if len(self.latencies) < 2:
            return math.nan
        cuts = statistics.quantiles(self.latencies, n=100, method="inclusive")
        return cuts[percent - 1] * 1000

    def cpu_ms_per_request(self, cpu: float) -> float:
        return cpu / len(self.latencies) * 1000 if self.latencies else math.nan


@dataclass(frozen=True)
class Phase:
    """What one run of the clients against one server measured."""

    tallies: list[Tally]
    seconds: float
    server_cpu: float
    client_cpu: float


@dataclass
class Server:
    """A server process on a loopback port; its output goes to a temporary file."""

    label: str
    carries_state: bool
    port: int
    process: subprocess.Popen[bytes]
    output: IO[bytes]

    def output_lines(self) -> list[str]:
        self.output.seek(0)
        return self.output.read().decode("utf-8", "replace").splitlines()


def free_port() -> int:
    """A port nothing listens on now (the server binds it a moment later)."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def start_server(
    label: str, command: list[str], carries_state: bool, port: int, stdin: bytes | None = None
) -> Server:
    """Start one server process (no skill id, so the recorded envelopes' id is answered)."""
    env = {name: value for name, value in os.environ.items() if name != SKILL_ID_ENV}
    output = tempfile.TemporaryFile()  # noqa: SIM115 (closed by stop_server)
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=output,
        stderr=subprocess.STDOUT,
    )
    if stdin is not None and process.stdin is not None:
        process.stdin.write(stdin)
        process.stdin.close()
    return Server(label, carries_state, port, process, output)


def wait_ready(server: Server, timeout: float = STARTUP_TIMEOUT) -> None:
    """Poll the port until it accepts a connection; raise if the process dies or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            tail = "\n".join(server.output_lines()[-8:])
            raise RuntimeError(f"{server.label} exited at start:\n{tail}")
        try:
            with socket.create_connection((HOST, server.port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{server.label} did not listen within {timeout:.0f} s")


def stop_server(server: Server) -> list[str]:
    """Terminate the process (kill it if it lingers); the lines it wrote."""
    if server.process.poll() is None:
        server.process.terminate()
    try:
        server.process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()
    lines = server.output_lines()
    server.output.close()
    return lines


def envelope_bytes(template: dict[str, Any], attributes: Any, session_id: str) -> bytes:
    """A template as a fresh request: now as timestamp, new request id, the given session."""
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    request = {
        **template["request"],
        "timestamp": now,
        "requestId": f"amzn1.echo-api.request.{uuid.uuid4()}",
    }
    session = {**template["session"], "sessionId": session_id, "attributes": attributes}
    return json.dumps({**template, "session": session, "request": request}).encode("utf-8")


def signed_headers(chain: SigningChain, body: bytes) -> dict[str, str]:
    """The headers Alexa sends with ``body``, signed by ``chain``."""
    return {"Content-Type": "application/json", **chain.headers(body)}


def post(connection: http.client.HTTPConnection, body: bytes, headers: dict[str, str]) -> Any:
    """POST ``body``; the parsed reply of a 200, else None."""
    try:
        connection.request("POST", "/", body, headers)
        response = connection.getresponse()
        data = response.read()
        return json.loads(data) if response.status == 200 else None
    except (OSError, http.client.HTTPException, ValueError):
        connection.close()  # the next request reconnects
        return None


def prime(server: Server, visit: Visit, chain: SigningChain) -> int:
    """One launch request, so the verifying server's certificate cache is warm; errors (0 or 1)."""
    connection = http.client.HTTPConnection(HOST, server.port, timeout=REQUEST_TIMEOUT)
    try:
        template = visit.templates[0]
        body = envelope_bytes(template, template["session"]["attributes"], "amzn1.prime")
        reply = post(connection, body, signed_headers(chain, body))
        return 0 if isinstance(reply, dict) else 1
    finally:
        connection.close()


def client(
    port: int,
    visit: Visit,
    chain: SigningChain,
    carries_state: bool,
    measure_from: float,
    until: float,
    stop: threading.Event,
    tally: Tally,
) -> None:
    """Replay visits on one keep-alive connection until ``until`` (perf_counter time)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    step, attributes, session_id = 0, None, ""
    try:
        for _ in range(MAX_REQUESTS_PER_THREAD):
            if stop.is_set() or time.perf_counter() >= until:
                break
            template = visit.templates[step]
            if step == 0:
                session_id = f"amzn1.echo-api.session.{uuid.uuid4()}"
            if step == 0 or not carries_state:
                attributes = template["session"]["attributes"]
            body = envelope_bytes(template, attributes, session_id)
            headers = signed_headers(chain, body)
            started = time.perf_counter()
            reply = post(connection, body, headers)
            elapsed = time.perf_counter() - started
            if not isinstance(reply, dict):
                tally.errors += 1
                step = 0  # a failed session is over; start a new visit
                continue
            if started >= measure_from:
                tally.latencies.append(elapsed)
            if carries_state:
                attributes = reply.get("sessionAttributes") or {}
                if step < len(visit.expected) and attributes.get(STATE_KEY) != visit.expected[step]:
                    tally.off_script += 1
            step = (step + 1) % len(visit.templates)
    finally:
        connection.close()


def process_cpu(pid: int) -> float:
    """Seconds of CPU (user + system) process ``pid`` has used; NaN off Linux."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return math.nan


def drive(
    server: Server, visit: Visit, chain: SigningChain, clients: int, seconds: float, warmup: float
) -> Phase:
    """Run ``clients`` threads for ``warmup + seconds``; only the last ``seconds`` count."""
    start = time.perf_counter()
    measure_from, until = start + warmup, start + warmup + seconds
    stop = threading.Event()
    tallies = [Tally() for _ in range(clients)]
    threads = [
        threading.Thread(
            target=client,
            args=(server.port, visit, chain, server.carries_state, measure_from, until, stop, t),
            daemon=True,
        )
        for t in tallies
    ]
    try:
        for thread in threads:
            thread.start()
        time.sleep(max(0.0, measure_from - time.perf_counter()))
        server_cpu, client_cpu = process_cpu(server.process.pid), time.process_time()
        for thread in threads:
            thread.join(timeout=max(0.0, until - time.perf_counter()) + REQUEST_TIMEOUT + 1)
        server_cpu = process_cpu(server.process.pid) - server_cpu
        client_cpu = time.process_time() - client_cpu
    finally:
        stop.set()
    return Phase(tallies, seconds, server_cpu, client_cpu)


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else math.nan


@dataclass(frozen=True)
class Measurement:
    """Everything :func:`main` prints, measured once: hello-world, guide, guide verified."""

    results: list[Result]
    args: argparse.Namespace
    fetches: str  # certificate fetches the verified server reported ("" if it did not say)


def figures(measured: Measurement | None = None) -> list[Figure]:
    """The ratios against their targets (measured now, with the default settings, unless given).

    Server CPU per request is what each server would use with a core to itself: less sensitive
    than throughput to other load on the machine, so each throughput ratio comes with it too.
    """
    m = measured if measured is not None else measure(parse_args([]))
    hello, guide, verified = m.results
    errors = sum(result.errors for result in m.results)
    throughput = _ratio(guide.throughput, hello.throughput)
    p99 = _ratio(guide.percentile_ms(99), hello.percentile_ms(99))
    verified_ratio = _ratio(verified.throughput, guide.throughput)
    cpu = [result.cpu_ms_per_request(result.server_cpu) for result in m.results]
    guide_cpu, verified_cpu = _ratio(cpu[0], cpu[1]), _ratio(cpu[1], cpu[2])
    # Judged on the unrounded ratio, shown to three decimals so the verdict can be read off it
    # (0.897 is short of 0.9, though it would show as 0.90).
    clients = m.args.clients
    return [
        Figure(
            SECTION,
            f"guide / hello-world throughput ({clients} clients)",
            f"{throughput:.3f}",
            ">= 0.7",
            throughput >= 0.7,
        ),
        Figure(
            SECTION,
            "guide / hello-world, by server CPU per request",
            f"{guide_cpu:.3f}",
            ">= 0.7",
            guide_cpu >= 0.7,
        ),
        Figure(SECTION, "guide p99 / hello-world p99", f"{p99:.3f}", "<= 1.5", p99 <= 1.5),
        Figure(SECTION, "errors, all three servers", str(errors), "0", errors == 0),
        Figure(
            SECTION,
            "verified / unverified throughput",
            f"{verified_ratio:.3f}",
            ">= 0.9",
            verified_ratio >= 0.9,
        ),
        Figure(
            SECTION,
            "verified / unverified, by server CPU per request",
            f"{verified_cpu:.3f}",
            ">= 0.9",
            verified_cpu >= 0.9,
        ),
    ]


def report(measured: Measurement) -> None:
    """Print the side-by-side table and the ratios against the targets."""
    results, args = measured.results, measured.args
    per_round = args.seconds / args.rounds
    print(
        f"Load: {args.clients} client threads per server, {args.seconds:g} s measured each, in "
        f"{args.rounds} alternating round(s) of {per_round:g} s after one request and a "
        f"{args.warmup:g} s warm-up;"
    )
    print(
        f"  keep-alive HTTP on {HOST}; every server under waitress with {SERVER_THREADS} threads "
        "(serve.py's setting)"
    )
    head = ("req/s", "p50 ms", "p99 ms", "errors", "off-script", "srv core", "srv cpu/req")
    print(f"  {'':34}" + "".join(f"{name:>12}" for name in head))
    for result in results:
        cells = (
            f"{result.throughput:.1f}",
            f"{result.percentile_ms(50):.2f}",
            f"{result.percentile_ms(99):.2f}",
            str(result.errors),
            str(result.off_script),
            f"{result.server_cpu / result.seconds:.2f}",
            f"{result.cpu_ms_per_request(result.server_cpu):.3f} ms",
        )
        print(f"  {result.label:34}" + "".join(f"{cell:>12}" for cell in cells))
    print(f"  {'ratio':50}{'value':>12}{'target':>12}{'met':>12}")
    for figure in figures(measured):
        print(f"  {figure.name:50}{figure.measured:>12}{figure.target:>12}{figure.verdict:>12}")
    client_cpu = sum(result.client_cpu for result in results)
    requests = sum(len(result.latencies) for result in results)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else math.nan
    print(
        f"  certificate fetches by the verified server: {measured.fetches or '?'} "
        "(then a warm cache)"
    )
    print("  notes:")
    print(
        f"  - the client and the servers share the same {os.cpu_count()} cores (load average "
        f"{load:.1f} at the end, other processes included): figures for this machine, now"
    )
    print(
        "  - the client is one process (one GIL) and spends "
        f"{client_cpu / requests * 1000 if requests else math.nan:.3f} ms CPU per request, "
        "signing included (every request is signed, for every server)"
    )
    print(
        "  - srv core: the server's CPU use in cores (one process, one GIL: about 1.0 at most); "
        "srv cpu/req: its CPU per answered request"
    )
    print(
        "  - errors include the first request and the warm-up; off-script counts replies whose "
        "dialogue state is not the recorded visit's"
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__)
    parser.add_argument("--clients", type=int, default=8, help="concurrent client threads")
    # 40 s in 20 rounds: on a shared 2-core machine, four 10 s runs put the verified /
    # unverified ratio anywhere from 0.88 to 0.96; longer runs spread far less.
    parser.add_argument("--seconds", type=float, default=40.0, help="measured seconds per server")
    parser.add_argument("--warmup", type=float, default=1.0, help="warm-up seconds per server")
    parser.add_argument("--rounds", type=int, default=20, help="alternating rounds")
    args = parser.parse_args(argv)
    if args.clients < 1 or args.seconds <= 0 or args.warmup < 0 or args.rounds < 1:
        parser.error("--clients and --rounds must be >= 1, --seconds > 0, --warmup >= 0")
    return args


def measure(args: argparse.Namespace) -> Measurement:
    """Start the three servers, drive each in turn, stop the servers."""
    visit = Visit.record()
    chain = SigningChain.create()
    trust = json.dumps(
        {
            "root": chain.root.public_bytes(serialization.Encoding.PEM).decode("ascii"),
            "chain": chain.pem.decode("ascii"),
        }
    ).encode("ascii")
    console_script = str(Path(sys.executable).parent / "twitch-guide")
    module = [sys.executable, "-m", "bench.load_server"]
    servers: list[Server] = []
    results: list[Result] = []
    fetches = ""
    try:
        ports = [free_port() for _ in range(3)]
        servers.append(
            start_server(
                "hello-world (bare ask-sdk skill)",
                [*module, "hello", str(ports[0])],
                False,
                ports[0],
            )
        )
        servers.append(
            start_server(
                "guide, serve --no-verify",
                [console_script, "serve", "--host", HOST, "--port", str(ports[1]), "--no-verify"],
                True,
                ports[1],
            )
        )
        servers.append(
            start_server(
                "guide, verified (warm cert cache)",
                [*module, "verified", str(ports[2])],
                True,
                ports[2],
                stdin=trust,
            )
        )
        for server in servers:
            wait_ready(server)
        results += [Result(server.label) for server in servers]
        for server, result in zip(servers, results, strict=True):
            result.errors += prime(server, visit, chain)
        per_round = args.seconds / args.rounds
        for number in range(args.rounds):
            for server, result in zip(servers, results, strict=True):
                print(f"  round {number + 1}: {server.label}", file=sys.stderr, flush=True)
                warmup = args.warmup if number == 0 else 0.0
                result.add(drive(server, visit, chain, args.clients, per_round, warmup))
    finally:
        for server in servers:
            lines = stop_server(server)
            for line in lines:
                if line.startswith("certificate fetches:"):
                    fetches = line.rsplit(":", 1)[1].strip()
    return Measurement(results, args, fetches)


def main(argv: list[str] | None = None) -> list[Figure]:
    """Measure once, print the figures, and return the headline ones (``argv``: the options,
    from the command line if None)."""
    measured = measure(parse_args(argv))
    report(measured)
    return figures(measured)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def run(argv: list[str] | None = None) -> int:
    """:func:`main`; on Ctrl-C or SIGTERM the servers are stopped and the status is 130."""
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        main(argv)
    except KeyboardInterrupt:
        print("bench.load: interrupted; servers stopped", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(run())
