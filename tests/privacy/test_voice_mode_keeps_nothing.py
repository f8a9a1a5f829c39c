"""Voice mode: what a person says about symptoms reaches no log and no file."""

from __future__ import annotations

import io
import json
import logging
import shutil
from pathlib import Path

import pytest

from local_voice.synthetic import espeak_wav
from skill.cli import main

#: A spoken "no" to a red-flag question counts once it is said twice (hearing can be wrong).
SAID = ["should i see a doctor", "no", "no", "no", "no", "yes", "no", "no", "no", "no"]


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_spoken_answers_reach_no_log_and_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    audio = tmp_path.parent / f"{tmp_path.name}-audio"
    audio.mkdir()
    files = [espeak_wav(line, audio / f"{n}.wav") for n, line in enumerate(SAID)]
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("HOME", str(work))
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    out = io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    caplog.set_level(logging.DEBUG)
    assert main(["voice", "--jsonl", "--audio-in", *map(str, files)]) == 0
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert records[-1]["triage_outcome"] == "see_professional"
    assert "see a doctor" not in caplog.text.lower()
    assert [r.getMessage() for r in caplog.records if "heard" in r.getMessage().lower()] == []
    # The sound system may leave its own empty config folders; no file holds anything.
    assert [p for p in work.rglob("*") if p.is_file() and not p.is_symlink()] == []
