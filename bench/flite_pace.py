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

from bench.understanding import HELD_OUT_SETS, load_examples
from local_voice.synthetic import FLITE_VOICES, espeak_wav, flite_wav, sounding_seconds

REFERENCE_WPM = 175
LINES = 150


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
