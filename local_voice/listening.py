"""One turn of listening: wait for speech in a stream, recognise it as it comes, stop at its end.

The recogniser hears each frame of speech as it arrives, so when the detector says the
utterance has ended only the decoder's last step remains.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from local_voice.recogniser import Recogniser, Recognition
from local_voice.vad import UtteranceDetector

#: An utterance is cut off after this long, so a noisy room cannot keep the guide listening.
MAX_UTTERANCE_SECONDS = 15.0


def listen(
    frames: Iterable[bytes], detector: UtteranceDetector, recogniser: Recogniser
) -> Recognition | None:
    """Recognise the first utterance in ``frames`` (each ``detector.frame_bytes`` long).

    Returns None when the frames run out before anyone spoke. Use a new detector each turn.
    """
    limit = int(MAX_UTTERANCE_SECONDS * 2 * 16_000 / detector.frame_bytes)
    spoken = 0
    for frame in frames:
        step = detector.process(frame)
        if step.started:
            recogniser.start()
        if step.speech is not None:
            recogniser.feed(step.speech)
            spoken += 1
        if step.ended or spoken >= limit:
            return recogniser.finish()
    if detector.in_speech:
        last = detector.finish()
        if last.speech:
            recogniser.feed(last.speech)
        return recogniser.finish()
    return None


def capture(frames: Iterable[bytes], detector: UtteranceDetector) -> bytes | None:
    """The first utterance in ``frames`` as audio, without recognising it (for learning a
    voice); None when the frames run out before anyone spoke."""
    limit = int(MAX_UTTERANCE_SECONDS * 2 * 16_000 / detector.frame_bytes)
    speech: list[bytes] = []
    for frame in frames:
        step = detector.process(frame)
        if step.speech is not None:
            speech.append(step.speech)
        if step.ended or len(speech) >= limit:
            return b"".join(speech)
    if detector.in_speech:
        last = detector.finish()
        return b"".join([*speech, last.speech or b""])
    return None


def frames_of(pcm: bytes, frame_bytes: int) -> Iterator[bytes]:
    """Cut 16-bit audio into whole frames (a short tail is dropped), as a microphone gives."""
    for start in range(0, len(pcm) - frame_bytes + 1, frame_bytes):
        yield pcm[start : start + frame_bytes]
