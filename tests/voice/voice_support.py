"""Helpers for the voice tests: labelled lines, the command line, what they need."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

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
