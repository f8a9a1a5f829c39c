"""load_interaction_model builds the dataclasses, and its errors name the file and the field.

Each file in fixtures/loader/ holds the text of a malformed model and the field (or JSON
position) the error must name.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from skill.interaction_model import (
    MODELS_DIR,
    IntentSpec,
    InteractionModelError,
    SlotType,
    SlotValue,
    load_interaction_model,
    model_path,
)

FIXTURES = sorted((Path(__file__).parent / "fixtures" / "loader").glob("*.json"))


@pytest.mark.parametrize("fixture", FIXTURES, ids=[path.stem for path in FIXTURES])
def test_malformed_model_error_names_file_and_field(fixture: Path, tmp_path: Path) -> None:
    case: dict[str, Any] = json.loads(fixture.read_text(encoding="utf-8"))
    broken = tmp_path / "en-US.json"
    broken.write_text(case["text"], encoding="utf-8")
    with pytest.raises(InteractionModelError) as caught:
        load_interaction_model(path=broken)
    message = str(caught.value)
    assert message.startswith(f"{broken}: "), message
    assert f": {case['expected_field']}" in message, (case["description"], message)


def test_there_are_loader_fixtures() -> None:
    assert len(FIXTURES) >= 10


def test_a_missing_shipped_model_is_named_relative_to_the_repository() -> None:
    with pytest.raises(InteractionModelError, match=r"^interaction_models/xx-XX\.json: "):
        load_interaction_model("xx-XX")


@pytest.mark.parametrize("locale", ["../en-US", "en_US", "english", ""])
def test_model_path_accepts_only_locale_codes(locale: str) -> None:
    with pytest.raises(InteractionModelError):
        model_path(locale)


def test_model_path_points_into_models_dir() -> None:
    assert model_path() == MODELS_DIR / "en-US.json"
    assert MODELS_DIR.name == "interaction_models"
    assert model_path().is_file()


def test_loaded_model_has_typed_intents_slots_and_values() -> None:
    model = load_interaction_model()
    assert model.locale == "en-US"
    rate = model.intents["SpeechRateIntent"]
    assert isinstance(rate, IntentSpec)
    assert rate.slots["rate"] == "SpeechRateType"
    assert "speak {rate}" in rate.samples
    speech_rate = model.slot_types["SpeechRateType"]
    assert isinstance(speech_rate, SlotType)
    slower = speech_rate.values[0]
    assert isinstance(slower, SlotValue)
    assert (slower.id, slower.name) == ("slower", "slower")
    assert "slow down" in slower.synonyms
    assert next(iter(model.intents)) == "WhatIsTwitchingIntent"  # file order is kept


def test_loaded_model_is_read_only_and_raw_is_a_copy() -> None:
    model = load_interaction_model()
    with pytest.raises(TypeError):
        model.intents["NewIntent"] = IntentSpec("NewIntent", ())  # type: ignore[index]
    model.raw["interactionModel"]["languageModel"]["invocationName"] = "changed"
    assert load_interaction_model().invocation_name == "muscle twitch guide"
    assert hash(model.intents["AMAZON.YesIntent"])  # specs stay hashable


def test_slot_value_id_defaults_to_its_value(tmp_path: Path) -> None:
    raw = json.loads(model_path().read_text(encoding="utf-8"))
    values = raw["interactionModel"]["languageModel"]["types"][0]["values"]
    del values[0]["id"]
    file = tmp_path / "en-US.json"
    file.write_text(json.dumps(raw), encoding="utf-8")
    model = load_interaction_model(path=file)
    assert model.slot_types["SpeechRateType"].values[0].id == values[0]["name"]["value"]
