"""The shipped en-US interaction model builds under Alexa's rules and has SPEC.md's intents."""

from __future__ import annotations

from skill import intents
from skill.interaction_model import alexa_rule_problems, load_interaction_model


def test_shipped_model_has_no_alexa_rule_problems() -> None:
    assert alexa_rule_problems(load_interaction_model("en-US").raw) == []


def test_shipped_model_has_exactly_the_intents_spec_names() -> None:
    model = load_interaction_model("en-US")
    assert set(model.intents) == intents.ALL_INTENTS


def test_invocation_name() -> None:
    assert load_interaction_model("en-US").invocation_name == "muscle twitch guide"
