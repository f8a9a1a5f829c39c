"""``twitch-guide serve`` runs the skill under waitress; ``text`` never loads Flask."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from alexa_support import body, own

BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _post(port: int, data: bytes) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/", data=data, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            status: int = response.status
            return status
    except urllib.error.HTTPError as error:
        return error.code


def _serve(*args: str) -> tuple[subprocess.Popen[str], int]:
    port = _free_port()
    server = subprocess.Popen(
        [str(BIN / "twitch-guide"), "serve", "--port", str(port), *args],
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "TWITCH_GUIDE_SKILL_ID": ""},
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return server, port
        time.sleep(0.1)
    server.kill()
    raise AssertionError("the server did not start")


def _stop(server: subprocess.Popen[str]) -> str:
    server.terminate()
    _, err = server.communicate(timeout=10)
    return err


def test_serve_no_verify_answers_over_http_and_warns() -> None:
    server, port = _serve("--no-verify")
    try:
        assert _post(port, body(own("launch"))) == 200
        assert _post(port, b"{bad json") == 400
        assert _post(port, b"x" * (65 * 1024)) == 413
    finally:
        err = _stop(server)
    warnings = [line for line in err.splitlines() if "--no-verify" in line]
    assert len(warnings) == 1 and "WARNING" in warnings[0]


def test_serve_verifies_by_default() -> None:
    server, port = _serve("--skill-id", "amzn1.ask.skill.test")
    try:
        assert _post(port, body(own("launch"))) == 400
    finally:
        err = _stop(server)
    assert "--no-verify" not in err


def test_text_mode_does_not_import_flask() -> None:
    code = (
        "import io, sys; from skill.cli import main; sys.stdin = io.StringIO('help\\n'); "
        "main(['text']); assert 'flask' not in sys.modules and 'ask_sdk_core' not in sys.modules"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()


def test_ctrl_c_ends_the_webservice_cleanly() -> None:
    server, port = _serve("--no-verify")
    assert _post(port, body(own("launch"))) == 200
    server.send_signal(signal.SIGINT)
    _, err = server.communicate(timeout=30)
    assert server.returncode == 0  # waitress takes Ctrl-C as the way to stop serving
    assert "Traceback" not in err
