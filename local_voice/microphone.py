"""Microphone capture at 16 kHz mono 16-bit (sounddevice), open only while listening.

The stream is opened when the guide starts to listen and closed before it speaks, so it never
hears itself. Captured audio goes straight to the recogniser and is never stored.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from local_voice.audio import SAMPLE_RATE

#: Audio to drop right after the stream opens: the tail of the guide's own voice in the room
#: and the device's start-up click.
SETTLE_SECONDS = 0.15


class MicrophoneError(RuntimeError):
    """The microphone could not be opened or read."""


class Microphone:
    """The default input device, read in frames of a fixed size."""

    def __init__(self, frame_bytes: int) -> None:
        self.frame_bytes = frame_bytes

    @contextmanager
    def listening(self) -> Iterator[Iterator[bytes]]:
        """Open the microphone; yields an endless iterator of frames. Closed on exit."""
        try:
            import sounddevice

            stream = sounddevice.RawInputStream(
                samplerate=SAMPLE_RATE,
                channels=1,
                dtype="int16",
                blocksize=self.frame_bytes // 2,
            )
            stream.start()
        except Exception as error:  # OSError (no PortAudio), PortAudioError (no device)
            raise MicrophoneError(f"the microphone could not be opened: {error}") from None
        try:
            yield self._frames(stream)
        finally:
            stream.stop()
            stream.close()

    def _frames(self, stream: Any) -> Iterator[bytes]:
        samples = self.frame_bytes // 2
        settle = int(SETTLE_SECONDS * SAMPLE_RATE / samples)
        for index in itertools.count():
            try:
                data, _overflowed = stream.read(samples)
            except Exception as error:
                raise MicrophoneError(f"the microphone stopped: {error}") from None
            if index >= settle:
                yield bytes(data)
