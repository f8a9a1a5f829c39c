"""How fast the person speaks, and the frame rate the decoders should hear them at.

pocketsphinx's acoustic model was trained on 100 frames a second, and each of its phones lasts
at least three frames. Fast speech squeezes phones below that, and is heard worse: on espeak-ng
speech of development lines (sets C, M, N, O), intents right fell from 61 % at 150 words a
minute to 57 % at 200. Hearing fast speech at 130 frames a second (a shorter step, the same
window) gives its phones back their frames: at 200 words a minute 433 -> 477 right of 756, but
at 150 words a minute 459 -> 443, so the faster rate is for fast speakers only.

One utterance says little about a person's pace (at 150 and at 200 words a minute, single
utterances overlap widely), but a few say a lot, so the estimate is a running one over the
session. Only turns heard while no answer is expected count and use it: short answers are said
at a pace of their own, and at 130 frames a second they were heard worse at both rates (yes /
no / not sure right 733 -> 688 of 864).

The estimate is a number kept in memory for the session, like the decoders' running estimate of
the voice; nothing of it is written anywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

#: pocketsphinx's frame rate, which its acoustic model was trained on.
NORMAL_FRAME_RATE = 100
#: The frame rate for a fast speaker. At 200 words a minute 130 heard more than 115 and 160, and
#: as much as 145.
FAST_FRAME_RATE = 130
#: A session whose estimate is above this many phones a second (of the words heard, pauses
#: left out) is heard at FAST_FRAME_RATE. Development lines measured a median of 10.8 to 11.3
#: at 150 words a minute and 13.0 to 13.6 at 200, over the four voices; with the prior and the
#: fading below, 12.3 put each of those eight sessions on the right side after its first few
#: utterances (intents right 892 -> 938 of 1,512, where knowing each session's true rate gave
#: 936).
FAST_PHONES_PER_SECOND = 12.3
#: Where a new session starts, and how many utterances that counts as: a normal pace, so that a
#: single fast utterance does not switch a new session over.
PRIOR_PHONES_PER_SECOND = 11.5
PRIOR_UTTERANCES = 3.0
#: How much of the estimate each new utterance keeps: the last few utterances count most, so
#: that a person who slows down is followed.
FADING = 0.8


@dataclass(frozen=True)
class SpeakingRate:
    """A running estimate of the phones a person says a second: a faded sum of each
    utterance's rate, and the faded number of utterances (the prior included)."""

    total: float = PRIOR_PHONES_PER_SECOND * PRIOR_UTTERANCES
    weight: float = PRIOR_UTTERANCES

    @property
    def phones_per_second(self) -> float:
        """The estimate."""
        return self.total / self.weight

    @property
    def frame_rate(self) -> int:
        """The frame rate to hear this person at."""
        fast = self.phones_per_second > FAST_PHONES_PER_SECOND
        return FAST_FRAME_RATE if fast else NORMAL_FRAME_RATE

    def hearing(self, phones_per_second: float | None) -> SpeakingRate:
        """The estimate after an utterance said at ``phones_per_second`` (None: it had no
        words, and the estimate stays)."""
        if phones_per_second is None:
            return self
        return SpeakingRate(self.total * FADING + phones_per_second, self.weight * FADING + 1.0)


@dataclass(frozen=True)
class Segment:
    """A word a decoder heard, and the frames it took (first and last, inclusive)."""

    word: str
    start_frame: int
    end_frame: int


def phones_per_second(
    segments: Iterable[Segment], pronunciations: Mapping[str, tuple[str, ...]], frame_rate: int
) -> float | None:
    """How fast the words in ``segments`` were said: their phones (each word's first
    pronunciation) over the time they took. Silence, noise and words not in ``pronunciations``
    count for neither; None when no word is left."""
    phones = frames = 0
    for segment in segments:
        spoken = pronunciations.get(segment.word.split("(")[0])
        if spoken:
            phones += len(spoken[0].split())
            frames += segment.end_frame - segment.start_frame + 1
    return phones * frame_rate / frames if frames else None
