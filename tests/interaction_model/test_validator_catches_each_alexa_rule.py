"""alexa_rule_problems catches every rule it claims to check, and nothing else.

Each file in fixtures/rules/ is a small model that is clean except for one deliberate breach,
with the (rule, field) problems it must produce and, where the wording matters, what the
message says. A fixture passes only if exactly those problems are reported, so a rule that stops
firing, or fires where it should not, fails here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from skill.interaction_model import ALEXA_RULES, alexa_rule_problems

FIXTURES = sorted((Path(__file__).parent / "fixtures" / "rules").glob("*.json"))
PROBLEM = re.compile(r"^(?P<field>[^:]+): (?P<message>.+) \[(?P<rule>[a-z-]+)\]$", re.DOTALL)


def _fixture(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _reported(model: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(rule, field, message) of every problem, checking each is in the documented form."""
    found = []
    for problem in alexa_rule_problems(model):
        match = PROBLEM.match(problem)
        assert match, f"problem not in '<field>: <message> [<rule>]' form: {problem!r}"
        found.append((match["rule"], match["field"], match["message"]))
    return sorted(found)


def test_there_is_a_clean_base_and_many_breaches() -> None:
    names = {path.stem for path in FIXTURES}
    assert "valid_minimal" in names
    assert len(names) >= len(ALEXA_RULES)


@pytest.mark.parametrize("path", FIXTURES, ids=[path.stem for path in FIXTURES])
def test_fixture_reports_exactly_its_expected_problems(path: Path) -> None:
    fixture = _fixture(path)
    expected = sorted((item["rule"], item["field"]) for item in fixture["expected"])
    if path.stem != "valid_minimal":
        assert expected, f"{path.name} expects no problem, so it proves nothing"
    reported = _reported(fixture["model"])
    assert [(rule, field) for rule, field, _ in reported] == expected, fixture["description"]
    for item in fixture["expected"]:
        if "says" in item:
            messages = [
                m for rule, field, m in reported if (rule, field) == (item["rule"], item["field"])
            ]
            assert any(item["says"] in message for message in messages), (item, messages)


def test_every_rule_has_a_fixture_that_breaks_it() -> None:
    broken = {item["rule"] for path in FIXTURES for item in _fixture(path)["expected"]}
    assert {rule.id for rule in ALEXA_RULES} - broken == set()


def test_every_rule_names_its_documentation() -> None:
    ids = [rule.id for rule in ALEXA_RULES]
    assert len(ids) == len(set(ids))
    for rule in ALEXA_RULES:
        assert rule.summary
        assert rule.source.startswith("https://developer.amazon.com/"), rule.id


@pytest.mark.parametrize("raw", [{}, {"interactionModel": []}, {"interactionModel": {}}])
def test_a_model_without_a_language_model_is_one_structure_problem(raw: dict[str, Any]) -> None:
    problems = alexa_rule_problems(raw)
    assert len(problems) == 1
    assert problems[0].endswith("[structure]")
