"""The phone loop and the answer grammar run in a second process, and hear exactly what they
would hear in this one; when that process fails, nothing the person said is lost."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator

import pytest
from voice_support import needs_espeak

from local_voice import companion
from local_voice.companion import CompanionProcess
from local_voice.recogniser import Recogniser, Recognition
from local_voice.tempo import FAST_FRAME_RATE

pytestmark = needs_espeak
TURNS = ("yes", "not sure", "what helps with twitching", "no")
CHUNK = 3200  # 100 ms


@pytest.fixture(scope="module")
def in_process() -> Recogniser:
    return Recogniser.for_locale("en-US", parallel=False)


@pytest.fixture
def parallel() -> Iterator[Recogniser]:
    recogniser = Recogniser.for_locale("en-US")
    yield recogniser
    recogniser.close()


def _companions(recogniser: Recogniser) -> CompanionProcess:
    companions = recogniser._companions
    assert isinstance(companions, CompanionProcess)
    return companions


def _hear_all(recogniser: Recogniser, spoken: Callable[..., bytes]) -> list[Recognition]:
    heard = []
    for number, text in enumerate(TURNS):
        recogniser.expect_answer(number % 2 == 0)
        heard.append(recogniser.recognise(spoken(text)))
    return heard


def test_the_second_process_hears_what_this_one_would(
    in_process: Recogniser, parallel: Recogniser, spoken: Callable[..., bytes]
) -> None:
    assert _hear_all(parallel, spoken) == _hear_all(in_process, spoken)
    assert _companions(parallel).in_child
    assert any(r.answer for r in _hear_all(parallel, spoken))


def test_each_decoder_scores_as_many_gaussians_as_its_job_needs(in_process: Recogniser) -> None:
    """The answer grammar scores finely (it decides a red-flag answer), the open model less so
    (its time is the turn's), the phone loop coarsely (only the yardstick)."""
    companions = in_process._companions
    assert isinstance(companions, companion.Companion)
    assert companions._answers is not None
    assert companions._answers.config["topn"] == companion.ANSWER_GAUSSIANS
    assert in_process._words.config["topn"] == companion.GAUSSIANS_PER_SENONE
    assert companions._phones.config["topn"] == companion.PHONE_LOOP_GAUSSIANS
    assert (
        companion.ANSWER_GAUSSIANS > companion.GAUSSIANS_PER_SENONE > companion.PHONE_LOOP_GAUSSIANS
    )


def test_the_second_process_hears_a_fast_speaker_at_the_same_frame_rate(
    in_process: Recogniser, parallel: Recogniser, spoken: Callable[..., bytes]
) -> None:
    """Both recognisers switch to the fast frame rate; if the second process's phone loop did
    not, the confidence would be measured against a yardstick of other frames."""
    in_process.forget_voice()
    fast = [spoken(text, "en-us", 200) for text in TURNS[2:] + ("what is a fasciculation",) * 3]
    for recogniser in (in_process, parallel):
        recogniser.expect_answer(False)
        for pcm in fast[:-1]:
            recogniser.recognise(pcm)
        assert recogniser.frame_rate == FAST_FRAME_RATE
    assert parallel.recognise(fast[-1]) == in_process.recognise(fast[-1])
    assert _companions(parallel).in_child


def test_an_utterance_survives_the_second_process_dying_halfway(
    in_process: Recogniser, parallel: Recogniser, spoken: Callable[..., bytes]
) -> None:
    pcm = spoken("not sure")
    in_process.expect_answer(True)
    expected = in_process.recognise(pcm)
    parallel.expect_answer(True)
    parallel.start()
    half = len(pcm) // 2 // CHUNK * CHUNK
    for start in range(0, half, CHUNK):
        parallel.feed(pcm[start : start + CHUNK])
    child = _companions(parallel)._child
    assert child is not None
    os.kill(child.process.pid, signal.SIGKILL)
    child.process.wait()
    for start in range(half, len(pcm), CHUNK):
        parallel.feed(pcm[start : start + CHUNK])
    heard = parallel.finish()
    # The stand-in decoders start afresh, without the running estimate of the voice (cepstral
    # mean) the lost ones had built up, so the confidence may differ a little; nothing else.
    assert (heard.text, heard.answer, heard.accepted) == (
        expected.text,
        expected.answer,
        expected.accepted,
    )
    assert heard.answer == "not sure"
    assert not _companions(parallel).in_child
    parallel.expect_answer(True)
    again = parallel.recognise(spoken("yes"))  # the next turns are heard in this process
    assert again.accepted and again.answer == "yes"


def test_an_utterance_survives_the_second_process_dying_once_told_it_is_over(
    in_process: Recogniser, parallel: Recogniser, spoken: Callable[..., bytes]
) -> None:
    """The child is told an utterance is over before this process finishes its own decoding;
    if it dies in between, the utterance is heard again here."""
    pcm = spoken("not sure")
    in_process.expect_answer(True)
    expected = in_process.recognise(pcm)
    parallel.expect_answer(True)
    parallel.recognise(spoken("yes"))  # the child is up and has answered once
    parallel.start()
    parallel.feed(pcm)
    companions = _companions(parallel)
    companions.end()
    child = companions._child
    assert child is not None
    os.kill(child.process.pid, signal.SIGKILL)
    child.process.wait()
    heard = parallel.finish()
    assert (heard.text, heard.answer, heard.accepted) == (
        expected.text,
        expected.answer,
        expected.accepted,
    )
    assert heard.answer == "not sure"


def test_audio_is_on_its_way_to_the_second_process_before_this_one_decodes_it(
    parallel: Recogniser, spoken: Callable[..., bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """pocketsphinx holds the GIL while it decodes, so audio only queued for the writing thread
    would wait for this process's own decoding; each message is written before feed goes on."""
    monkeypatch.setattr(companion, "HANDOFF_WAIT", 5.0)  # a slow machine must not fail this
    pcm = spoken("what helps with twitching")
    parallel.recognise(spoken("yes"))  # the child is up and has answered once
    child = _companions(parallel)._child
    assert child is not None
    parallel.start()
    for start in range(0, len(pcm), CHUNK):
        parallel.feed(pcm[start : start + CHUNK])
        assert child._queued == 0
    assert parallel.finish().text is not None
    assert _companions(parallel).in_child


def test_the_second_process_is_not_interrupted_by_ctrl_c_and_ends_on_close(
    parallel: Recogniser, spoken: Callable[..., bytes]
) -> None:
    parallel.recognise(spoken("yes"))
    child = _companions(parallel)._child
    assert child is not None
    assert os.getpgid(child.process.pid) != os.getpgid(0)  # the terminal's Ctrl-C goes elsewhere
    parallel.close()
    assert child.process.poll() is not None


def test_a_stalled_second_process_is_replaced_within_the_time_limit(
    in_process: Recogniser,
    parallel: Recogniser,
    spoken: Callable[..., bytes],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(companion, "FINISH_TIMEOUT", 0.5)
    pcm = spoken("yes")
    in_process.expect_answer(True)
    expected = in_process.recognise(pcm)
    child = _companions(parallel)._child
    assert child is not None
    parallel.expect_answer(True)
    parallel.recognise(spoken("no"))  # the child is up and has answered once
    os.kill(child.process.pid, signal.SIGSTOP)  # alive, but answers nothing
    heard = parallel.recognise(pcm)
    assert (heard.text, heard.answer) == (expected.text, expected.answer)
    assert not _companions(parallel).in_child
    assert child.process.poll() is not None  # the stalled child was ended, not left behind
