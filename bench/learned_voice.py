"""After the person has read the enrolment sentences once: how well each voice is heard.

For each of espeak-ng's four voices: its 12 enrolment sentences, said at 175 words a minute
(neither of the rates it is then heard at), teach the recogniser that voice
(:mod:`local_voice.adaptation`); then the held-out lines (later in a session, and each as a
session's first utterance) and every answer phrasing, said at 150 and 200 words a minute, are
heard as in ``bench/voice.py``. The sentences are interaction
model samples; the held-out lines are not, so nothing heard here was learned from.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench.report import Figure
from bench.voice import (
    Outcome,
    answers,
    flags,
    held_out,
    percent,
    print_by_voice,
    recognise_all,
    share,
    spoken,
    waiting_for_answer,
)
from local_voice.adaptation import Reading, install_command, learn_voice, missing_packages
from local_voice.enrolment import load_enrolment
from local_voice.recogniser import Recogniser
from local_voice.synthetic import VOICES, speech
from skill import intents as i
from skill.understanding import Understander

#: The pace the enrolment sentences are read at.
ENROLMENT_RATE = 175


def main() -> list[Figure]:
    """Print the figures after learning each voice; return the headline ones."""
    missing = missing_packages()
    if missing:
        print(f"learned voice: skipped, needs {install_command(missing)}")
        return []
    sentences = load_enrolment("en-US").sentences
    print(
        f"learned voice: each of {', '.join(VOICES)} reads the {len(sentences)} enrolment "
        f"sentences once at {ENROLMENT_RATE} words a minute, then is heard as in 'voice'"
    )
    lines = held_out(Understander.for_locale("en-US"))
    replies_said = answers()
    outcomes: dict[tuple[str, int], list[Outcome]] = {}
    replies: dict[tuple[str, int], list[Outcome]] = {}
    firsts: dict[tuple[str, int], list[Outcome]] = {}
    learning: list[float] = []
    factors: list[float] = []
    with tempfile.TemporaryDirectory(prefix="bench-voice-") as folder:
        for voice in VOICES:
            plain = Recogniser.for_locale("en-US")
            readings = [
                Reading(s, speech(s, voice, ENROLMENT_RATE, seed=500 + n))
                for n, s in enumerate(sentences)
            ]
            start = time.perf_counter()
            profile = learn_voice(
                readings, plain.lexicon.dictionary_lines(), Path(folder) / f"{voice}.mllr"
            )
            learning.append(time.perf_counter() - start)
            plain.close()
            recogniser = Recogniser.for_locale("en-US", voice_profile=profile)
            try:
                said_lines = spoken(lines, (voice,))
                heard, factor = recognise_all(recogniser, said_lines)
                outcomes.update(heard)
                factors.append(factor)
                heard_first, _ = recognise_all(recogniser, said_lines, first=True)
                firsts.update(heard_first)
                said, _ = recognise_all(
                    recogniser, spoken(replies_said, (voice,)), waiting_for_answer()
                )
                replies.update(said)
            finally:
                recogniser.close()
    print(f"  learning took {min(learning):.1f} to {max(learning):.1f} s a voice")
    print(
        f"  real-time factor on the held-out lines {min(factors):.3f} to {max(factors):.3f} a "
        "voice (the transform moves the model's means once, as the recogniser starts)"
    )
    accuracy = share(flags(outcomes))
    print(f"spoken intent accuracy, held-out lines: {percent(flags(outcomes))}")
    print_by_voice(outcomes, VOICES)
    first_accuracy = share(flags(firsts))
    print(f"  the same, each line the first utterance of a session: {percent(flags(firsts))}")
    answered = share(flags(replies))
    print(
        f"yes / no / not sure accuracy, while a red-flag question waits: {percent(flags(replies))}"
    )
    print_by_voice(replies, VOICES)
    every = [o for values in replies.values() for o in values]
    wrong_no = sum(o.example.intent != i.NO and o.intent == i.NO for o in every)
    taken = f"{wrong_no} of {sum(o.example.intent != i.NO for o in every)}"
    print(f"  yes or not sure taken for no: {taken}")
    return [
        Figure(
            "voice",
            "spoken intent accuracy, voice learned",
            f"{accuracy:.1f} %",
            ">= 90 %",
            accuracy >= 90,
        ),
        Figure(
            "voice",
            "spoken intent accuracy, first utterance, voice learned",
            f"{first_accuracy:.1f} %",
            ">= 90 %",
            first_accuracy >= 90,
        ),
        Figure(
            "voice",
            "yes / no / not sure accuracy, voice learned",
            f"{answered:.1f} %",
            ">= 99 %",
            answered >= 99,
        ),
        Figure("voice", "yes or not sure taken for no, voice learned", taken, "-", None),
    ]


if __name__ == "__main__":
    main()
