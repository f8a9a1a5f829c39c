"""Finding utterances in a stream: where speech starts and ends, and one turn of listening."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from voice_support import needs_espeak

from local_voice.listening import capture, frames_of, listen
from local_voice.recogniser import Recogniser
from local_voice.vad import UtteranceDetector

pytestmark = needs_espeak
SAID = ("is muscle twitching dangerous", "no", "should i see a doctor")


def _stream(spoken: Callable[..., bytes], gap: float = 1.0) -> tuple[bytes, list[float]]:
    quiet = np.random.default_rng(1).integers(-30, 31, int(gap * 16000)).astype("<i2").tobytes()
    stream, ends = quiet, []
    for text in SAID:
        stream += spoken(text)
        ends.append(len(stream) / 32000 - 0.4)  # spoken() leaves 0.4 s of quiet after
        stream += quiet
    return stream, ends


def test_each_utterance_is_found_and_ends_soon_after_its_last_word(
    spoken: Callable[..., bytes],
) -> None:
    stream, ends = _stream(spoken)
    detector = UtteranceDetector()
    found, declared = [], []
    for index, frame in enumerate(frames_of(stream, detector.frame_bytes)):
        step = detector.process(frame)
        if step.started:
            found.append(index)
        if step.ended:
            declared.append((index + 1) * detector.frame_bytes / 32000)
    assert len(found) == len(declared) == len(SAID)
    for end, said_end in zip(declared, ends, strict=True):
        assert 0 < end - said_end < 0.8


def test_a_turn_of_listening_recognises_the_first_utterance_and_stops_there(
    spoken: Callable[..., bytes], recogniser: Recogniser
) -> None:
    stream, _ = _stream(spoken)
    frames = frames_of(stream, UtteranceDetector().frame_bytes)
    heard = [listen(frames, UtteranceDetector(), recogniser) for _ in SAID]
    texts = [h.text if h else None for h in heard]
    assert texts[0] is not None and texts[0].startswith("is muscle twitching"), texts
    assert texts[1] in ("no", "nope") and texts[2] == "should i see a doctor", texts
    assert listen(frames, UtteranceDetector(), recogniser) is None  # only quiet is left


def test_quiet_alone_is_no_utterance(recogniser: Recogniser) -> None:
    quiet = np.random.default_rng(2).integers(-30, 31, 16000 * 3).astype("<i2").tobytes()
    assert listen(frames_of(quiet, 960), UtteranceDetector(), recogniser) is None


def test_capturing_takes_each_utterance_whole_without_the_quiet_between(
    spoken: Callable[..., bytes],
) -> None:
    """For learning a voice: each utterance's audio, about as long as espeak-ng's output
    (which has a little quiet of its own at each end)."""
    stream, _ = _stream(spoken)
    frames = frames_of(stream, UtteranceDetector().frame_bytes)
    taken = [capture(frames, UtteranceDetector()) for _ in SAID]
    for text, audio in zip(SAID, taken, strict=True):
        said = len(spoken(text)) / 32000 - 0.8  # spoken() adds 0.4 s of quiet each side
        assert audio is not None
        assert said - 0.4 <= len(audio) / 32000 <= said + 0.9, text  # espeak-ng pads a little
    assert capture(frames, UtteranceDetector()) is None  # only quiet is left
