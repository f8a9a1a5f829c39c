"""The interaction model and the engine agree: every model intent is handled, and the reverse."""

from __future__ import annotations

from skill.content import Content
from skill.engine import handled_intents
from skill.interaction_model import load_interaction_model


def test_every_intent_in_the_model_has_a_handler_and_the_reverse(content: Content) -> None:
    model = set(load_interaction_model("en-US").intents)
    assert model == set(handled_intents(content))
