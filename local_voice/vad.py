"""Where an utterance starts and ends in a stream of audio (pocketsphinx's Endpointer, which is
the WebRTC voice-activity detector with a sliding window for hysteresis)."""

from __future__ import annotations

from dataclasses import dataclass

from pocketsphinx import Endpointer, Vad

from local_voice.audio import SAMPLE_RATE

#: Seconds of audio the start/end decision looks at; a shorter window ends sooner after the
#: last word but may cut an utterance at a pause.
WINDOW = 0.3
#: Share of the window that must be speech (or non-speech) to start (or end) an utterance.
RATIO = 0.9


@dataclass(frozen=True)
class VadStep:
    """One frame's outcome: the speech it releases (with the audio held back while deciding
    that speech had started), and whether an utterance started or ended with it."""

    speech: bytes | None
    started: bool
    ended: bool


class UtteranceDetector:
    """Feed it fixed-size frames of 16 kHz mono 16-bit audio; it says when speech starts and
    ends, and hands over the speech in between."""

    def __init__(self, window: float = WINDOW, ratio: float = RATIO) -> None:
        self._endpointer = Endpointer(
            window=window, ratio=ratio, vad_mode=Vad.STRICT, sample_rate=SAMPLE_RATE
        )
        #: Bytes a frame must have.
        self.frame_bytes: int = self._endpointer.frame_bytes

    @property
    def in_speech(self) -> bool:
        """Whether an utterance is under way."""
        return bool(self._endpointer.in_speech)

    def process(self, frame: bytes) -> VadStep:
        """Take one frame of exactly ``frame_bytes`` bytes."""
        was_in_speech = self._endpointer.in_speech
        speech = self._endpointer.process(frame)
        now_in_speech = self._endpointer.in_speech
        return VadStep(
            speech=speech,
            started=not was_in_speech and speech is not None,
            ended=bool(was_in_speech) and not now_in_speech,
        )

    def finish(self, frame: bytes = b"") -> VadStep:
        """The stream has ended (with a last, possibly short, frame): close any utterance."""
        if not self._endpointer.in_speech:
            return VadStep(None, False, False)
        speech = self._endpointer.end_stream(frame)
        return VadStep(speech=speech, started=False, ended=True)
