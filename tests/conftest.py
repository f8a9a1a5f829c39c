"""Shared fixtures: the shipped content, the interaction model and where test data lives."""

from __future__ import annotations

from pathlib import Path

import pytest

from skill.content import Content, load_content

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content("en-US")


@pytest.fixture(autouse=True)
def own_data_folder(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Each test (and every program it starts) has a data folder of its own, so a voice the
    developer taught voice mode on this machine is never what a test hears with."""
    folder = tmp_path_factory.mktemp("data-home")
    monkeypatch.setenv("XDG_DATA_HOME", str(folder))
    return folder
