"""Synthetic speakers for tests and benchmarks: the espeak-ng program saying a line, as the
recogniser would hear it from a microphone (16 kHz, some silence around it, a little noise)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np

from local_voice.audio import SAMPLE_RATE, load_for_recognition

#: Voices that sound unlike each other: US and British English, a woman's and a man's variant.
VOICES = ("en-us", "en-gb", "en+f3", "en+m3")


def espeak_wav(text: str, path: Path, voice: str = "en-us", wpm: int = 175) -> Path:
    """Have the espeak-ng program say ``text`` into the WAV file ``path`` (22050 Hz)."""
    program = shutil.which("espeak-ng")
    if program is None:
        raise FileNotFoundError("espeak-ng is not installed")
    subprocess.run(
        [program, "-v", voice, "-s", str(wpm), "-w", str(path), text],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return path


def speech(
    text: str,
    voice: str = "en-us",
    wpm: int = 175,
    *,
    lead: float = 0.4,
    tail: float = 0.4,
    noise: int = 8,
    seed: int = 0,
) -> bytes:
    """``text`` spoken, at 16 kHz mono 16-bit, with ``lead`` and ``tail`` seconds of quiet
    around it and uniform noise of ``noise`` steps everywhere (digital silence is unlike any
    microphone, and throws the recogniser's noise estimate)."""
    with tempfile.TemporaryDirectory(prefix="twitch-guide-") as folder:
        pcm = load_for_recognition(espeak_wav(text, Path(folder) / "said.wav", voice, wpm))
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.int32)
    padded = np.concatenate(
        [
            np.zeros(int(lead * SAMPLE_RATE), np.int32),
            samples,
            np.zeros(int(tail * SAMPLE_RATE), np.int32),
        ]
    )
    if noise:
        padded += np.random.default_rng(seed).integers(-noise, noise + 1, padded.size)
    heard: bytes = np.clip(padded, -32768, 32767).astype("<i2").tobytes()
    return heard
