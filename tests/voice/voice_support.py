"""Helpers for the voice tests: labelled lines, how a heard line is judged, the command line,
what they need."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from local_voice.recogniser import Recogniser, Recognition
from local_voice.synthetic import speech
from skill.intents import NO, UNSURE, YES
from skill.session import LocalSession
from skill.state import DialogueState
from skill.understanding import Understander

VOICE_FIXTURES = Path(__file__).parents[1] / "fixtures" / "voice"
ROOT = Path(__file__).parents[2]

needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None, reason="espeak-ng is not installed (scripts/setup.sh)"
)
needs_flite = pytest.mark.skipif(
    shutil.which("flite") is None, reason="flite is not installed (scripts/setup.sh --dev)"
)


@dataclass(frozen=True)
class Line:
    """A labelled line of the fixture files."""

    text: str
    intent: str
    slots: dict[str, str]
    source: str


def read_lines(name: str) -> list[Line]:
    """The labelled lines of ``tests/fixtures/voice/<name>``."""
    with (VOICE_FIXTURES / name).open(encoding="utf-8", newline="") as handle:
        return [
            Line(
                row["utterance"],
                row["intent"],
                dict(p.split("=", 1) for p in row["slots"].split(",") if p),
                row["source"],
            )
            for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        ]


def run_cli(
    *args: str, stdin: str = "", env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """``twitch-guide`` in a subprocess, as a person would start it."""
    return subprocess.run(
        [sys.executable, "-m", "skill.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env=env,
    )


#: The two rates every voice says the lines at, in words a minute.
RATES = (150, 200)

#: The answers people give most, each said by every voice at both rates (80 utterances).
COMMON_ANSWERS = (
    ("yes", YES),
    ("yeah", YES),
    ("no", NO),
    ("nope", NO),
    ("not sure", UNSURE),
    ("yes i have", YES),
    ("yes i do", YES),
    ("no i haven't", NO),
    ("no i don't", NO),
    ("i'm not sure", UNSURE),
)


def heard_right(line: Line, recogniser: Recogniser, understander: Understander, pcm: bytes) -> bool:
    """Whether ``pcm`` is heard and understood as ``line`` (its intent, and its slots if any)."""
    heard = recogniser.recognise(pcm)
    if not heard.accepted or heard.text is None:
        return False
    result = understander.understand_heard(heard.alternatives)
    return result.intent == line.intent and (not line.slots or result.slots == line.slots)


def taken_as(session: LocalSession, asking: DialogueState, heard: Recognition) -> str | None:
    """The intent the session takes ``heard`` for while the first red-flag question waits."""
    session.state = asking
    turn = session.hear(
        heard.text or "", spoken=True, answer=heard.answer, alternatives=heard.alternatives
    )
    return turn.understanding.intent if turn.understanding is not None else None


#: ALSA's capture device: the ``file`` plugin reads INFILE as raw 16 kHz mono 16-bit audio.
ASOUNDRC = """pcm.!default {{
    type file
    slave.pcm "null"
    file "/dev/null"
    infile "{infile}"
    format "raw"
}}
"""


def home_with_microphone(tmp_path: Path, said: str) -> dict[str, str]:
    """An environment whose ALSA default device hears ``said`` (espeak-ng's voice), from the
    start again each time it is opened."""
    infile = tmp_path / "microphone.raw"
    infile.write_bytes(speech(said, "en-us", 175, seed=1))
    (tmp_path / ".asoundrc").write_text(ASOUNDRC.format(infile=infile))
    return {**os.environ, "HOME": str(tmp_path)}


def microphone_works(env: dict[str, str]) -> bool:
    """Whether PortAudio, in ``env``, sees a capture device (libportaudio2 is installed)."""
    probe = (
        "import sounddevice as s; print(any(d['max_input_channels'] for d in s.query_devices()))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=30
    )
    return result.stdout.strip() == "True"
