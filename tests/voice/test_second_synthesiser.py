"""The recogniser hears a second synthesiser, flite, that it was never tuned on.

Every choice of the recogniser's (pronunciations, weights, thresholds) was measured on espeak-ng's
voices, so its figures on them may flatter it. flite's voices are built from recordings of
people, a different way of making speech; hearing them as well shows the tuning carries to
speech it has not heard. The floors are set a little under what was measured.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from pathlib import Path

import pytest
from voice_support import (
    COMMON_ANSWERS,
    RATES,
    heard_right,
    needs_espeak,
    needs_flite,
    read_lines,
    taken_as,
)

from local_voice.recogniser import Recogniser
from local_voice.synthetic import FLITE_VOICES, espeak_wav, flite_wav, sounding_seconds
from skill.session import LocalSession
from skill.state import DialogueState
from skill.understanding import Understander

pytestmark = [needs_espeak, needs_flite]
LINES = read_lines("spoken_intents.tsv")


@pytest.mark.parametrize("voice", FLITE_VOICES)
def test_a_rate_means_the_same_for_both_synthesisers(voice: str, tmp_path: Path) -> None:
    """flite at 150 and 200 words a minute takes about as long over a line as espeak-ng does
    (within 12 %)."""
    lines = [line.text for line in LINES[:8]]
    for rate in RATES:
        ratios = [
            sounding_seconds(flite_wav(text, tmp_path / "flite.wav", voice, rate))
            / sounding_seconds(espeak_wav(text, tmp_path / "espeak.wav", "en-us", rate))
            for text in lines
        ]
        # Measured when written: 0.94 to 1.07; with the rate not passed on, 0.85 to 1.40.
        assert 0.88 <= statistics.median(ratios) <= 1.12, (rate, ratios)


def test_intents_come_out_right_in_flite_voices(
    recogniser: Recogniser, understander: Understander, spoken: Callable[..., bytes]
) -> None:
    right: dict[str, list[bool]] = {"model": [], "new": []}
    for line in LINES:
        for voice in FLITE_VOICES:
            for rate in RATES:
                ok = heard_right(line, recogniser, understander, spoken(line.text, voice, rate))
                right[line.source].append(ok)
    shares = {source: sum(flags) / len(flags) for source, flags in right.items()}
    # Measured when written: model lines 97.6 %, new lines 97.7 % (espeak-ng's four voices,
    # test_recognition: 55 % and 75 %).
    assert shares["model"] >= 0.93, shares
    assert shares["new"] >= 0.93, shares


def test_common_answers_in_flite_voices_while_a_question_waits(
    recogniser: Recogniser, spoken: Callable[..., bytes]
) -> None:
    session = LocalSession.for_locale("en-US")
    session.start()
    asking: DialogueState = session.hear("should i see a doctor").state
    wrong = []
    recogniser.expect_answer(True)
    try:
        for text, intent in COMMON_ANSWERS:
            for voice in FLITE_VOICES:
                for rate in RATES:
                    heard = recogniser.recognise(spoken(text, voice, rate))
                    if taken_as(session, asking, heard) != intent:
                        wrong.append((text, voice, rate, heard.text))
    finally:
        recogniser.expect_answer(False)
    # Measured when written: 2 of 80 wrong, "yes" heard as "you're rushing" and "no" as "no
    # he" (espeak-ng's four voices, test_recognition: 12 of 80).
    assert len(wrong) <= 4, wrong
