"""The voice mode loop: speak the reply, listen, recognise, and let the shared session answer.

Input is the microphone where one works, WAV files with ``--audio-in``, or the keyboard (by
choice, where there is no microphone, and at any moment while listening). Output is speech
through espeak-ng where it and a sound output work, WAV files with ``--wav-dir``, and always
the reply as a line of text (or a JSON object with ``--jsonl``). What is missing is said in one
line on stderr, and the rest carries on. Nothing the person says is written anywhere.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from local_voice import devices
from local_voice.adaptation import (
    AdaptationFailed,
    AdaptationUnavailable,
    Reading,
    install_command,
    is_transform,
    learn_voice,
    missing_packages,
)
from local_voice.audio import SAMPLE_RATE, AudioFileError, load_for_recognition
from local_voice.enrolment import default_profile, load_enrolment, profile_in_use
from local_voice.keyboard import Keyboard
from local_voice.listening import capture, listen
from local_voice.microphone import Microphone, MicrophoneError
from local_voice.playback import Player
from local_voice.recogniser import Recogniser, Recognition
from local_voice.tts import SpeechUnavailable, Synthesiser, VoiceSettings
from local_voice.vad import UtteranceDetector
from skill.engine import not_heard
from skill.render import to_plain
from skill.session import LocalSession, Turn
from skill.text_mode import turn_record

PROGRAM = "twitch-guide voice"


@dataclass(frozen=True)
class VoiceOptions:
    """The command line's choices."""

    locale: str = "en-US"
    audio_in: tuple[Path, ...] = ()
    wav_dir: Path | None = None
    voice: VoiceSettings = field(default_factory=VoiceSettings)
    keyboard: bool = False
    jsonl: bool = False
    #: A learned voice to listen with (default: the person's, if they made one), or where
    #: ``learn_voice`` keeps the one it learns.
    voice_profile: Path | None = None
    learn_voice: bool = False


@dataclass(frozen=True)
class Heard:
    """One turn of input: typed text, or what the recogniser made of speech."""

    text: str | None
    recognition: Recognition | None = None

    @property
    def usable(self) -> bool:
        """Typed text always is; speech when the recogniser is confident enough."""
        if self.recognition is None:
            return bool(self.text)
        return self.recognition.accepted and bool(self.text)


class UsageError(Exception):
    """A bad option (an unreadable file, an unknown voice): reported in one line, exit 2."""


#: A sentence read for learning a voice must give at least this much audio (speech and the
#: detector's margins); a shorter one is asked for again. Measured with espeak-ng: the shortest
#: sentence gives 1.4 s at 260 words a minute, "yes" or "um" about 0.5 s.
MIN_READING_SECONDS = 1.0
#: How many times a sentence is asked for again when nothing was heard.
READING_RETRIES = 2


def run_voice_mode(options: VoiceOptions, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    """Talk until the person stops, the session ends, or input runs out. Returns an exit code."""
    try:
        mode = _VoiceMode(options, stdin, stdout, stderr)
    except UsageError as error:
        stderr.write(f"{PROGRAM}: {error}\n")
        return 2
    except AdaptationUnavailable as error:
        stderr.write(f"{PROGRAM}: {error}\n")
        return 1
    try:
        return mode.run()
    except AdaptationFailed as error:
        stderr.write(f"{PROGRAM}: could not learn your voice: {error}\n")
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        mode.close()


class _VoiceMode:
    def __init__(self, options: VoiceOptions, stdin: TextIO, out: TextIO, err: TextIO) -> None:
        self._options = options
        self._out = out
        self._err = err
        self._files = [_load(path) for path in options.audio_in]
        if options.wav_dir is not None:
            try:
                options.wav_dir.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise UsageError(f"cannot write to {options.wav_dir}: {error.strerror}") from None
        profile = None  # while learning a voice, the model as it is
        if options.learn_voice:
            self._check_learning()
        else:
            profile = self._profile()
        status = devices.detect()
        problems: list[str] = []
        use_microphone = not options.audio_in and not options.keyboard
        if use_microphone and not status.microphone.available:
            if options.learn_voice:
                raise AdaptationUnavailable(
                    f"learning your voice needs a microphone ({status.microphone.problem}), "
                    "or --audio-in with one WAV file a sentence"
                )
            problems.append(status.microphone.problem)
            use_microphone = False
        self._synthesiser = self._start_speech(status.speech, problems)
        self._speak_aloud = self._synthesiser is not None and status.sound_output.available
        if self._synthesiser is not None and not status.sound_output.available:
            problems.append(status.sound_output.problem)
        self._keyboard = None if options.audio_in else Keyboard(stdin)
        self._microphone = Microphone(UtteranceDetector().frame_bytes) if use_microphone else None
        self._recogniser = (
            Recogniser.for_locale(options.locale, voice_profile=profile)
            if self._listens()
            else None
        )
        self._player = Player()
        self._scratch = tempfile.TemporaryDirectory(prefix="twitch-guide-")
        self._replies = 0
        self._pending: str | None = None
        if problems:
            self._notice(", ".join(problems), self._fallback())

    def run(self) -> int:
        if self._options.learn_voice:
            return self._learn()
        session = LocalSession.for_locale(self._options.locale)
        turn = session.start()
        self._deliver(turn, None)
        misses = 0
        while not turn.reply.end_session:
            if self._recogniser is not None:
                self._recogniser.expect_answer(session.state.in_check)
            heard = self._next_input()
            if heard is None:
                break
            if heard.usable:
                assert heard.text is not None
                recognition = heard.recognition
                if recognition is None:
                    turn = session.hear(heard.text)
                else:
                    turn = session.hear(
                        heard.text,
                        spoken=True,
                        answer=recognition.answer,
                        alternatives=recognition.alternatives,
                    )
                misses = 0
            else:
                misses += 1
                step = not_heard(session.content, session.state, misses)
                session.state = step.state
                turn = Turn(understanding=None, reply=step.reply, state=step.state)
            self._deliver(turn, heard)
        return 0

    # --- learning the person's voice -------------------------------------------------------

    def _profile(self) -> Path | None:
        chosen = self._options.voice_profile
        if chosen is not None and not is_transform(chosen):
            raise UsageError(f"{chosen} is not a voice profile (make one with --learn-my-voice)")
        return profile_in_use(chosen)

    def _check_learning(self) -> None:
        """Before anything starts: the tools are there and the input fits the sentences."""
        if self._options.keyboard:
            raise UsageError("--learn-my-voice needs speech, not the keyboard")
        missing = missing_packages()
        if missing:
            raise AdaptationUnavailable(
                f"learning your voice needs {', '.join(missing)}; "
                f"install with: {install_command(missing)}"
            )
        wanted = len(load_enrolment(self._options.locale).sentences)
        if self._options.audio_in and len(self._files) != wanted:
            raise UsageError(
                f"--learn-my-voice takes one WAV file a sentence: {wanted} sentences, "
                f"{len(self._files)} files"
            )

    def _learn(self) -> int:
        """Ask for each sentence in turn, then learn the voice from them and keep it."""
        enrolment = load_enrolment(self._options.locale)
        assert self._recogniser is not None
        self._say(enrolment.introduction())
        readings: list[Reading] = []
        for number, sentence in enumerate(enrolment.sentences, start=1):
            self._say(enrolment.asking(number))
            for attempt in range(READING_RETRIES + 1):
                pcm = self._reading()
                if self._options.audio_in or len(pcm) >= MIN_READING_SECONDS * SAMPLE_RATE * 2:
                    readings.append(Reading(sentence, pcm))
                    break
                if attempt < READING_RETRIES:
                    self._say(enrolment.asking_again(number))
        destination = self._options.voice_profile or default_profile()
        path = learn_voice(readings, self._recogniser.lexicon.dictionary_lines(), destination)
        self._say(enrolment.finished(path))
        return 0

    def _reading(self) -> bytes:
        """One sentence as read: the next WAV file, or the next utterance on the microphone
        (empty if the microphone stopped before anyone spoke)."""
        if self._options.audio_in:
            return self._files.pop(0)
        assert self._microphone is not None
        try:
            with self._microphone.listening() as frames:
                return capture(frames, UtteranceDetector()) or b""
        except MicrophoneError as error:
            raise AdaptationFailed(str(error)) from None

    def _say(self, text: str) -> None:
        line = json.dumps({"speech": text}, ensure_ascii=False) if self._options.jsonl else text
        self._out.write(line + "\n")
        self._out.flush()
        self._voice(text, 0)

    def close(self) -> None:
        self._player.stop()
        if self._recogniser is not None:
            self._recogniser.close()
        self._scratch.cleanup()

    # --- input ----------------------------------------------------------------------------

    def _listens(self) -> bool:
        return bool(self._files) or self._microphone is not None

    def _next_input(self) -> Heard | None:
        if self._pending is not None:
            typed, self._pending = self._pending, None
            return Heard(typed)
        if self._options.audio_in:
            if not self._files:
                return None
            assert self._recogniser is not None
            recognition = self._recogniser.recognise(self._files.pop(0))
            return Heard(recognition.text, recognition)
        if self._microphone is not None:
            try:
                return self._from_microphone(self._microphone)
            except MicrophoneError as error:
                self._microphone = None
                self._notice(str(error), "type your questions instead")
        assert self._keyboard is not None
        line = self._keyboard.wait()
        return Heard(line) if line is not None else None

    def _from_microphone(self, microphone: Microphone) -> Heard:
        assert self._recogniser is not None
        while True:
            with microphone.listening() as frames:
                recognition = listen(
                    self._until_typed(frames), UtteranceDetector(), self._recogniser
                )
            if self._pending is not None:
                typed, self._pending = self._pending, None
                return Heard(typed)
            if recognition is not None:
                return Heard(recognition.text, recognition)

    def _until_typed(self, frames: Iterator[bytes]) -> Iterator[bytes]:
        """Microphone frames until the person types a line (kept for the next turn)."""
        for frame in frames:
            typed = self._keyboard.poll() if self._keyboard is not None else None
            if typed is not None:
                self._pending = typed
                return
            yield frame

    # --- output ---------------------------------------------------------------------------

    def _deliver(self, turn: Turn, heard: Heard | None) -> None:
        text = to_plain(turn.reply.speech)
        jsonl = self._options.jsonl
        line = json.dumps(_record(turn, heard), ensure_ascii=False) if jsonl else text
        self._out.write(line + "\n")
        self._out.flush()
        self._voice(text, turn.reply.rate)

    def _voice(self, text: str, rate_step: int) -> None:
        if self._synthesiser is None or not text:
            return
        if not self._speak_aloud and self._options.wav_dir is None:
            return
        self._replies += 1
        folder = self._options.wav_dir or Path(self._scratch.name)
        path = folder / f"reply-{self._replies:03d}.wav"
        try:
            self._synthesiser.render(text, path, rate_step)
        except SpeechUnavailable as error:
            self._synthesiser = None
            self._notice(str(error), "replies are shown as text")
            return
        if self._speak_aloud:
            keyboard = self._keyboard
            interrupt = (lambda: keyboard.poll(blank=True)) if keyboard is not None else None
            playback = self._player.play(path, interrupt)
            if playback.typed:
                self._pending = playback.typed
            if playback.failed:
                self._speak_aloud = False
                self._notice("sound output failed", "replies are shown as text")
            if self._options.wav_dir is None:
                path.unlink(missing_ok=True)

    def _start_speech(self, speech: devices.Capability, problems: list[str]) -> Synthesiser | None:
        if not speech.available:
            problems.append(speech.problem)
            return None
        try:
            return Synthesiser(self._options.voice)
        except ValueError as error:
            raise UsageError(str(error)) from None
        except SpeechUnavailable as error:
            problems.append(str(error))
            return None

    def _fallback(self) -> str:
        listening = (
            "taking speech from the WAV files"
            if self._options.audio_in
            else "listening on the microphone (or type)"
            if self._microphone is not None
            else "type your questions"
        )
        if self._speak_aloud:
            answering = "replies are spoken"
        elif self._synthesiser is not None and self._options.wav_dir is not None:
            answering = f"replies are shown as text and saved in {self._options.wav_dir}"
        else:
            answering = "replies are shown as text"
        return f"{listening}; {answering}"

    def _notice(self, problem: str, instead: str) -> None:
        self._err.write(f"{PROGRAM}: {problem}: {instead}.\n")
        self._err.flush()


def _record(turn: Turn, heard: Heard | None) -> dict[str, object]:
    """The ``--jsonl`` object: text mode's, with what the recogniser heard and its score, and
    what it heard when listening for yes, no or not sure only (while a question waited)."""
    record = turn_record(turn, heard.text if heard else None)
    if heard is not None and turn.understanding is None:  # not heard: no intent
        record.update(intent=None, slots={}, confidence=None)
    recognition = heard.recognition if heard else None
    score = recognition.score if recognition is not None else None
    record["asr_score"] = round(score, 2) if score is not None and score > -1e9 else None
    record["heard_as_answer"] = recognition.answer if recognition is not None else None
    return record


def _load(path: Path) -> bytes:
    try:
        return load_for_recognition(path)
    except AudioFileError as error:
        raise UsageError(str(error)) from None
