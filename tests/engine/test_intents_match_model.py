"""The interaction model and the engine agree: every model intent is handled, and the reverse."""

from __future__ import annotations

from skill import intents
from skill.content import Content
from skill.engine import handled_intents
from skill.interaction_model import load_interaction_model


def test_every_intent_in_the_model_has_a_handler_and_the_reverse(content: Content) -> None:
    model = set(load_interaction_model("en-US").intents)
    assert model == set(handled_intents(content))


def test_the_model_has_every_intent_spec_md_names() -> None:
    assert set(load_interaction_model("en-US").intents) == set(intents.ALL_INTENTS)
