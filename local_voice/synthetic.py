"""Synthetic speakers for tests and benchmarks: a speech synthesiser saying a line, as the
recogniser would hear it from a microphone (16 kHz, some silence around it, a little noise).

Two synthesisers that make speech in different ways: espeak-ng (formant rules; the recogniser
was tuned on it) and flite (voices built from recordings of people; the recogniser was never
tuned on it, so it shows how far the tuning carries to speech it has not heard)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np

from local_voice.audio import SAMPLE_RATE, load_for_recognition

#: espeak-ng voices that sound unlike each other: US and British English, a woman's and a
#: man's variant.
VOICES = ("en-us", "en-gb", "en+f3", "en+m3")

#: flite's voices: a US woman (slt), a US man (rms), a Scottish man (awb), a US man (kal16).
FLITE_VOICES = ("slt", "rms", "awb", "kal16")

#: Each flite voice's own pace in espeak-ng's words a minute: at this ``-s``, espeak-ng's
#: en-us voice takes as long over the same lines (``bench/flite_pace.py`` measures it).
FLITE_PACE = {"slt": 164, "rms": 145, "awb": 167, "kal16": 163}


def espeak_wav(text: str, path: Path, voice: str = "en-us", wpm: int = 175) -> Path:
    """Have the espeak-ng program say ``text`` into the WAV file ``path`` (22050 Hz)."""
    return _run("espeak-ng", ["-v", voice, "-s", str(wpm), "-w", str(path), text], path)


def flite_wav(text: str, path: Path, voice: str = "slt", wpm: int | None = None) -> Path:
    """Have the flite program say ``text`` into the WAV file ``path`` (16 kHz, or 8 kHz for
    kal): at ``wpm`` words a minute as espeak-ng counts them, or at the voice's own pace."""
    pace = ["--setf", f"duration_stretch={FLITE_PACE[voice] / wpm:.3f}"] if wpm else []
    return _run("flite", ["-voice", voice, *pace, "-t", text, "-o", str(path)], path)


def say_to_wav(text: str, path: Path, voice: str = "en-us", wpm: int = 175) -> Path:
    """``text`` said into ``path`` by the synthesiser that has ``voice``: flite for one of
    :data:`FLITE_VOICES`, espeak-ng for any other."""
    if voice in FLITE_VOICES:
        return flite_wav(text, path, voice, wpm)
    return espeak_wav(text, path, voice, wpm)


def _run(name: str, arguments: list[str], path: Path) -> Path:
    program = shutil.which(name)
    if program is None:
        raise FileNotFoundError(f"{name} is not installed")
    subprocess.run([program, *arguments], check=True, capture_output=True, timeout=60)
    return path


def sounding_seconds(path: Path, floor: int = 300) -> float:
    """Seconds from the first to the last 10 ms frame whose peak reaches ``floor``."""
    samples = np.frombuffer(load_for_recognition(path), dtype="<i2")
    frame = SAMPLE_RATE // 100
    peaks = np.abs(samples[: samples.size // frame * frame].reshape(-1, frame)).max(axis=1)
    loud = np.flatnonzero(peaks >= floor)
    return float(loud[-1] - loud[0] + 1) / 100 if loud.size else 0.0


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
    """``text`` spoken (see :func:`say_to_wav`), at 16 kHz mono 16-bit, with ``lead`` and
    ``tail`` seconds of quiet around it and uniform noise of ``noise`` steps everywhere
    (digital silence is unlike any microphone, and throws the recogniser's noise estimate)."""
    with tempfile.TemporaryDirectory(prefix="twitch-guide-") as folder:
        pcm = load_for_recognition(say_to_wav(text, Path(folder) / "said.wav", voice, wpm))
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
