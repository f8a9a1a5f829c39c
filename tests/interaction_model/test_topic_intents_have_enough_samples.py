"""Every custom topic intent has at least twenty sample utterances to learn from."""

from __future__ import annotations

import pytest

from skill import intents
from skill.interaction_model import load_interaction_model

TOPIC_INTENTS = sorted(
    intents.TOPIC_INTENTS
    | {intents.SYMPTOM_CHECK, intents.DISCLAIMER, intents.LIST_TOPICS, intents.TELL_ME_MORE}
)


def test_the_fourteen_topic_intents() -> None:
    assert len(TOPIC_INTENTS) == 14


@pytest.mark.parametrize("name", TOPIC_INTENTS)
def test_topic_intent_has_at_least_twenty_samples(name: str) -> None:
    samples = load_interaction_model("en-US").intents[name].samples
    assert len(samples) >= 20, f"{name} has {len(samples)} samples"
