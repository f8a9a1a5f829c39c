"""The intent regression: shipped fresh, trained right, and asked only when the nearest samples
are unsure (a second opinion that never overrides a sure answer nor pulls off-topic lines in)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

import skill.understanding as understanding
from skill import intent_weights
from skill.intents import ALL_INTENTS, FALLBACK
from skill.interaction_model import load_interaction_model
from skill.language import load_language
from skill.understanding import Understander, training_bags

FIXTURES = Path(__file__).parents[1] / "fixtures" / "understanding"
UNDERSTANDER = Understander.for_locale("en-US")


def _nearest_only(text: str, monkeypatch: pytest.MonkeyPatch) -> understanding.Understanding:
    with monkeypatch.context() as patch:
        patch.setattr(understanding, "SECOND_OPINION_BELOW", -1.0)
        return UNDERSTANDER.understand(text)


def test_the_shipped_weights_are_trained_from_the_shipped_model_and_language() -> None:
    bags = training_bags(load_interaction_model("en-US"), load_language("en-US"))
    path = intent_weights.weights_path("en-US")
    fresh = intent_weights.load_weights(path, intent_weights.training_stamp(bags))
    assert fresh is not None, (
        f"{path.name} is stale: run `make weights` (python -m skill.train_intents)"
    )


def test_the_shipped_weights_stay_small() -> None:
    assert intent_weights.weights_path("en-US").stat().st_size < 400_000


@pytest.mark.parametrize(
    "text,nearest,intent",
    [
        ("what other things go with low magnesium", "MagnesiumIntent", "RiskFactorsIntent"),
        ("am i going to be fine with this twitch", "SymptomCheckIntent", "DangerIntent"),
    ],
)
def test_an_unsure_wrong_answer_is_corrected_by_the_regression(
    text: str, nearest: str, intent: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = _nearest_only(text, monkeypatch)
    assert (alone.intent, alone.confidence < understanding.SECOND_OPINION_BELOW) == (nearest, True)
    assert UNDERSTANDER.understand(text).intent == intent


def _lines(name: str) -> list[str]:
    with (FIXTURES / name).open(encoding="utf-8", newline="") as handle:
        return [
            r["utterance"] for r in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        ]


@pytest.mark.parametrize("name", ["must-understand-en-US.tsv", "heldout-en-US.tsv"])
def test_a_sure_nearest_answer_is_never_overridden(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    changed = []
    for text in _lines(name):
        alone = _nearest_only(text, monkeypatch)
        both = UNDERSTANDER.understand(text)
        # Strictly above: the confidence is rounded to 3 digits, so 0.4 may be 0.3996.
        if alone.confidence > understanding.SECOND_OPINION_BELOW and both != alone:
            changed.append((text, alone.intent, both.intent))
    assert changed == []


@pytest.mark.parametrize(
    "text", ["what's the weather", "play music", "tell me a joke", "who won the game last night"]
)
def test_off_topic_lines_still_reach_fallback(text: str) -> None:
    assert UNDERSTANDER.understand(text).intent == FALLBACK


def test_stale_weights_are_never_used_but_retrained(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stale = tmp_path / "weights.json"
    raw = json.loads(intent_weights.weights_path("en-US").read_text(encoding="utf-8"))
    stale.write_text(json.dumps({**raw, "stamp": "0" * 64}), encoding="utf-8")
    trained: list[int] = []

    def train(bags: list[intent_weights.Bag]) -> intent_weights.IntentWeights:
        trained.append(len(bags))
        return intent_weights.from_json(raw)

    monkeypatch.setattr(intent_weights, "weights_path", lambda locale: stale)
    monkeypatch.setattr(intent_weights, "train", train)
    Understander.for_locale("en-US")
    assert len(trained) == 1


def test_training_learns_the_samples_and_the_file_keeps_what_it_learnt(tmp_path: Path) -> None:
    bags = [
        ("Calm", frozenset({"calm", "relax"})),
        ("Calm", frozenset({"calm", "breath"})),
        ("Food", frozenset({"eat", "banana"})),
        ("Food", frozenset({"eat", "magnesium"})),
    ]
    weights = intent_weights.train(bags)
    assert weights.best(["relax"])[0] == "Calm"
    assert weights.best(["banana", "magnesium"])[0] == "Food"
    path = tmp_path / "w.json"
    intent_weights.save_weights(weights, path)
    assert intent_weights.load_weights(path, weights.stamp) == weights
    assert intent_weights.load_weights(path, "another stamp") is None


@pytest.mark.parametrize(
    "text,not_this",
    [
        ("stop watch app", "AMAZON.StopIntent"),  # would end the session
        ("cough not stopping", "AMAZON.NoIntent"),  # would answer a red-flag question
    ],
)
def test_the_second_opinion_never_gives_a_command_or_an_answer(
    text: str, not_this: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as patch:  # unrestricted, the regression would say it
        patch.setattr(understanding, "SECOND_OPINION_INTENTS", frozenset(ALL_INTENTS))
        assert UNDERSTANDER.understand(text).intent == not_this
    assert UNDERSTANDER.understand(text).intent != not_this
