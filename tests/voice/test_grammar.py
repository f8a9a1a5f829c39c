"""What the recogniser listens for comes from the interaction model and nothing else."""

from __future__ import annotations

import re

from local_voice.grammar import Grammar
from skill.intents import ANSWER_INTENTS, SPEECH_RATE
from skill.interaction_model import load_interaction_model

MODEL = load_interaction_model("en-US")


def _alternatives(jsgf: str) -> set[str]:
    body = jsgf.split("=", 1)[1].rsplit(";", 1)[0]
    return {" ".join(a.split()) for a in re.findall(r"\(([^()]*)\)", body)}


def test_the_answer_grammar_accepts_exactly_the_answer_samples() -> None:
    grammar = Grammar.from_model(MODEL, ANSWER_INTENTS)
    said = {s.lower() for name in ANSWER_INTENTS for s in MODEL.intents[name].samples}
    jsgf = grammar.jsgf("answer")
    assert jsgf.startswith("#JSGF V1.0;\ngrammar answer;\npublic <answer> = ")
    assert _alternatives(jsgf) == said


def test_a_slot_is_spelt_out_with_every_value_and_synonym() -> None:
    grammar = Grammar.from_model(MODEL, {SPEECH_RATE})
    alternatives = _alternatives(grammar.jsgf())
    assert "speak slower" in alternatives and "speak too fast" in alternatives
    assert not any("{" in a for a in alternatives)
    rate = MODEL.slot_types["SpeechRateType"]
    phrases = sum(1 + len(v.synonyms) for v in rate.values)
    assert len(alternatives) <= len(MODEL.intents[SPEECH_RATE].samples) * phrases
