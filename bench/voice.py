"""Voice mode: spoken intent accuracy, yes/no accuracy, recogniser speed and reply latency.

The speakers are espeak-ng voices (synthetic speech, far from the people the acoustic model was
trained on), and then, for the accuracy figures, flite's voices (built from recordings of
people; the recogniser was never tuned on them): figures for real voices will differ.
Targets: intent accuracy >= 90 % on held-out lines, yes/no >= 99 %, real-time factor <= 0.1 on
2 cores, end of speech to first reply audio <= 300 ms. Prints figures; asserts nothing.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from bench.report import Figure
from bench.understanding import HELD_OUT_SETS, Example, load_examples
from local_voice.listening import frames_of
from local_voice.recogniser import Recogniser, Recognition
from local_voice.synthetic import FLITE_VOICES, VOICES, speech
from local_voice.tts import Synthesiser
from local_voice.vad import UtteranceDetector
from skill import intents as i
from skill.interaction_model import load_interaction_model
from skill.session import LocalSession
from skill.state import DialogueState
from skill.understanding import Understander, normalise

RATES = (150, 200)
ANSWERS = (i.YES, i.NO, i.UNSURE)
LATENCY_LINES = (
    "is muscle twitching dangerous",
    "should i see a doctor",
    "can stress make my muscles twitch",
    "what can i do about it",
    "tell me more",
)

Spoken = tuple[Example, str, int, bytes]


def held_out(understander: Understander) -> list[Example]:
    """Held-out lines that are not model samples and not off-topic."""
    return [
        e
        for e in load_examples(HELD_OUT_SETS["A"])
        if e.intent != i.FALLBACK and not understander.is_sample(normalise(e.text))
    ]


def answers() -> list[Example]:
    """Every way the interaction model says yes, no, or not sure."""
    model = load_interaction_model("en-US")
    return [Example(s, intent, {}) for intent in ANSWERS for s in model.intents[intent].samples]


def spoken(examples: list[Example], voices: tuple[str, ...] = VOICES) -> list[Spoken]:
    """Each example said by each voice at each rate (two synthesis jobs at a time)."""
    jobs = [(e, v, r, n) for v in voices for r in RATES for n, e in enumerate(examples)]
    with ThreadPoolExecutor(2) as pool:
        audio = pool.map(lambda job: speech(job[0].text, job[1], job[2], seed=job[3]), jobs)
        return [(e, v, r, pcm) for (e, v, r, _), pcm in zip(jobs, audio, strict=True)]


@dataclass(frozen=True)
class Outcome:
    """What became of one spoken line: the recognition, and the intent the session took."""

    example: Example
    recognition: Recognition
    intent: str | None

    @property
    def right(self) -> bool:
        """A turn not heard counts as wrong."""
        return self.recognition.accepted and self.intent == self.example.intent


def recognise_all(
    recogniser: Recogniser,
    items: Iterable[Spoken],
    state: DialogueState | None = None,
    *,
    first: bool = False,
) -> tuple[dict[tuple[str, int], list[Outcome]], float]:
    """Each line heard as voice mode hears it in ``state`` (a red-flag question waiting, or
    not): the intent the session takes, per voice and rate; and the real-time factor.

    With ``first``, each line is the first utterance of a session: the recogniser forgets the
    voice it had got used to (its cepstral mean) before each one, as a new session starts."""
    session = LocalSession.for_locale("en-US")
    before = state or DialogueState()
    recogniser.expect_answer(before.in_check)
    outcomes: dict[tuple[str, int], list[Outcome]] = defaultdict(list)
    busy = heard = 0.0
    for example, voice, rate, pcm in items:
        if first:
            recogniser.forget_voice()
        start = time.perf_counter()
        result = recogniser.recognise(pcm)
        busy += time.perf_counter() - start
        heard += len(pcm) / 2 / 16_000
        session.state = before
        intent = None
        if result.text:
            turn = session.hear(
                result.text, spoken=True, answer=result.answer, alternatives=result.alternatives
            )
            intent = turn.understanding.intent if turn.understanding else None
        outcomes[(voice, rate)].append(Outcome(example, result, intent))
    recogniser.expect_answer(False)
    return outcomes, busy / heard


def waiting_for_answer() -> DialogueState:
    """The state while the first red-flag question waits for its answer."""
    session = LocalSession.for_locale("en-US")
    session.start()
    state = session.hear("should i see a doctor").state
    assert state.in_check
    return state


def latency(recogniser: Recogniser, *, first: bool = False) -> tuple[list[float], list[float]]:
    """For a few questions streamed frame by frame: ms from the detector's end-of-speech event
    to the reply's audio being ready, and ms of trailing quiet the detector needed first. With
    ``first``, each question is the first utterance of a session (see :func:`recognise_all`)."""
    synthesiser = Synthesiser()
    ready_ms, hangover_ms = [], []
    with tempfile.TemporaryDirectory() as folder:
        for number, line in enumerate(LATENCY_LINES):
            if first:
                recogniser.forget_voice()
            session = LocalSession.for_locale("en-US")
            session.start()
            pcm = speech(line, lead=0.5, tail=1.5, seed=number)
            speech_end = len(pcm) / 2 / 16_000 - 1.5
            detector = UtteranceDetector()
            for index, frame in enumerate(frames_of(pcm, detector.frame_bytes)):
                step = detector.process(frame)
                if step.started:
                    recogniser.start()
                if step.speech is not None:
                    recogniser.feed(step.speech)
                if step.ended:
                    start = time.perf_counter()
                    result = recogniser.finish()
                    turn = session.hear(
                        result.text or "", spoken=True, alternatives=result.alternatives
                    )
                    text = " ".join(p.text for p in turn.reply.speech)
                    synthesiser.render(text, Path(folder) / "reply.wav", turn.reply.rate)
                    ready_ms.append(1000 * (time.perf_counter() - start))
                    stream_time = (index + 1) * detector.frame_bytes / 2 / 16_000
                    hangover_ms.append(1000 * (stream_time - speech_end))
                    break
    return ready_ms, hangover_ms


def percent(right: list[bool]) -> str:
    """The share of ``right`` that is true, and of how many."""
    return f"{100 * sum(right) / len(right):5.1f} % of {len(right)}" if right else "n/a"


def flags(outcomes: dict[tuple[str, int], list[Outcome]]) -> list[bool]:
    """Whether each outcome came out right, every voice and rate together."""
    return [o.right for values in outcomes.values() for o in values]


def print_by_voice(
    outcomes: dict[tuple[str, int], list[Outcome]], voices: tuple[str, ...] = VOICES
) -> None:
    """One line a voice: its share right at each rate."""
    for voice in voices:
        cells = "  ".join(
            f"{rate}: {percent([o.right for o in outcomes[(voice, rate)]])}" for rate in RATES
        )
        print(f"  {voice:6s}  {cells}")


def main() -> list[Figure]:
    """Print the voice figures in detail; return the headline ones."""
    start = time.perf_counter()
    recogniser = Recogniser.for_locale("en-US")
    build_ms = 1000 * (time.perf_counter() - start)
    try:
        return _measure(recogniser, build_ms)
    finally:
        recogniser.close()


def _measure(recogniser: Recogniser, build_ms: float) -> list[Figure]:
    understander = Understander.for_locale("en-US")
    print(
        f"voice: recogniser ready in {build_ms:.0f} ms; voices {', '.join(VOICES)}; "
        f"rates {RATES[0]} and {RATES[1]} words a minute (espeak-ng, synthetic speech)"
    )

    lines = held_out(understander)
    questions = spoken(lines)
    outcomes, rtf = recognise_all(recogniser, questions)
    print(
        f"spoken intent accuracy, {len(lines)} held-out lines not in the model: "
        f"{percent(flags(outcomes))} (target >= 90 %)"
    )
    print_by_voice(outcomes)
    unheard = sum(not o.recognition.accepted for v in outcomes.values() for o in v)
    print(f"  of which not heard (confidence below {recogniser.threshold}): {unheard}")
    firsts, _ = recognise_all(recogniser, questions, first=True)
    print(
        f"the same lines, each the first utterance of a session (the recogniser's estimate of "
        f"the voice reset to the acoustic model's before each): {percent(flags(firsts))}"
    )
    print_by_voice(firsts)
    accepted, first_accepted = heard_flags(outcomes), heard_flags(firsts)
    print(
        f"  heard (confidence at the threshold or above): {percent(first_accepted)}, against "
        f"{percent(accepted)} later in a session"
    )

    asking = waiting_for_answer()
    replies, answer_rtf = recognise_all(recogniser, spoken(answers()), asking)
    print(
        f"yes / no / not sure accuracy, every model sample of them, said while a red-flag "
        f"question waits: {percent(flags(replies))} (target >= 99 %)"
    )
    print_by_voice(replies)
    said = [o for values in replies.values() for o in values]
    wrong_no = [o for o in said if o.example.intent != i.NO and o.intent == i.NO]
    not_no = sum(o.example.intent != i.NO for o in said)
    print(
        f"  yes or not sure taken for no: {len(wrong_no)} of {not_no} (a spoken no counts "
        "only when said twice)"
    )
    interrupted, _ = recognise_all(recogniser, questions, asking)
    taken_for_no = sum(o.intent == i.NO for v in interrupted.values() for o in v)
    print(
        f"held-out lines said while a red-flag question waits: {percent(flags(interrupted))}; "
        f"taken for no: {taken_for_no}"
    )
    print(
        f"recogniser real-time factor: {rtf:.3f} (target <= 0.1; open model and phone loop), "
        f"{answer_rtf:.3f} while an answer is expected (answer grammar too); wall-clock time, "
        "with the phone loop and the answer grammar in a second process (2 cores here)"
    )

    ready, hangover = latency(recogniser)
    print(
        f"end of speech to first reply audio: median {statistics.median(ready):.0f} ms, "
        f"max {max(ready):.0f} ms (target <= 300 ms)"
    )
    first_ready, _ = latency(recogniser, first=True)
    print(
        f"  the same, each question the first utterance of a session: median "
        f"{statistics.median(first_ready):.0f} ms, max {max(first_ready):.0f} ms"
    )
    print(
        "  = the recogniser finishing the utterance + understanding + dialogue engine + "
        "pyttsx3 rendering the whole reply to WAV; the audio device's buffer is not included"
    )
    print(
        f"  before that, the speech detector waits for quiet: median "
        f"{statistics.median(hangover):.0f} ms after the last word (its 0.3 s window)"
    )
    flite = second_synthesiser(recogniser, lines, asking)
    accuracy = share(flags(outcomes))
    first_accuracy = share(flags(firsts))
    answered = share(flags(replies))
    in_check = share(flags(interrupted))
    return [
        Figure("voice", "spoken intent accuracy", f"{accuracy:.1f} %", ">= 90 %", accuracy >= 90),
        Figure(
            "voice",
            "spoken intent accuracy, first utterance",
            f"{first_accuracy:.1f} %",
            ">= 90 %",
            first_accuracy >= 90,
        ),
        Figure("voice", "held-out lines heard", f"{share(accepted):.1f} %", "-", None),
        Figure(
            "voice",
            "held-out lines heard, first utterance",
            f"{share(first_accepted):.1f} %",
            "-",
            None,
        ),
        Figure(
            "voice", "yes / no / not sure accuracy", f"{answered:.1f} %", ">= 99 %", answered >= 99
        ),
        Figure("voice", "yes or not sure taken for no", f"{len(wrong_no)} of {not_no}", "-", None),
        Figure("voice", "questions asked mid-check", f"{in_check:.1f} %", "-", None),
        *flite,
        Figure("voice", "real-time factor", f"{rtf:.3f}", "<= 0.1", rtf <= 0.1),
        Figure(
            "voice",
            "real-time factor, answer expected",
            f"{answer_rtf:.3f}",
            "<= 0.1",
            answer_rtf <= 0.1,
        ),
        Figure(
            "voice",
            "end of speech to reply audio",
            f"{statistics.median(ready):.0f} ms",
            "<= 300 ms",
            statistics.median(ready) <= 300,
        ),
        Figure(
            "voice",
            "end of speech to reply audio, first utterance",
            f"{statistics.median(first_ready):.0f} ms",
            "<= 300 ms",
            statistics.median(first_ready) <= 300,
        ),
    ]


def second_synthesiser(
    recogniser: Recogniser, lines: list[Example], asking: DialogueState
) -> list[Figure]:
    """The held-out lines and the answers said by flite's voices, which the recogniser was
    never tuned on (every choice of its was made on espeak-ng speech): how far the tuning
    carries to speech made another way, from recordings of people. Nothing where flite is
    not installed (``scripts/setup.sh --dev`` installs it)."""
    if shutil.which("flite") is None:
        print(
            "flite is not installed (scripts/setup.sh --dev): no figures for a second synthesiser"
        )
        return []
    print(
        f"the same, said by a second synthesiser the recogniser was never tuned on (flite; "
        f"voices {', '.join(FLITE_VOICES)}; rates {RATES[0]} and {RATES[1]} as espeak-ng "
        "counts them):"
    )
    outcomes, _ = recognise_all(recogniser, spoken(lines, FLITE_VOICES))
    accuracy = share(flags(outcomes))
    print(f"spoken intent accuracy, held-out lines: {percent(flags(outcomes))}")
    print_by_voice(outcomes, FLITE_VOICES)
    print(f"  heard: {percent(heard_flags(outcomes))}")
    replies, _ = recognise_all(recogniser, spoken(answers(), FLITE_VOICES), asking)
    answered = share(flags(replies))
    print(
        f"yes / no / not sure accuracy, while a red-flag question waits: {percent(flags(replies))}"
    )
    print_by_voice(replies, FLITE_VOICES)
    said = [o for values in replies.values() for o in values]
    wrong_no = sum(o.example.intent != i.NO and o.intent == i.NO for o in said)
    taken = f"{wrong_no} of {sum(o.example.intent != i.NO for o in said)}"
    print(f"  yes or not sure taken for no: {taken}")
    return [
        Figure(
            "voice",
            "spoken intent accuracy, flite voices",
            f"{accuracy:.1f} %",
            ">= 90 %",
            accuracy >= 90,
        ),
        Figure(
            "voice",
            "yes / no / not sure accuracy, flite voices",
            f"{answered:.1f} %",
            ">= 99 %",
            answered >= 99,
        ),
        Figure("voice", "yes or not sure taken for no, flite voices", taken, "-", None),
    ]


def heard_flags(outcomes: dict[tuple[str, int], list[Outcome]]) -> list[bool]:
    """Whether each line was heard (its confidence at the threshold or above)."""
    return [o.recognition.accepted for values in outcomes.values() for o in values]


def share(right: list[bool]) -> float:
    """The share of ``right`` that is true, in per cent."""
    return 100 * sum(right) / len(right) if right else 0.0


if __name__ == "__main__":
    main()
