"""Text mode: what a person types about symptoms reaches no log and no file."""

from __future__ import annotations

import io
import logging
import os
from pathlib import Path

import pytest

from skill.cli import main

#: Answers to every red-flag question; none of their words may be written down.
ANSWERS = [
    "should i see a doctor",
    "yes my left hand is weak",
    "not sure about the tingling",
    "nope",
    "yes it keeps spreading",
    "no i do not",
]
TELLING = ["left hand", "tingling", "nope", "spreading", "i do not"]


def test_answers_reach_no_log_and_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(ANSWERS) + "\n"))
    out = io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    caplog.set_level(logging.DEBUG)
    assert main(["text", "--jsonl"]) == 0
    assert '"triage_outcome": "see_professional"' in out.getvalue()
    assert [word for word in TELLING if word in caplog.text] == []
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert written == [], written
    assert os.listdir(tmp_path) == []
