"""How fast each flite voice speaks, in espeak-ng's words a minute: the figures in
``local_voice.synthetic.FLITE_PACE``, so that a rate means the same for both synthesisers.

For held-out lines, the time from the first to the last sound of each voice is compared with
espeak-ng's en-us voice at 175 words a minute; prints each voice's pace (the median over the
lines). ``python -m bench.flite_pace``.
"""

from __future__ import annotations

import statistics
import tempfile
from pathlib import Path

import numpy as np

from bench.understanding import HELD_OUT_SETS, load_examples
from local_voice.audio import SAMPLE_RATE, load_for_recognition
from local_voice.synthetic import FLITE_VOICES, espeak_wav, flite_wav

REFERENCE_WPM = 175
LINES = 150


def sounding_seconds(path: Path, floor: int = 300) -> float:
    """Seconds from the first to the last 10 ms frame whose peak reaches ``floor``."""
    samples = np.frombuffer(load_for_recognition(path), dtype="<i2")
    frame = SAMPLE_RATE // 100
    peaks = np.abs(samples[: samples.size // frame * frame].reshape(-1, frame)).max(axis=1)
    loud = np.flatnonzero(peaks >= floor)
    return float(loud[-1] - loud[0] + 1) / 100 if loud.size else 0.0


def main() -> dict[str, int]:
    """Print and return each flite voice's pace."""
    lines = [e.text for e in load_examples(HELD_OUT_SETS["A"])][:LINES]
    paces: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as folder:
        wav = Path(folder) / "said.wav"
        reference = [sounding_seconds(espeak_wav(t, wav, "en-us", REFERENCE_WPM)) for t in lines]
        for voice in FLITE_VOICES:
            ratios = [
                REFERENCE_WPM * seconds / sounding_seconds(flite_wav(text, wav, voice))
                for text, seconds in zip(lines, reference, strict=True)
            ]
            paces[voice] = round(statistics.median(ratios))
            print(f"{voice:6s} {paces[voice]} words a minute (as espeak-ng counts them)")
    return paces


if __name__ == "__main__":
    main()
