"""The recogniser hears espeak-ng's voices and the shared understanding finds the intent.

Synthetic speech is far from the people pocketsphinx's model was trained on, and the figures
are modest (``bench/voice.py`` prints them against their targets). The floors below are set a
little under what was measured, so a change that makes recognition worse fails here.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest
from voice_support import (
    COMMON_ANSWERS,
    RATES,
    heard_right,
    needs_espeak,
    read_lines,
    taken_as,
)

from local_voice.grammar import Grammar
from local_voice.recogniser import Recogniser
from local_voice.synthetic import VOICES
from skill.intents import ANSWER_INTENTS, FALLBACK, TOPIC_INTENTS
from skill.session import LocalSession
from skill.state import DialogueState
from skill.understanding import Understander, normalise

pytestmark = needs_espeak
LINES = read_lines("spoken_intents.tsv")


def test_fixture_lines_are_model_samples_or_new_as_labelled(understander: Understander) -> None:
    for line in LINES:
        assert understander.is_sample(normalise(line.text)) is (line.source == "model"), line
        assert understander.understand(line.text).intent == line.intent, line
    assert {line.source for line in LINES} == {"model", "new"}
    assert len({line.intent for line in LINES}) >= 15


def test_intents_come_out_right_in_four_voices_at_two_rates(
    recogniser: Recogniser, understander: Understander, spoken: Callable[..., bytes]
) -> None:
    right: dict[tuple[str, str], list[bool]] = {}
    for line in LINES:
        for voice in VOICES:
            for rate in RATES:
                pcm = spoken(line.text, voice, rate)
                ok = heard_right(line, recogniser, understander, pcm)
                right.setdefault((line.source, voice), []).append(ok)

    def share(source: str, voices: tuple[str, ...] = VOICES) -> float:
        flags = [f for (s, v), fs in right.items() if s == source and v in voices for f in fs]
        return sum(flags) / len(flags)

    # Measured when written: model lines 47 % (en-us 74 %), new lines 72 % (en-us 91 %); with
    # 16 Gaussians a senone: model lines 52 % (en-us 76 %), new lines 67 % (en-us 86 %); with
    # each line's audio the same and a recogniser of its own: 55 % (74 %) and 64 % (86 %); with
    # espeak-ng's American and British pronunciations added: 55 % (76 %) and 75 % (91 %).
    assert share("model") >= 0.47
    assert share("new") >= 0.7
    assert share("model", ("en-us",)) >= 0.7
    assert share("new", ("en-us",)) >= 0.85


def test_words_missing_from_the_dictionary_are_heard(
    recogniser: Recogniser, spoken: Callable[..., bytes]
) -> None:
    assert "fasciculation" in recogniser.lexicon.generated
    heard = recogniser.recognise(spoken("what is a fasciculation"))
    assert heard.text is not None and "fasciculation" in heard.text.split()


@pytest.mark.parametrize("level", [0, 8, 300])
def test_silence_and_hiss_are_not_taken_for_a_question(
    level: int, recogniser: Recogniser, understander: Understander
) -> None:
    rng = np.random.default_rng(level)
    pcm = rng.integers(-level - 1, level + 1, 16_000 * 2).astype("<i2").tobytes()
    heard = recogniser.recognise(pcm)
    if heard.accepted and heard.text:
        assert understander.understand(heard.text).intent == FALLBACK, heard


@pytest.fixture()
def asking_session() -> tuple[LocalSession, DialogueState]:
    session = LocalSession.for_locale("en-US")
    session.start()
    return session, session.hear("should i see a doctor").state


def test_answers_are_heard_better_while_a_question_waits(
    recogniser: Recogniser,
    spoken: Callable[..., bytes],
    asking_session: tuple[LocalSession, DialogueState],
) -> None:
    """The answer grammar picks the right answer where the open model often does not."""
    session, asking = asking_session
    right = {False: 0, True: 0}
    for expecting in (False, True):
        recogniser.expect_answer(expecting)
        for text, intent in COMMON_ANSWERS:
            for voice in VOICES:
                for rate in RATES:
                    heard = recogniser.recognise(spoken(text, voice, rate))
                    assert expecting or heard.answer is None
                    right[expecting] += taken_as(session, asking, heard) == intent
    recogniser.expect_answer(False)
    # Measured when written, on the first five answers: 22 of 40 with the open model alone,
    # 32 of 40 with the grammar; with 16 Gaussians a senone, 26 and 33. On all ten, with each
    # line's audio the same and a recogniser of its own: 53 and 70 of 80; with espeak-ng's
    # American and British pronunciations added, 51 and 68; with the answer grammar's pauses
    # at its edges only (local_voice.companion.PAUSE), 52 and 68 (the phone loop then also
    # scored every second frame; since taken back). When British "have" and "not" got the
    # phones nearest their vowels (AA, AO), the open model alone rose to 60 and the grammar to
    # 68: the gap narrowed from 16 to 8 because the open model got better.
    assert right[True] >= 66
    assert right[True] >= right[False] + 6


def test_questions_asked_while_a_question_waits_are_seldom_taken_for_answers(
    recogniser: Recogniser,
    spoken: Callable[..., bytes],
    asking_session: tuple[LocalSession, DialogueState],
) -> None:
    session, asking = asking_session
    questions = [line for line in LINES if line.intent in TOPIC_INTENTS]
    taken = []
    recogniser.expect_answer(True)
    try:
        for line in questions:
            for voice in VOICES:
                heard = recogniser.recognise(spoken(line.text, voice))
                if taken_as(session, asking, heard) in ANSWER_INTENTS:
                    taken.append((line.text, voice, heard))
    finally:
        recogniser.expect_answer(False)
    # Measured when written: 7 of 68; with 16 Gaussians a senone, 2; this file run alone, 7
    # before and 5 after an answer much shorter than what the open model heard was no longer
    # believed (skill.session.LONGER_BY); with each line's audio the same and a recogniser of
    # its own, 3 of 72; with espeak-ng's American and British pronunciations added, 4 ("can
    # supplements help" three times: heard right, but under four words, so the answer
    # grammar's guess won); once a short question heard as surely as a sample counted
    # (skill.session.SURE_QUESTION), 1; with the open model's higher language weights used
    # while an answer is expected too, 4 (so that search keeps pocketsphinx's own: 1); with the
    # answer grammar's pauses at its edges only (and the phone loop, since taken back, scoring
    # every second frame), 2 ("what does magnesium do" twice, misheard as "what are the real
    # do" and "what are not really you", the grammar's "not a clue" and "luckily not" winning). A
    # question taken for yes or not sure leads to a professional (the cautious side); one taken
    # for no is asked again (a spoken no counts only when said twice).
    assert len(taken) <= 3, taken


def test_an_answer_both_decoders_heard_word_for_word_counts_whatever_its_score(
    recogniser: Recogniser, spoken: Callable[..., bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(recogniser, "threshold", math.inf)  # no score is good enough
    recogniser.expect_answer(True)
    agreed = recogniser.recognise(spoken("not sure"))
    recogniser.expect_answer(False)
    alone = recogniser.recognise(spoken("not sure"))
    assert agreed.text == agreed.answer and agreed.accepted
    assert alone.answer is None and not alone.accepted


def test_the_n_best_vote_finds_more_intents_than_the_best_text_alone(
    recogniser: Recogniser, understander: Understander, spoken: Callable[..., bytes]
) -> None:
    best = vote = 0
    for line in LINES:
        for voice in VOICES:
            heard = recogniser.recognise(spoken(line.text, voice, 200))
            if heard.text is None:  # nothing heard: no n-best list to vote with either
                assert heard.alternatives == (), heard
            else:
                weights = [h.weight for h in heard.alternatives]
                assert heard.alternatives[0].text == heard.text, heard
                assert weights == sorted(weights, reverse=True) and weights[-1] > 0, heard
            best += understander.understand(heard.text or "").intent == line.intent
            vote += understander.understand_heard(heard.alternatives).intent == line.intent
    # Measured when written: 78 of 128 from the best text, 82 from the vote; with each line's
    # audio the same and a recogniser of its own, 77 and 83; with espeak-ng's American and
    # British pronunciations added, 79 and 86. With British "have" and "not" given the phones
    # nearest their vowels the best text rose to 95 and the vote gained nothing more here (95;
    # at both rates, 196 and 191). On development lines (sets C, M, N, O, every fourth, 4
    # voices, 2 rates) it still gained: 1,081 -> 1,114 of 1,512; so it stays, and this test
    # holds it to losing no intent on these lines.
    assert vote >= best, (best, vote)


#: Answers whose best path in the answer grammar often stopped part-way ("on" of "on and off").
PARTIAL_PRONE = ("uh huh", "nah", "of course", "yup", "not that i know of", "i am not", "dunno")


def test_the_answer_grammar_gives_only_whole_answers(
    recogniser: Recogniser, spoken: Callable[..., bytes]
) -> None:
    whole = set(Grammar.for_locale("en-US", ANSWER_INTENTS).alternatives())
    recogniser.expect_answer(True)
    try:
        answers = [
            recogniser.recognise(spoken(text, voice, rate)).answer
            for text in PARTIAL_PRONE
            for voice in VOICES
            for rate in RATES
        ]
    finally:
        recogniser.expect_answer(False)
    assert all(answer is None or answer in whole for answer in answers), answers
    # Measured when written: a whole answer for 50 of 56; before, 30 were part of one. With
    # the grammar's pauses at its edges only (local_voice.companion.PAUSE), 54.
    assert sum(answer is not None for answer in answers) >= 46


def test_while_a_question_waits_the_open_model_expects_answers(
    recogniser: Recogniser,
    understander: Understander,
    spoken: Callable[..., bytes],
) -> None:
    """Its language model then weighs the answers up: short answers come out as answers."""
    right = {False: 0, True: 0}
    for expecting in (False, True):
        recogniser.expect_answer(expecting)
        for text, intent in COMMON_ANSWERS:
            for voice in VOICES:
                for rate in RATES:
                    heard = recogniser.recognise(spoken(text, voice, rate))
                    right[expecting] += understander.understand(heard.text or "").intent == intent
    recogniser.expect_answer(False)
    # Measured when written, on the first five answers: 28 of 40 without, 32 of 40 while
    # expecting. On all ten, with each line's audio the same and a recogniser of its own: 54
    # and 60; with espeak-ng's American and British pronunciations added, 49 and 56 (more ways
    # to say each word, more near misses for short ones; the answer grammar makes up for it).
    # With the open model's higher language weights (local_voice.recogniser.LANGUAGE_WEIGHT),
    # 51 and 56, under the floor, so the answers now count five times rather than four: 51, 57.
    # With British "have" and "not" given the phones nearest their vowels, 54 and 59; on every
    # other answer sample (864 said, 4 voices, 2 rates) the open model alone then heard 519
    # without expecting answers and 587 while expecting them.
    assert right[True] >= right[False] + 4, right
