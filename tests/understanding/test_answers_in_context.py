"""While a red-flag question waits, answers are read in its light; elsewhere nothing changes.

These are pure: no audio. What a recogniser "heard" is given as text, as voice mode passes it.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from skill import intents as i
from skill.session import LONGER_BY, QUESTION_WORDS, SURE_QUESTION, LocalSession
from skill.state import DialogueState
from skill.understanding import Understander, normalise

UNDERSTANDER = Understander.for_locale("en-US")


def _asking() -> tuple[LocalSession, DialogueState]:
    session = LocalSession.for_locale("en-US")
    session.start()
    state = session.hear("should i see a doctor").state
    assert state.in_check
    return session, state


def _intent(session: LocalSession, state: DialogueState, text: str, **heard: str) -> str:
    session.state = state
    turn = session.hear(text, spoken=bool(heard), **heard)
    assert turn.understanding is not None
    return turn.understanding.intent


@pytest.mark.parametrize(
    "typed,expanded",
    [
        ("i dont know", "i do not know"),
        ("im not sure", "i am not sure"),
        ("it doesnt", "it does not"),
        ("whats this twitch", "what is this twitch"),
        ("i cant tell", "i can not tell"),
    ],
)
def test_contractions_typed_without_the_apostrophe_are_expanded(typed: str, expanded: str) -> None:
    assert normalise(typed) == expanded


@pytest.mark.parametrize(
    "text,intent",
    [
        ("no my grip is fine", i.NO),
        ("nope tingling at all", i.NO),
        ("yes it keeps spreading", i.YES),
        ("i dont know maybe my voice is hoarse", i.UNSURE),
        ("not sure about the tingling", i.UNSURE),
    ],
)
def test_an_answer_that_goes_on_is_the_answer_it_opens_with(text: str, intent: str) -> None:
    session, asking = _asking()
    assert _intent(session, asking, text) == intent


@pytest.mark.parametrize(
    "text,intent",
    [
        # Alone, the next line reads like "what is twitching".
        ("no my calf muscles look the same as ever", i.NO),
        ("nope what causes twitching", i.NO),  # the answer first; the question can come again
        ("no is magnesium good", i.NO),
    ],
)
def test_an_opening_answer_wins_over_a_topic_read_into_what_follows(text: str, intent: str) -> None:
    assert UNDERSTANDER.understand(text).intent not in i.ANSWER_INTENTS | {i.FALLBACK}
    session, asking = _asking()
    assert _intent(session, asking, text) == intent


@pytest.mark.parametrize(
    "text",
    [
        "i have twitching in my calf should i worry",  # "i have" is a yes, and opens questions
        "i am worried my twitching is serious",
    ],
)
def test_an_opening_that_also_opens_questions_does_not_make_a_question_an_answer(
    text: str,
) -> None:
    assert UNDERSTANDER.leading_answer(text, i.ANSWER_INTENTS) is not None
    assert UNDERSTANDER.leading_answer(text, i.ANSWER_INTENTS, unambiguous=True) is None
    session, asking = _asking()
    assert _intent(session, asking, text) not in i.ANSWER_INTENTS


def test_outside_the_check_an_opening_no_is_not_an_answer() -> None:
    session = LocalSession.for_locale("en-US")
    session.start()
    assert _intent(session, session.state, "no my grip is strong") == i.FALLBACK
    assert UNDERSTANDER.leading_answer("what is it", i.ANSWER_INTENTS) is None


@pytest.mark.parametrize(
    "open_text,answer,intent",
    [
        ("going", "yes", i.YES),  # a word or two taken for a topic means nothing here
        ("look", "nah", i.NO),
        ("what", "not sure", i.UNSURE),
        ("sure", "not sure", i.UNSURE),
        ("know", "no", i.NO),
    ],
)
def test_while_a_question_waits_the_answer_grammar_is_believed(
    open_text: str, answer: str, intent: str
) -> None:
    session, asking = _asking()
    assert _intent(session, asking, open_text, answer=answer) == intent


@pytest.mark.parametrize(
    "open_text,intent",
    [
        ("repeat that", i.REPEAT),  # a command, however short
        ("stop", i.STOP),
        ("help", i.HELP),
        ("can anxiety cause twitching", i.ANXIETY),  # a question long enough to be one
        ("what helps muscle twitching", i.RELIEF),
    ],
)
def test_what_clearly_is_not_an_answer_is_not_turned_into_one(open_text: str, intent: str) -> None:
    assert len(open_text.split()) >= QUESTION_WORDS or intent in i.COMMAND_INTENTS
    session, asking = _asking()
    assert _intent(session, asking, open_text, answer="no") == intent


@pytest.mark.parametrize(
    "open_text,answer,intent",
    [
        ("can supplements help", "okay", i.SUPPLEMENTS),  # heard so by espeak-ng's en-gb voice
        ("is it dangerous", "it has", i.DANGER),
        ("go on", "no", i.TELL_ME_MORE),
    ],
)
def test_a_short_question_heard_as_surely_as_a_sample_is_not_turned_into_an_answer(
    open_text: str, answer: str, intent: str
) -> None:
    assert len(open_text.split()) < QUESTION_WORDS
    assert UNDERSTANDER.understand(open_text).confidence >= SURE_QUESTION
    session, asking = _asking()
    assert _intent(session, asking, open_text, answer=answer) == intent


def test_a_short_guess_the_open_model_is_unsure_of_leaves_the_answer_standing() -> None:
    understood = UNDERSTANDER.understand("what is that")
    assert understood.intent not in i.ANSWER_INTENTS and understood.confidence < SURE_QUESTION
    session, asking = _asking()
    assert _intent(session, asking, "what is that", answer="nope") == i.NO


@pytest.mark.parametrize(
    "open_text,answer",
    [
        # Heard for "can supplements help" and "what does magnesium do" (espeak-ng voices).
        ("can stop the i still that", "nope"),
        ("what are the real do", "not really"),
    ],
)
def test_an_answer_much_shorter_than_what_the_open_model_heard_is_not_believed(
    open_text: str, answer: str
) -> None:
    assert len(open_text.split()) >= len(answer.split()) + LONGER_BY
    session, asking = _asking()
    assert _intent(session, asking, open_text, answer=answer) not in i.ANSWER_INTENTS


@pytest.mark.parametrize(
    "open_text,answer,intent",
    [
        ("no my grip is fine", "no", i.NO),  # the answer it opens with
        ("yes it keeps on spreading", "yes", i.YES),
        ("i dont think so at all", "i don't think so", i.NO),  # not that much longer
        ("what is that", "nope", i.NO),
    ],
)
def test_an_answer_said_at_more_length_still_counts(
    open_text: str, answer: str, intent: str
) -> None:
    session, asking = _asking()
    assert _intent(session, asking, open_text, answer=answer) == intent


def test_outside_the_check_the_answer_grammar_is_ignored() -> None:
    session = LocalSession.for_locale("en-US")
    session.start()
    assert _intent(session, session.state, "what is muscle twitching", answer="yes") == i.WHAT_IS


def _answer_paraphrases() -> list[tuple[str, str]]:
    path = Path(__file__).parents[1] / "fixtures" / "understanding" / "answer-paraphrases-en-US.tsv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [(row["utterance"], row["intent"]) for row in rows]


@pytest.mark.parametrize("text,intent", _answer_paraphrases())
def test_answers_worded_unlike_any_sample_are_understood(text: str, intent: str) -> None:
    """Hedges ("no clue", "once or twice") are unsure, which counts as yes; a yes said with
    "actually" or "afraid" is a yes, never a cancel or a no."""
    assert not UNDERSTANDER.is_sample(normalise(text))
    session, state = _asking()
    assert _intent(session, state, text) == intent
