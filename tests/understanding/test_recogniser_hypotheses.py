"""What a speech recogniser's n-best list means: the intent its hypotheses agree on."""

from __future__ import annotations

import pytest

from skill.intents import ANXIETY, CAUSES, FALLBACK
from skill.understanding import Hypothesis, Understander

UNDERSTANDER = Understander.for_locale("en-US")


@pytest.mark.parametrize(
    "text", ["is muscle twitching dangerous", "what's the weather", "tell me more", ""]
)
def test_one_hypothesis_means_what_its_text_means(text: str) -> None:
    assert UNDERSTANDER.understand_heard([Hypothesis(text)]) == UNDERSTANDER.understand(text)


def test_no_hypothesis_is_fallback() -> None:
    assert UNDERSTANDER.understand_heard([]).intent == FALLBACK


def test_the_intent_several_hypotheses_agree_on_outweighs_an_unsure_best_one() -> None:
    # As a recogniser hears "can stress cause twitching" when its best text is a near miss.
    near_miss = UNDERSTANDER.understand("are the cause twitching")
    assert near_miss.intent != ANXIETY and near_miss.confidence < 0.5
    heard = [
        Hypothesis("are the cause twitching", 1.0),
        Hypothesis("can stress cause twitching", 0.8),
        Hypothesis("can stress calls twitching", 0.7),
    ]
    result = UNDERSTANDER.understand_heard(heard)
    assert result.intent == ANXIETY
    assert result.text == "can stress cause twitching"  # the likeliest text that means it


def test_a_sure_best_text_stands_whatever_the_others_say() -> None:
    heard = [
        Hypothesis("what causes twitching", 1.0),  # a sample, word for word
        Hypothesis("can stress cause twitching", 0.95),
        Hypothesis("can stress calls twitching", 0.95),
    ]
    assert UNDERSTANDER.understand_heard(heard).intent == CAUSES


def test_another_intent_needs_a_clear_margin_to_take_over() -> None:
    heard = [
        Hypothesis("are the cause twitching", 1.0),  # causes, unsure
        Hypothesis("can the dress cause twitching", 1.0),  # anxiety, less sure still
    ]
    assert UNDERSTANDER.understand_heard(heard).intent == CAUSES


def test_a_much_likelier_hypothesis_wins_over_unlikely_ones() -> None:
    heard = [
        Hypothesis("are the cause twitching", 1.0),
        Hypothesis("can stress cause twitching", 0.05),
        Hypothesis("can stress cause the twitching", 0.05),
    ]
    assert UNDERSTANDER.understand_heard(heard).intent == CAUSES
