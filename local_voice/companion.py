"""The decoders that hear each utterance beside the main one, on the second core.

Besides the open language model, every utterance is heard by a free phone loop (the yardstick
of the confidence) and, while a red-flag question waits, by a grammar of the answers. The three
are independent, and pocketsphinx holds Python's GIL while it decodes, so threads would run
them one after another. :class:`CompanionProcess` runs the phone loop and the answer grammar in
a child process instead, fed the same audio over a pipe as it arrives, so that on two cores a
turn costs about the time of the slowest decoder rather than of all three.

Nothing leaves the computer: the audio goes over a pipe to the child and the result comes
back; the child writes nothing but its own temporary decoder files, removed when it starts.
If the child cannot start, dies or stops answering, the same decoders run in-process
(:class:`Companion`) and the utterance so far is heard again there, so a turn is never lost.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import queue
import subprocess
import sys
import tempfile
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Protocol

from pocketsphinx import Decoder, get_model_path

#: Gaussians scored per senone in every decoder (pocketsphinx's default is 4). Scoring more
#: made the acoustic scores more exact: on held-out espeak-ng speech, 16 raised spoken intent
#: accuracy by 3 to 6 points and the answer grammar's right answers from 213 to 229 of 256,
#: for a little more time. The open model scores 16: on set A (944 lines heard as the bench hears
#: them, before the confidence threshold) 24 and 32 heard 791 and 793 intents right against 782,
#: but the real-time factor rose from 0.082 to 0.101 and 0.123, past the target of 0.1.
GAUSSIANS_PER_SENONE = 16
#: The answer grammar scores 32 of each senone's 128 Gaussians. It runs in the second process
#: beside the phone loop, which scores only 2, so the time is there. On espeak-ng speech of every
#: answer sample (4 voices, 2 rates), the grammar alone heard the right answer 1,501 -> 1,521 times
#: of 1,720 (each half of the samples gained: 780 -> 788 and 721 -> 733 of about 860), and the
#: whole turn 733 -> 741 of 864. 64 added only 3 of 864 more, at 0.077 of the audio's time for
#: the grammar alone against 0.050 (0.036 with 16). Wider beams (1e-80) gained 7 of 1,720 at
#: four times the time; phone lookahead off and a lower word insertion penalty lost answers.
ANSWER_GAUSSIANS = 32
#: The phone loop scores fewer, and keeps fewer paths: it is only the yardstick that the open
#: model's score is measured against, and the ratio's threshold is calibrated with it. 4
#: Gaussians instead of 16 cut its real-time factor from 0.053 to 0.040; 2, with beams of 1e-30
#: rather than 1e-48, to 0.034. Each moved the ratio up (by about 1, then 1.5) and the
#: threshold was recalibrated; of 426 utterances, 4 and then none fell on the other side of it.
#: (Beams of 1e-25 flipped 19; 1e-20, 42.)
PHONE_LOOP_GAUSSIANS = 2
PHONE_LOOP_BEAM = 1e-30
#: The answer grammar's word for the quiet before and after an answer, pronounced as silence.
#: Left to itself, pocketsphinx lets silence and noise in between any two words of the grammar
#: (``fsgusefiller``), which kept many more paths alive: with this word at the edges only, the
#: grammar's decoding took 0.047 of the audio's time instead of 0.069, and on espeak-ng speech
#: (every answer sample said twice while a question waits) answers right rose 352 -> 359 of
#: 430, yes or not sure taken for no 17 -> 14, the grammar's answer word for word 289 -> 297.
#: (Without fillers and without this word, the grammar could not end on the quiet after an
#: answer: 201 right.)
PAUSE = "pause_"
#: How many of the answer grammar's n-best hypotheses are searched for a whole answer, when its
#: best path stopped part-way through one (measured: 30 finds one for all but 3 % of answers).
ANSWER_NBEST = 30
#: pocketsphinx's frame rate, which the decoders start at (see :mod:`local_voice.tempo`).
FRAME_RATE = 100
#: How long the child may take to build its decoders, and then to finish an utterance.
START_TIMEOUT = 15.0
FINISH_TIMEOUT = 5.0
#: How long the caller gives the writing thread to pass a message on before it goes back to its
#: own decoding. pocketsphinx holds Python's GIL while it decodes, so a message only queued
#: would wait for the caller's decoding of the same audio (about 10 ms a chunk) and the child
#: would start each utterance that much late. A child that has stopped reading costs at most this
#: much a message; it is found out when the utterance ends (FINISH_TIMEOUT).
HANDOFF_WAIT = 0.02


@dataclass(frozen=True)
class CompanionSpec:
    """What the companion decoders need: the recogniser's dictionary, the answer grammar, and
    the whole answers that grammar accepts."""

    sample_rate: int
    dictionary: str
    answer_jsgf: str | None
    answer_sentences: frozenset[str] = frozenset()
    voice_profile: str | None = None  # an MLLR transform (:mod:`local_voice.adaptation`)


@dataclass(frozen=True)
class CompanionResult:
    """The phone loop's log-likelihood (None if it heard nothing) and the answer heard (None
    when no answer was expected or none came out)."""

    phone_log_score: float | None
    answer: str | None


class Companions(Protocol):
    """The interface both ways of running the companion decoders share."""

    def start(
        self, expect_answer: bool, mean: str | None = None, frame_rate: int = FRAME_RATE
    ) -> None: ...

    def feed(self, pcm: bytes) -> None: ...

    def end(self) -> None:
        """The utterance is over: decoders elsewhere may finish it while the caller works."""

    def finish(self) -> CompanionResult: ...

    def forget_voice(self) -> None:
        """Between utterances: front ends back to where new decoders start (see
        :meth:`Companion.forget_voice`)."""

    def close(self) -> None: ...


class Companion:
    """The phone loop and the answer grammar, decoding in this process."""

    def __init__(self, spec: CompanionSpec) -> None:
        with tempfile.TemporaryDirectory(prefix="twitch-guide-") as folder:
            dictionary = Path(folder) / "words.dict"
            dictionary.write_text(f"{spec.dictionary}{PAUSE} SIL\n")
            common = {
                "samprate": spec.sample_rate,
                "dict": str(dictionary),
                "topn": GAUSSIANS_PER_SENONE,
                "loglevel": "FATAL",
            }
            if spec.voice_profile is not None:
                common["mllr"] = spec.voice_profile
            self._phones = Decoder(
                lm=None,
                allphone=get_model_path("en-us/en-us-phone.lm.bin"),
                beam=PHONE_LOOP_BEAM,
                pbeam=PHONE_LOOP_BEAM,
                **(common | {"topn": PHONE_LOOP_GAUSSIANS}),
            )
            self._answers: Decoder | None = None
            if spec.answer_jsgf is not None:
                grammar = Path(folder) / "answers.gram"
                grammar.write_text(spec.answer_jsgf)
                self._answers = Decoder(
                    lm=None,
                    jsgf=str(grammar),
                    fsgusefiller=False,
                    **(common | {"topn": ANSWER_GAUSSIANS}),
                )
        self._log = self._phones.get_logmath().log
        self._whole_answers = spec.answer_sentences
        self._hearing_answer = False
        self._frame_rate = FRAME_RATE

    def start(
        self, expect_answer: bool, mean: str | None = None, frame_rate: int = FRAME_RATE
    ) -> None:
        """Begin an utterance, heard at ``frame_rate`` frames a second; with ``mean``, both
        decoders first take that cepstral mean. Both are the main decoder's, so that the phone
        loop's yardstick stays comparable."""
        if frame_rate != self._frame_rate:
            self._set_frame_rate(frame_rate)
        if mean is not None:
            self._phones.set_cmn(mean)
            if self._answers is not None:
                self._answers.set_cmn(mean)
        self._phones.start_utt()
        self._hearing_answer = expect_answer and self._answers is not None
        if self._hearing_answer:
            assert self._answers is not None
            self._answers.start_utt()

    def _set_frame_rate(self, frame_rate: int) -> None:
        """Have each decoder's front end take ``frame_rate``, keeping its estimate of the voice."""
        for decoder in (self._phones, self._answers):
            if decoder is not None:
                mean = decoder.get_cmn()
                decoder.config["frate"] = frame_rate
                decoder.reinit_feat()
                decoder.set_cmn(mean)
        self._frame_rate = frame_rate

    def forget_voice(self) -> None:
        """Put each decoder's front end back where a new decoder's starts: its running estimates
        of the noise and of the cepstral mean, which carry over from one utterance to the next."""
        for decoder in (self._phones, self._answers):
            if decoder is not None:
                decoder.reinit_feat()

    def feed(self, pcm: bytes) -> None:
        self._phones.process_raw(pcm)
        if self._hearing_answer:
            assert self._answers is not None
            self._answers.process_raw(pcm)

    def end(self) -> None:
        """Nothing to do ahead: :meth:`finish` does the work in this process."""

    def finish(self) -> CompanionResult:
        self._phones.end_utt()
        phones = self._phones.hyp()
        score = self._log(phones.score) if phones is not None and phones.score > 0 else None
        answer = None
        if self._hearing_answer:
            assert self._answers is not None
            self._answers.end_utt()
            answer = self._whole_answer(self._answers)
            self._hearing_answer = False
        return CompanionResult(score, answer)

    def _whole_answer(self, decoder: Decoder) -> str | None:
        """The answer the grammar heard. When no path reached the grammar's end by the last
        frame, pocketsphinx gives the best path so far, often part of an answer ("on" of "on
        and off"); the likeliest whole answer among the n-best is then the one heard (on
        espeak-ng speech the answer's intent came out right for 83 % of answers, not 74 %)."""
        best = decoder.hyp()
        text = _words(best.hypstr) if best is not None else ""
        if not self._whole_answers or text in self._whole_answers:
            return text or None
        scored = (
            (_words(h.hypstr), h.score)
            for h in itertools.islice(decoder.nbest() or (), ANSWER_NBEST)
            if h is not None and h.hypstr
        )
        whole = [(score, said) for said, score in scored if said in self._whole_answers]
        return max(whole)[1] if whole else None

    def close(self) -> None:
        """Nothing to release: the decoders go with the object."""


def _words(hypothesis: str) -> str:
    """The words of a hypothesis of the answer grammar, without its pauses."""
    return " ".join(word for word in hypothesis.split() if word != PAUSE)


class _WorkerGone(Exception):
    """The child process failed, died or stopped answering."""


class _Child:
    """The child process, the pipes to and from it, and a thread that writes to it.

    Writing goes through a queue and a thread of its own, so that a child that stalls (and so
    stops reading) can never block the parent: the queue just grows by one utterance at most,
    and :meth:`receive` gives up after its time limit.
    """

    # The writing thread sets _written when it has passed on every message queued so far.

    def __init__(self, spec: CompanionSpec) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", __name__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl-C in the terminal is the parent's to handle
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        # The connections own copies of the pipes' descriptors; the file objects let go.
        self._to_child = Connection(os.dup(self.process.stdin.fileno()), readable=False)
        self._from_child = Connection(os.dup(self.process.stdout.fileno()), writable=False)
        self.process.stdin.close()
        self.process.stdout.close()
        self._outbox: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._queued = 0  # messages queued and not yet written
        self._count_lock = threading.Lock()
        self._written = threading.Event()
        self.broken = False
        self._writer = threading.Thread(target=self._write, name="twitch-guide-to-decoders")
        self._writer.daemon = True
        self._writer.start()
        self.send(spec)

    def send(self, message: object, *, wait: float = 0.0) -> None:
        """Queue ``message`` for the child, and give the writing thread up to ``wait`` seconds
        to pass it on (this thread lets go of the GIL meanwhile); never blocks for longer."""
        if self.broken:
            raise _WorkerGone
        with self._count_lock:
            self._queued += 1
            self._written.clear()
        self._outbox.put(message)
        if wait:
            self._written.wait(wait)

    def receive(self, timeout: float) -> object:
        if self.broken or not self._from_child.poll(timeout):
            raise _WorkerGone
        return self._from_child.recv()

    def stop(self, *, graceful: bool = True) -> None:
        """End the child: ask it to stop (killing it if it does not), or kill it at once."""
        self._outbox.put(("stop",))
        self._outbox.put(None)
        try:
            if not graceful:
                raise subprocess.TimeoutExpired(self.process.args, 0)
            self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._writer.join(timeout=2)  # a write to a dead child fails at once
        for end in (self._to_child, self._from_child):
            with contextlib.suppress(OSError):
                end.close()

    def _write(self) -> None:
        while (message := self._outbox.get()) is not None:
            try:
                self._to_child.send(message)
            except (OSError, ValueError):
                self.broken = True
                self._written.set()
                return
            with self._count_lock:
                self._queued -= 1
                if self._queued == 0:
                    self._written.set()


class CompanionProcess:
    """The companion decoders in a child process, with :class:`Companion` as the fallback."""

    def __init__(self, spec: CompanionSpec) -> None:
        self._spec = spec
        self._fallback: Companion | None = None
        self._utterance: list[bytes] | None = None  # the audio of the utterance under way
        self._expecting = False
        self._mean: str | None = None  # the cepstral mean it started from, if one was given
        self._frame_rate = FRAME_RATE  # and the frame rate
        self._ready = False
        self._finish_sent = False  # the child was told the utterance is over
        self._child: _Child | None = None
        try:
            self._child = _Child(spec)
        except OSError:
            self._fall_back()
        self._finalizer = weakref.finalize(self, _stop, self._child)

    @property
    def in_child(self) -> bool:
        """Whether the decoders still run in the child process."""
        return self._fallback is None

    def start(
        self, expect_answer: bool, mean: str | None = None, frame_rate: int = FRAME_RATE
    ) -> None:
        self._utterance, self._expecting, self._mean = [], expect_answer, mean
        self._frame_rate = frame_rate
        self._deliver(
            ("start", expect_answer, mean, frame_rate),
            lambda local: local.start(expect_answer, mean, frame_rate),
        )

    def feed(self, pcm: bytes) -> None:
        if self._utterance is None:
            self.start(False)
        assert self._utterance is not None
        self._utterance.append(pcm)
        self._deliver(("feed", pcm), lambda local: local.feed(pcm))

    def end(self) -> None:
        if self._utterance is None:
            self.start(False)
        if self._child is not None and not self._finish_sent:
            self._deliver(("finish",), lambda local: None)
            self._finish_sent = self._child is not None

    def finish(self) -> CompanionResult:
        self.end()
        self._finish_sent = False
        if self._child is not None:
            try:
                result = self._child.receive(FINISH_TIMEOUT)
                if not isinstance(result, CompanionResult):
                    raise _WorkerGone
                self._utterance = None
                return result
            except (OSError, EOFError, _WorkerGone):
                self._fall_back()
        assert self._fallback is not None
        self._utterance = None
        return self._fallback.finish()

    def forget_voice(self) -> None:
        self._deliver(("forget",), lambda local: local.forget_voice())

    def close(self) -> None:
        """Stop the child process (also done when the object is collected)."""
        self._end_child(graceful=True)

    def _end_child(self, *, graceful: bool) -> None:
        if self._child is not None:
            self._child.stop(graceful=graceful)
            self._child = None

    def _deliver(self, message: tuple[object, ...], locally: Callable[[Companion], None]) -> None:
        if self._child is None:
            if self._fallback is None:
                self._fall_back()
            else:
                locally(self._fallback)
            return
        try:
            if not self._ready:
                if self._child.receive(START_TIMEOUT) != "ready":
                    raise _WorkerGone
                self._ready = True
            self._child.send(message, wait=HANDOFF_WAIT)
        except (OSError, EOFError, _WorkerGone):
            self._fall_back()  # hears the utterance so far again, this message's part included

    def _fall_back(self) -> None:
        """Decode in this process from now on, hearing the utterance under way again."""
        self._end_child(graceful=False)  # it failed or stalled: no time to wait for it
        self._fallback = Companion(self._spec)
        if self._utterance is not None:
            self._fallback.start(self._expecting, self._mean, self._frame_rate)
            for pcm in self._utterance:
                self._fallback.feed(pcm)


def _stop(child: _Child | None) -> None:
    if child is not None and child.process.poll() is None:
        child.stop()


def serve(incoming: Connection, outgoing: Connection) -> None:
    """The child's loop: read the spec, build the decoders, say ready, then start, feed and
    finish utterances until told to stop or the parent goes away."""
    try:
        companion = Companion(incoming.recv())
        outgoing.send("ready")
        while True:
            message = incoming.recv()
            if message[0] == "feed":
                companion.feed(message[1])
            elif message[0] == "start":
                companion.start(message[1], message[2], message[3])
            elif message[0] == "finish":
                outgoing.send(companion.finish())
            elif message[0] == "forget":
                companion.forget_voice()
            else:
                return
    except (EOFError, OSError):
        return


if __name__ == "__main__":  # the child: its results must pickle as this module's, not __main__'s
    from local_voice import companion

    companion.serve(Connection(0, writable=False), Connection(1, readable=False))
