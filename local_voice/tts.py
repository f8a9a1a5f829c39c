"""Speech synthesis: every reply rendered to a WAV file by pyttsx3 2.99 through espeak-ng.

pyttsx3's espeak driver has quirks on Linux, each worked around here:

* ``say()`` plays through the ``aplay`` program and is silent, without an error, when aplay is
  missing or fails. So ``say()`` is never used: replies go to a file, and
  :mod:`local_voice.playback` plays it (and can stop it).
* After one ``save_to_file`` every later ``say()`` on the engine goes to that file: the
  driver's file name is cleared after each render.
* The driver prints "Audio saved to ..." on stdout: swallowed while rendering.
* ``getProperty('rate')`` is unreliable (pyttsx3 declares ``espeak_GetParameter`` without its
  ``current`` argument): the settings in force are kept here.
* A new rate can be silently lost (libespeak-ng queues parameter changes, and pyttsx3 cancels
  that queue when its loop ends): the queue is drained with ``Synchronize`` after each change.
* The first ``runAndWait()`` returns before synthesis ends, and until then property changes
  are only queued: the engine renders once when it starts, and every render waits for the
  ``finished-utterance`` event.
* pyttsx3's ``Synth`` tells libespeak-ng the text is ten times its length, and libespeak-ng
  copies that many bytes: it reads past the text and crashes the process (SIGSEGV) when the
  text ends near the end of mapped memory. The driver's ``Synth`` is replaced by one that
  gives the text's true size (:func:`bounded_synth`).
* ``pyttsx3.init()`` caches its engine, and libespeak-ng can be started only once a process:
  one engine is shared by the whole process, used under a lock. The driver reports errors
  (an unknown voice) only through its ``error`` event, so that is listened to.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
import threading
import wave
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from skill.reply import MAX_RATE, MIN_RATE

#: How a session's speech-rate step (SpeechRateIntent) scales the voice's words per minute.
RATE_FACTORS = {-2: 0.7, -1: 0.85, 0: 1.0, 1: 1.15, 2: 1.3}
DEFAULT_VOICE = "en-us"
DEFAULT_WPM = 175
MIN_WPM, MAX_WPM = 80, 400
_TIMEOUT = 60.0
#: How many times a reply is rendered before an empty WAV counts as a failure. Rarely (once in
#: a full CI run), pyttsx3's espeak driver wrote a WAV of no frames for a short text. It writes
#: the file when espeak-ng's end-of-message event comes, and drops samples that come in the same
#: callback as that event or while it thinks it is not speaking; which of these happened there
#: was not found: 14 reruns of the same render did not repeat it.
_ATTEMPTS = 3


class SpeechUnavailable(RuntimeError):
    """pyttsx3 or espeak-ng cannot synthesise speech on this machine."""


@dataclass(frozen=True)
class VoiceSettings:
    """An espeak-ng voice (``en-us``, ``en-gb``, a variant such as ``en+f3``), its normal speed
    in words per minute, and its volume from 0 to 1."""

    voice: str = DEFAULT_VOICE
    wpm: int = DEFAULT_WPM
    volume: float = 1.0

    def __post_init__(self) -> None:
        if not MIN_WPM <= self.wpm <= MAX_WPM:
            raise ValueError(f"rate {self.wpm} is outside {MIN_WPM} to {MAX_WPM} words a minute")
        if not 0.0 <= self.volume <= 1.0:
            raise ValueError(f"volume {self.volume} is outside 0 to 1")
        if not self.voice.strip():
            raise ValueError("the voice name is empty")
        if self.voice.lower().startswith(("mb-", "mb/")):
            raise ValueError(f"voice {self.voice!r}: MBROLA voices are not supported")

    def wpm_at(self, step: int) -> int:
        """Words per minute at a session's speech-rate step (-2 slowest to 2 fastest)."""
        return round(self.wpm * RATE_FACTORS[max(MIN_RATE, min(MAX_RATE, step))])


class Synthesiser:
    """Renders replies to WAV files (22050 Hz mono 16-bit) in the given voice settings."""

    def __init__(self, settings: VoiceSettings | None = None) -> None:
        self._engine = _shared_engine()
        settings = settings or VoiceSettings()
        self.settings = replace(settings, voice=self._engine.resolve_voice(settings.voice))

    def render(self, text: str, path: Path, rate_step: int = 0) -> Path:
        """Speak ``text`` into the WAV file ``path`` at a session's speech-rate step."""
        if not text.strip():
            raise ValueError("nothing to say")  # runAndWait() would wait for ever
        settings = self.settings
        props = {"voice": settings.voice, "rate": settings.wpm_at(rate_step)}
        self._engine.render(text, path, {**props, "volume": settings.volume})
        return path


class _CSynth(Protocol):
    def __call__(
        self,
        text: bytes,
        size: int,
        position: int,
        position_type: int,
        end_position: int,
        flags: int,
        unique_identifier: None,
        user_data: object,
    ) -> int: ...


def bounded_synth(c_synth: _CSynth) -> Any:
    """pyttsx3's ``_espeak.Synth`` over the C function ``c_synth`` (``espeak_Synth``), with the
    text's true size: its bytes and the terminating NUL that Python keeps after them."""

    def synth(
        text: bytes,
        position: int = 0,
        position_type: int = 1,  # espeak-ng's POS_CHARACTER
        end_position: int = 0,
        flags: int = 0,
        user_data: object = None,
    ) -> int:
        if isinstance(text, str):
            text = text.encode("utf-8")
        size = len(text) + 1
        return c_synth(text, size, position, position_type, end_position, flags, None, user_data)

    return synth


class _Engine:
    """The process's one pyttsx3 engine and the properties last applied to it."""

    def __init__(self) -> None:
        try:
            import pyttsx3
            from pyttsx3.drivers import _espeak

            _espeak.Synth = bounded_synth(_espeak.cSynth)
            self._pyttsx3: Any = pyttsx3.init("espeak")
        except (ImportError, OSError, RuntimeError) as error:
            raise SpeechUnavailable(f"pyttsx3 cannot use espeak-ng: {error}") from None
        self._synchronize = _espeak.Synchronize
        self._lock = threading.Lock()
        self._finished = threading.Event()
        self._errors: list[BaseException] = []
        self._applied: dict[str, object] = {}
        self._pyttsx3.connect("finished-utterance", lambda name, completed: self._finished.set())
        self._pyttsx3.connect("error", lambda name, exception: self._errors.append(exception))
        with tempfile.TemporaryDirectory(prefix="twitch-guide-") as folder:
            self.render("ready", Path(folder) / "warm-up.wav", {})

    def resolve_voice(self, voice: str) -> str:
        """The name pyttsx3 knows ``voice`` by: a voice file (``en-us``), or the voice of a
        language (``en-gb`` is the file ``en``), with any ``+variant``. Raises ValueError
        when espeak-ng has no such voice."""
        name, plus, variant = voice.strip().partition("+")
        by_language = {
            language.lower(): str(v.id).rsplit("/", 1)[-1]
            for v in self._pyttsx3.getProperty("voices")
            for language in v.languages or ()
            if language
        }
        resolved = by_language.get(name.lower(), name) + plus + variant
        with self._lock:
            self._set({"voice": resolved})
        return resolved

    def render(self, text: str, path: Path, props: dict[str, object]) -> None:
        with self._lock:
            self._set(props)
            for _ in range(_ATTEMPTS):
                self._render_once(text, path)
                if _frames(path) > 0:
                    return
            raise SpeechUnavailable("espeak-ng failed to speak: the audio it wrote was empty")

    def _render_once(self, text: str, path: Path) -> None:
        with contextlib.redirect_stdout(io.StringIO()):
            self._finished.clear()
            self._errors.clear()
            self._pyttsx3.save_to_file(text, str(path))
            self._pyttsx3.runAndWait()
            finished = self._finished.wait(_TIMEOUT)
            self._pyttsx3.proxy._driver._save_file = None
        if self._errors or not finished or not path.exists():
            problem = self._errors[0] if self._errors else "no audio was written"
            raise SpeechUnavailable(f"espeak-ng failed to speak: {problem}")

    def _set(self, props: dict[str, object]) -> None:
        for name, value in props.items():
            if self._applied.get(name) == value:
                continue
            self._errors.clear()
            self._pyttsx3.setProperty(name, value)
            self._synchronize()
            if self._errors:
                previous = self._applied.get(name)
                if previous is not None:  # a failed voice change leaves no voice at all
                    self._pyttsx3.setProperty(name, previous)
                    self._synchronize()
                raise ValueError(f"espeak-ng has no {name} {value!r}")
            self._applied[name] = value


@lru_cache(maxsize=1)
def _shared_engine() -> _Engine:
    return _Engine()


def _frames(path: Path) -> int:
    """How many frames the WAV file at ``path`` holds (0 when it is unreadable)."""
    try:
        with wave.open(str(path), "rb") as audio:
            return audio.getnframes()
    except (OSError, EOFError, wave.Error):
        return 0
