"""Shared fixtures: the shipped content, the interaction model and where test data lives."""

from __future__ import annotations

from pathlib import Path

import pytest

from skill.content import Content, load_content

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content("en-US")
