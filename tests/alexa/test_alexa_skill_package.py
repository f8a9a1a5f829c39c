"""``twitch-guide skill-package DIR`` writes an ASK CLI project the CLI can deploy."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from skill.alexa.skill_package import CATEGORY, LOCALES, write_skill_package
from skill.cli import main
from skill.content import Content
from skill.interaction_model import alexa_rule_problems, load_interaction_model

ENDPOINT = "https://twitch.example.org/alexa"


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("ask-project")
    assert main(["skill-package", str(directory), "--endpoint", ENDPOINT]) == 0
    return directory


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def test_the_cli_project_points_at_the_skill_package(package: Path) -> None:
    resources = _json(package / "ask-resources.json")
    src = resources["profiles"]["default"]["skillMetadata"]["src"]
    assert (package / src / "skill.json").is_file()


def test_one_model_per_english_locale_from_the_one_source(package: Path) -> None:
    source = load_interaction_model("en-US").raw
    models = sorted((package / "skill-package" / "interactionModels" / "custom").iterdir())
    assert [path.name for path in models] == sorted(f"{locale}.json" for locale in LOCALES)
    for path in models:
        raw = _json(path)
        assert raw == source, path.name
        assert alexa_rule_problems(raw) == [], path.name


def test_the_manifest_describes_the_skill_truthfully(package: Path, content: Content) -> None:
    manifest = _json(package / "skill-package" / "skill.json")["manifest"]
    assert manifest["manifestVersion"] == "1.0"
    publishing = manifest["publishingInformation"]
    assert publishing["category"] == CATEGORY == "HEALTH_AND_FITNESS"
    assert sorted(publishing["locales"]) == sorted(LOCALES)
    for locale, listing in publishing["locales"].items():
        assert listing["name"] == content.skill_name, locale
        assert 0 < len(listing["summary"]) <= 160, locale
        assert content.block("disclaimer.full").text() in listing["description"], locale
    assert manifest["privacyAndCompliance"] == {
        "allowsPurchases": False,
        "usesPersonalInfo": False,
        "isChildDirected": False,
        "isExportCompliant": True,
        "containsAds": False,
        "usesHealthInfo": False,
    }
    assert manifest["apis"]["custom"]["endpoint"] == {
        "uri": ENDPOINT,
        "sslCertificateType": "Trusted",
    }


def test_example_phrases_are_real_samples(package: Path) -> None:
    manifest = _json(package / "skill-package" / "skill.json")["manifest"]
    model = load_interaction_model("en-US")
    name = model.invocation_name
    samples = {sample for spec in model.intents.values() for sample in spec.samples}
    for listing in manifest["publishingInformation"]["locales"].values():
        first, *others = listing["examplePhrases"]
        assert first == f"Alexa, open {name}"
        assert 1 <= len(others) <= 2
        for phrase in others:
            prefix = f"Alexa, ask {name} "
            assert phrase.startswith(prefix)
            assert phrase.removeprefix(prefix) in samples


def test_a_lambda_arn_endpoint_has_no_certificate_type(tmp_path: Path) -> None:
    arn = "arn:aws:lambda:us-east-1:123456789012:function:twitch-guide"
    write_skill_package(tmp_path, endpoint=arn)
    manifest = _json(tmp_path / "skill-package" / "skill.json")["manifest"]
    assert manifest["apis"]["custom"]["endpoint"] == {"uri": arn}


def test_without_an_endpoint_the_manifest_leaves_it_out_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["skill-package", str(tmp_path)]) == 0
    manifest = _json(tmp_path / "skill-package" / "skill.json")["manifest"]
    assert "endpoint" not in manifest["apis"]["custom"]
    assert "--endpoint" in capsys.readouterr().err


@pytest.mark.parametrize("endpoint", ["http://twitch.example.org/alexa", "twitch.example.org", ""])
def test_an_endpoint_that_alexa_cannot_call_is_refused(
    endpoint: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["skill-package", str(tmp_path), "--endpoint", endpoint]) == 2
    assert "endpoint" in capsys.readouterr().err
    assert not (tmp_path / "skill-package").exists()
