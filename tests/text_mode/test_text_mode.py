"""Text mode through the real console command: plain lines, a whole check, clean endings."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

CHECKS = Path(__file__).parents[1] / "fixtures" / "text_sessions"
ESCAPES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _run(stdin: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "skill.cli", "text", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_starts_with_the_launch_reply_and_ends_at_end_of_input() -> None:
    result = _run("")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and "not medical advice" in lines[0]
    assert result.stderr == ""


def test_plain_text_only_one_line_per_reply_and_blank_lines_skipped() -> None:
    result = _run("what causes twitching\n\n   \nyes\n")
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    assert not ESCAPES.search(result.stdout.replace("\n", ""))
    assert all(line.isascii() for line in lines)


def test_stop_says_goodbye_and_ends() -> None:
    result = _run("stop\nwhat causes twitching\n")
    lines = result.stdout.splitlines()
    assert len(lines) == 2 and "goodbye" in lines[1].lower()
    assert result.returncode == 0


@pytest.mark.parametrize("script", sorted(CHECKS.glob("*.json")), ids=lambda p: p.stem)
def test_a_whole_check_typed_reaches_its_outcome(script: Path) -> None:
    session = json.loads(script.read_text())
    result = _run("\n".join(session["lines"]) + "\n", "--jsonl")
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records[0]["intent"] == "LaunchRequest" and records[0]["heard"] is None
    for record in records:
        assert {"heard", "intent", "speech", "end_session", "triage_outcome"} <= set(record)
    assert [r["intent"] for r in records[1:]] == session["intents"]
    assert records[-1]["triage_outcome"] == session["outcome"]
    assert records[-1]["end_session"] is session["ends"]
