"""Local understanding: built from the interaction model alone, robust to typos, off-topic safe."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from skill.intents import FALLBACK
from skill.interaction_model import load_interaction_model
from skill.understanding import Understander, normalise

FIXTURES = Path(__file__).parents[1] / "fixtures" / "understanding"
MODEL = load_interaction_model("en-US")
UNDERSTANDER = Understander(MODEL)


def _rows(name: str) -> list[dict[str, str]]:
    with (FIXTURES / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.mark.parametrize("row", _rows("must-understand-en-US.tsv"), ids=lambda r: r["utterance"])
def test_utterances_that_must_be_understood(row: dict[str, str]) -> None:
    result = UNDERSTANDER.understand(row["utterance"])
    assert result.intent == row["intent"]
    expected = dict(p.split("=", 1) for p in row["slots"].split(",") if p)
    if expected:
        assert result.slots == expected
    assert 0.0 <= result.confidence <= 1.0


def test_every_sample_of_the_model_is_understood_as_its_own_intent() -> None:
    wrong = []
    for spec in MODEL.intents.values():
        for sample in spec.samples:
            if "{" in sample:
                continue
            got = UNDERSTANDER.understand(sample).intent
            if got != spec.name:
                wrong.append((sample, spec.name, got))
    assert wrong == []


def test_no_off_topic_utterance_lands_on_a_health_answer() -> None:
    rows = [r for r in _rows("heldout-en-US.tsv") if r["intent"] == FALLBACK]
    landed = [
        (r["utterance"], got)
        for r in rows
        if (got := UNDERSTANDER.understand(r["utterance"]).intent) != FALLBACK
    ]
    # The held-out off-topic lines are a benchmark; this guards against a regression past 10 %.
    assert len(landed) <= len(rows) // 10, landed


@pytest.mark.parametrize("text", ["", "   ", "...", "\u200b", "🙂🙂", "x" * 5000])
def test_empty_or_strange_input_is_fallback(text: str) -> None:
    assert UNDERSTANDER.understand(text).intent == FALLBACK


def test_normalising_expands_contractions_and_joins_spelled_letters() -> None:
    assert normalise("What\u2019s an E.M.G.?") == "what is an emg"
    assert normalise("I DON'T know") == "i do not know"


def test_understand_command_prints_one_json_object_a_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "skill.cli", "understand"],
        input="is twitching dangerous\n\nplay music\n",
        capture_output=True,
        text=True,
        check=True,
    )
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["intent"] for r in records] == ["DangerIntent", FALLBACK]
    assert set(records[0]) == {"text", "intent", "slots", "confidence"}
    assert result.stderr == ""


@pytest.mark.parametrize(
    "text,intent",
    [
        ("should i see a physician about it", "SymptomCheckIntent"),
        ("are these twitches hazardous", "DangerIntent"),
    ],
)
def test_general_synonyms_reach_the_words_the_model_uses(text: str, intent: str) -> None:
    assert UNDERSTANDER.understand(text).intent == intent


@pytest.mark.parametrize(
    "text", ["what worsens my twitching", "my dog keeps twitching in his sleep"]
)
def test_words_of_the_topic_decide_whether_a_line_is_on_topic(text: str) -> None:
    """ "worsens" is new to the model, but "twitching" is clearly on topic; a dog is not."""
    result = UNDERSTANDER.understand(text)
    assert (result.intent == FALLBACK) == ("dog" in text)
