"""Playback can be cut short at once, and a player that fails says so instead of hanging."""

from __future__ import annotations

import time
from pathlib import Path

from local_voice.playback import Player


def _long_player() -> Player:
    # Stands in for aplay on a machine with no sound card: a player that takes 10 s.
    return Player(("sh", "-c", "sleep 10", "player"))


def test_enter_stops_a_long_reply_at_once(tmp_path: Path) -> None:
    player = _long_player()
    started = time.monotonic()
    presses = iter([None, None, ""])
    result = player.play(tmp_path / "reply.wav", lambda: next(presses, ""))
    assert result.stopped and result.typed is None and not result.failed
    assert time.monotonic() - started < 2


def test_a_typed_question_stops_the_reply_and_is_kept(tmp_path: Path) -> None:
    result = _long_player().play(tmp_path / "reply.wav", lambda: "what causes it")
    assert result.stopped and result.typed == "what causes it"


def test_a_player_that_fails_is_reported(tmp_path: Path) -> None:
    assert Player(("false",)).play(tmp_path / "reply.wav").failed
    assert Player(("/nonexistent/player",)).play(tmp_path / "reply.wav").failed
