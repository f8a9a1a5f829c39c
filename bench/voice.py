"""Voice mode: spoken intent accuracy, yes/no accuracy, recogniser speed and reply latency.

The speakers are espeak-ng voices (synthetic speech, far from the people the acoustic model was
trained on): figures for real voices will differ. Targets: intent accuracy >= 90 % on held-out
lines, yes/no >= 99 %, real-time factor <= 0.1 on 2 cores, end of speech to first reply audio
<= 300 ms. Prints figures; asserts nothing.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.understanding import HELD_OUT_SETS, Example, load_examples
from local_voice.listening import frames_of
from local_voice.recogniser import Recogniser, Recognition
from local_voice.synthetic import VOICES, speech
from local_voice.tts import Synthesiser
from local_voice.vad import UtteranceDetector
from skill import intents as i
from skill.interaction_model import load_interaction_model
from skill.session import LocalSession
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


def spoken(examples: list[Example]) -> list[Spoken]:
    """Each example said by each voice at each rate (two synthesis jobs at a time)."""
    jobs = [(e, v, r, n) for v in VOICES for r in RATES for n, e in enumerate(examples)]
    with ThreadPoolExecutor(2) as pool:
        audio = pool.map(lambda job: speech(job[0].text, job[1], job[2], seed=job[3]), jobs)
        return [(e, v, r, pcm) for (e, v, r, _), pcm in zip(jobs, audio, strict=True)]


def recognise_all(
    recogniser: Recogniser, understander: Understander, items: Iterable[Spoken]
) -> tuple[dict[tuple[str, int], list[bool]], float, list[tuple[Recognition, bool]]]:
    """Per voice and rate, whether each intent came out right (a turn not heard counts as
    wrong); the real-time factor; and each recognition with whether its intent was right."""
    right: dict[tuple[str, int], list[bool]] = defaultdict(list)
    scored: list[tuple[Recognition, bool]] = []
    busy = heard = 0.0
    for example, voice, rate, pcm in items:
        start = time.perf_counter()
        result = recogniser.recognise(pcm)
        busy += time.perf_counter() - start
        heard += len(pcm) / 2 / 16_000
        intent = understander.understand(result.text).intent if result.text else None
        right[(voice, rate)].append(result.accepted and intent == example.intent)
        scored.append((result, intent == example.intent))
    return right, busy / heard, scored


def latency(recogniser: Recogniser) -> tuple[list[float], list[float]]:
    """For a few questions streamed frame by frame: ms from the detector's end-of-speech event
    to the reply's audio being ready, and ms of trailing quiet the detector needed first."""
    synthesiser = Synthesiser()
    ready_ms, hangover_ms = [], []
    with tempfile.TemporaryDirectory() as folder:
        for number, line in enumerate(LATENCY_LINES):
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
                    turn = session.hear(result.text or "")
                    text = " ".join(p.text for p in turn.reply.speech)
                    synthesiser.render(text, Path(folder) / "reply.wav", turn.reply.rate)
                    ready_ms.append(1000 * (time.perf_counter() - start))
                    stream_time = (index + 1) * detector.frame_bytes / 2 / 16_000
                    hangover_ms.append(1000 * (stream_time - speech_end))
                    break
    return ready_ms, hangover_ms


def _percent(flags: list[bool]) -> str:
    return f"{100 * sum(flags) / len(flags):5.1f} % of {len(flags)}" if flags else "n/a"


def main() -> None:
    understander = Understander.for_locale("en-US")
    start = time.perf_counter()
    recogniser = Recogniser.for_locale("en-US")
    build_ms = 1000 * (time.perf_counter() - start)
    print(
        f"voice: recogniser ready in {build_ms:.0f} ms; voices {', '.join(VOICES)}; "
        f"rates {RATES[0]} and {RATES[1]} words a minute (espeak-ng, synthetic speech)"
    )

    lines = held_out(understander)
    right, rtf, scored = recognise_all(recogniser, understander, spoken(lines))
    everything = [flag for flags in right.values() for flag in flags]
    print(
        f"spoken intent accuracy, {len(lines)} held-out lines not in the model: "
        f"{_percent(everything)} (target >= 90 %)"
    )
    for voice in VOICES:
        cells = "  ".join(f"{rate}: {_percent(right[(voice, rate)])}" for rate in RATES)
        print(f"  {voice:6s}  {cells}")
    unheard = sum(not r.accepted for r, _ in scored)
    print(f"  of which not heard (confidence below {recogniser.threshold}): {unheard}")

    replies, _, _ = recognise_all(recogniser, understander, spoken(answers()))
    flags = [flag for values in replies.values() for flag in values]
    print(
        f"yes / no / not sure accuracy, every model sample of them: {_percent(flags)} "
        f"(target >= 99 %)"
    )
    print(f"recogniser real-time factor: {rtf:.3f} (target <= 0.1; both decoders, one thread)")

    ready, hangover = latency(recogniser)
    print(
        f"end of speech to first reply audio: median {statistics.median(ready):.0f} ms, "
        f"max {max(ready):.0f} ms (target <= 300 ms)"
    )
    print(
        "  = the recogniser finishing the utterance + understanding + dialogue engine + "
        "pyttsx3 rendering the whole reply to WAV; the audio device's buffer is not included"
    )
    print(
        f"  before that, the speech detector waits for quiet: median "
        f"{statistics.median(hangover):.0f} ms after the last word (its 0.3 s window)"
    )


if __name__ == "__main__":
    main()
