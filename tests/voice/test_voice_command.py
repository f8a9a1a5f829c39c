"""``twitch-guide voice`` as a person runs it: WAV files in, a whole check, clear words when the
machine lacks a microphone, sound output or espeak-ng, and clean endings."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import wave
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from voice_support import ROOT, VOICE_FIXTURES, needs_espeak, needs_flite, run_cli

from local_voice.audio import Audio, read_wav, resample, rms, write_wav
from local_voice.synthetic import FLITE_VOICES
from skill.understanding import Understander

CHECKS = [
    pytest.param(check, id=f"{check['outcome']}-{check['voice']}", marks=needs_flite)
    if check["voice"] in FLITE_VOICES
    else pytest.param(check, id=f"{check['outcome']}-{check['voice']}")
    for check in json.loads((VOICE_FIXTURES / "checks.json").read_text())
]


def _records(stdout: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in stdout.splitlines()]


@needs_espeak
@pytest.mark.parametrize("check", CHECKS)
def test_a_whole_check_said_aloud_reaches_its_outcome(
    check: dict[str, object],
    spoken_file: Callable[..., Path],
    understander: Understander,
    tmp_path: Path,
) -> None:
    lines = check["lines"]
    assert isinstance(lines, list)
    files = [spoken_file(line, str(check["voice"])) for line in lines]
    # One turn as a 44.1 kHz stereo file: any WAV layout is taken.
    mono = resample(read_wav(files[0]), 44100)
    stereo = tmp_path / "stereo.wav"
    with_two = np.repeat(mono.samples()[:, None], 2, axis=1).reshape(-1).tobytes()
    with wave.open(str(stereo), "wb") as wav:
        wav.setnchannels(2)
        wav.setsampwidth(2)
        wav.setframerate(44100)
        wav.writeframes(with_two)
    result = run_cli("voice", "--jsonl", "--audio-in", str(stereo), *map(str, files[1:]))
    assert result.returncode == 0, result.stderr
    records = _records(result.stdout)
    assert records[0]["intent"] == "LaunchRequest" and records[0]["heard"] is None
    if check["voice"] in FLITE_VOICES:  # "nope" for "no" is the same answer
        said = [understander.understand(str(line)).intent for line in lines]
        assert [r["intent"] for r in records[1:]] == said, [r["heard"] for r in records]
    else:
        assert [r["heard"] for r in records[1:]] == lines
    assert records[-1]["triage_outcome"] == check["outcome"]
    assert records[-1]["end_session"] is (check["outcome"] == "urgent")
    assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) <= 1


def test_three_turns_not_heard_offer_the_keyboard(tmp_path: Path) -> None:
    noise = np.random.default_rng(3).integers(-20, 21, 16000).astype("<i2").tobytes()
    files = []
    for number in range(3):
        files.append(tmp_path / f"quiet{number}.wav")
        write_wav(files[-1], Audio(noise, 16000))
    result = run_cli("voice", "--jsonl", "--audio-in", *map(str, files))
    records = _records(result.stdout)
    assert [r["intent"] for r in records[1:]] == [None, None, None]
    assert all("didn't catch that" in str(r["speech"]) for r in records[1:])
    assert ["type" in str(r["speech"]) for r in records[1:]] == [False, False, True]


def test_without_a_microphone_it_says_so_once_and_takes_the_keyboard(
    no_microphone: None,
) -> None:
    result = run_cli("voice", stdin="is twitching dangerous\nstop\n")
    assert result.returncode == 0
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "microphone" in result.stderr and "type" in result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 3 and "not medical advice" in lines[0] and "goodbye" in lines[2].lower()


def test_without_espeak_ng_it_says_so_once_and_answers_in_text(tmp_path: Path) -> None:
    bare = tmp_path / "bin"
    bare.mkdir()  # a PATH with neither espeak-ng nor aplay
    env = {**os.environ, "PATH": str(bare)}
    result = run_cli("voice", "--keyboard", "--jsonl", stdin="what causes it\n", env=env)
    assert result.returncode == 0
    assert len(result.stderr.splitlines()) == 1 and "espeak-ng" in result.stderr
    assert "Traceback" not in result.stderr
    assert [r["intent"] for r in _records(result.stdout)] == ["LaunchRequest", "CausesIntent"]


@needs_espeak
def test_wav_dir_keeps_every_reply_and_nothing_the_person_said(tmp_path: Path) -> None:
    out = tmp_path / "replies"
    result = run_cli("voice", "--keyboard", "--wav-dir", str(out), stdin="what causes it\n")
    assert result.returncode == 0
    written = sorted(out.iterdir())
    assert [p.name for p in written] == ["reply-001.wav", "reply-002.wav"]
    assert all(rms(read_wav(p)) > 1000 for p in written)


def test_an_unreadable_audio_file_or_bad_option_is_one_clear_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.wav"
    bad.write_text("hello")
    result = run_cli("voice", "--audio-in", str(bad))
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "bad.wav" in result.stderr
    result = run_cli("voice", "--volume", "3")
    assert result.returncode == 2 and "volume" in result.stderr and "Traceback" not in result.stderr


def test_ctrl_c_ends_cleanly() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "skill.cli", "voice", "--keyboard"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert process.stdout is not None
    assert "not medical advice" in process.stdout.readline()
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130
    assert "Traceback" not in stderr
