"""Properties: no intent sequence crashes the engine or lets a red flag end in reassurance."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from skill import intents as i
from skill.content import load_content
from skill.engine import handle, launch
from skill.state import DialogueState

CONTENT = load_content("en-US")
_RATES = st.sampled_from([*i.RATE_VALUES, "", "sideways"])
_TURNS = st.one_of(
    st.tuples(st.sampled_from(sorted(i.ALL_INTENTS)), st.just({})),
    st.tuples(st.just(i.SPEECH_RATE), st.fixed_dictionaries({i.RATE_SLOT: _RATES})),
    st.tuples(st.text(max_size=20), st.dictionaries(st.text(max_size=5), st.text(max_size=5))),
    st.tuples(st.sampled_from([i.YES, i.NO, i.UNSURE]), st.just({})),
)


@settings(max_examples=400, deadline=None)
@given(turns=st.lists(_TURNS, max_size=40), through_json=st.booleans(), spoken=st.booleans())
def test_no_sequence_crashes_or_reassures_after_a_red_flag(
    turns: list[tuple[str, dict[str, str]]], through_json: bool, spoken: bool
) -> None:
    step = launch(CONTENT)
    state = step.state
    flagged = False  # a yes or unsure was given to a red-flag question of the running check
    for intent, slots in turns:
        was_in_check = state.in_check
        was_last_question = state.question == len(CONTENT.questions) - 1
        if not was_in_check:
            flagged = False
        step = handle(CONTENT, state, intent, slots, confirm_no=spoken)
        reply = step.reply
        assert reply.speech, intent
        assert reply.end_session or reply.reprompt, intent
        answered_positive = was_in_check and intent in (i.YES, i.UNSURE)
        if answered_positive:
            flagged = True
        if reply.outcome is not None:
            assert was_in_check
            assert reply.outcome != "self_care" or not flagged
            if answered_positive and was_last_question:
                assert reply.outcome == "urgent"
            assert step.state.last_speech[-1] == "disclaimer.full"
        if reply.end_session:
            state = DialogueState()
            flagged = False
            continue
        state = step.state
        if through_json:
            state = DialogueState.from_dict(json.loads(json.dumps(state.to_dict())), CONTENT)


@settings(max_examples=300, deadline=None)
@given(
    data=st.dictionaries(
        st.text(max_size=15),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=30),
            lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner),
            max_leaves=10,
        ),
    )
)
def test_untrusted_state_never_crashes_the_engine(data: dict[str, object]) -> None:
    state = DialogueState.from_dict(data, CONTENT)
    for intent in (i.YES, i.REPEAT, i.TELL_ME_MORE, i.NO):
        step = handle(CONTENT, state, intent)
        assert step.reply.speech
        state = step.state


def test_not_heard_reprompts_then_offers_the_keyboard_without_touching_repeat() -> None:
    from skill.engine import MISSES_BEFORE_KEYBOARD, not_heard
    from skill.render import to_plain

    state = handle(CONTENT, launch(CONTENT).state, i.SYMPTOM_CHECK).state
    question = CONTENT.block(CONTENT.questions[0]).text()
    for misses in range(1, MISSES_BEFORE_KEYBOARD + 1):
        step = not_heard(CONTENT, state, misses)
        spoken = to_plain(step.reply.speech)
        assert spoken.startswith(CONTENT.block("not_heard").text())
        assert spoken.endswith(question)
        keyboard = CONTENT.block("offer.keyboard").text() in spoken
        assert keyboard is (misses >= MISSES_BEFORE_KEYBOARD)
        assert step.state.question == state.question
        assert step.state.last_speech == state.last_speech
    repeated = handle(CONTENT, step.state, i.REPEAT).reply
    assert CONTENT.block("not_heard").text() not in to_plain(repeated.speech)
