"""Local understanding and text mode take any input: arbitrary Unicode, empty and huge lines;
Ctrl-C ends them cleanly."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skill.intents import ALL_INTENTS
from skill.session import LocalSession
from skill.understanding import Understander

UNDERSTANDER = Understander.for_locale("en-US")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_understanding_takes_any_text(text: str) -> None:
    result = UNDERSTANDER.understand(text)
    assert result.intent in ALL_INTENTS
    assert 0.0 <= result.confidence <= 1.0
    assert result.text == text


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=200), max_size=15))
def test_a_local_session_answers_any_lines(lines: list[str]) -> None:
    session = LocalSession.for_locale("en-US")
    session.start()
    for line in lines:
        turn = session.hear(line)
        assert turn.reply.speech
        if turn.reply.end_session:
            break


def test_text_mode_survives_strange_and_huge_lines() -> None:
    lines = ["", "\u0000\u0007\u001b[31m", "🙂" * 1000, "x" * 200_000, "\ud7ff\ue000", "yes"]
    result = subprocess.run(
        [sys.executable, "-m", "skill.cli", "text", "--jsonl"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 1 + 5  # the launch, then one reply for each non-empty line
    assert result.stderr == ""


@pytest.mark.parametrize(
    "mode,first_line,answer",
    [
        ("text", None, "not medical advice"),  # the launch reply comes unasked
        ("understand", "is twitching dangerous", '"DangerIntent"'),
    ],
)
def test_ctrl_c_ends_a_local_mode_cleanly(mode: str, first_line: str | None, answer: str) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "skill.cli", mode],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdin is not None and process.stdout is not None
    if first_line is not None:
        process.stdin.write(first_line + "\n")
        process.stdin.flush()
    assert answer in process.stdout.readline()  # up, and waiting for the next line
    time.sleep(0.1)
    os.kill(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130
    assert "Traceback" not in stderr
