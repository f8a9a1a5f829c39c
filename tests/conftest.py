"""Shared fixtures: the shipped content, the interaction model and where test data lives."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from skill.content import Content, load_content

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content("en-US")


@pytest.fixture(scope="session", autouse=True)
def no_developer_data(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The whole run (and every program it starts) has a data folder of its own, so a voice
    the developer taught voice mode on this machine is never what a test hears with."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("data-home")))
        yield


@pytest.fixture
def own_data_folder(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A data folder for this test alone (for tests that learn a voice and keep it)."""
    folder = tmp_path_factory.mktemp("data-home")
    monkeypatch.setenv("XDG_DATA_HOME", str(folder))
    return folder
