"""Real audio for the voice tests: espeak-ng (or, for flite's voices, flite) says each line,
once a session, into tmp files.

No speech engine is mocked. The tests need espeak-ng and flite (``make test`` installs both);
without them they are skipped, as their precondition is missing, and say why.

What a test measures depends on nothing another test did: each line's noise comes from the
line itself, not from how many lines were said before it, and each test gets a recogniser of
its own.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from local_voice.recogniser import Recogniser
from local_voice.synthetic import say_to_wav, speech
from skill.understanding import Understander


@pytest.fixture
def recogniser() -> Iterator[Recogniser]:
    """A new recogniser for each test (about half a second to build, as espeak-ng's
    pronunciations are asked for once a process and kept): one that had heard
    another test's audio would hear this test's differently (its running estimate of the voice
    and its decoders' state), and a test's figure would depend on which tests ran before it."""
    recogniser = Recogniser.for_locale("en-US")
    yield recogniser
    recogniser.close()


@pytest.fixture(scope="session")
def understander() -> Understander:
    return Understander.for_locale("en-US")


@pytest.fixture(scope="session")
def spoken() -> Callable[..., bytes]:
    """``spoken(text, voice, wpm)``: 16 kHz speech with quiet and noise around it, said by
    espeak-ng or, for one of flite's voices, by flite (``local_voice.synthetic.speech``),
    cached; the noise is seeded by the line, voice and rate, so the same line is always the
    same audio."""
    cache: dict[tuple[str, str, int], bytes] = {}

    def say(text: str, voice: str = "en-us", wpm: int = 175) -> bytes:
        key = (text, voice, wpm)
        if key not in cache:
            seed = zlib.crc32(f"{text}|{voice}|{wpm}".encode())
            cache[key] = speech(text, voice, wpm, seed=seed)
        return cache[key]

    return say


@pytest.fixture(scope="session")
def spoken_file(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """``spoken_file(text, voice, wpm)``: a WAV file of espeak-ng (22050 Hz) or, for one of
    flite's voices, flite (16 kHz) saying it."""
    folder = tmp_path_factory.mktemp("spoken")
    made: dict[tuple[str, str, int], Path] = {}

    def say(text: str, voice: str = "en-us", wpm: int = 175) -> Path:
        key = (text, voice, wpm)
        if key not in made:
            made[key] = say_to_wav(text, folder / f"{len(made):03d}.wav", voice, wpm)
        return made[key]

    return say


@pytest.fixture
def no_microphone() -> Iterator[None]:
    """Skip where a microphone is present: the test is about a machine without one."""
    from local_voice import devices

    if devices.detect().microphone.available:
        pytest.skip("this machine has a microphone")
    yield
