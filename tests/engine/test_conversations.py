"""Conversations kept as data: each file says what it proves and what every turn must say.

The state is carried between turns through JSON, as Alexa carries it in session attributes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from skill.content import Content
from skill.engine import Step, handle, launch
from skill.render import to_plain
from skill.state import DialogueState, parse_ref

CONVERSATIONS = sorted((Path(__file__).parents[1] / "fixtures" / "conversations").glob("*.json"))


def _keys(state: DialogueState) -> list[str]:
    return [parse_ref(item)[0] for item in state.last_speech]


def _check(step: Step, expect: dict[str, Any], previous: Step | None, where: str) -> None:
    reply, state = step.reply, step.state
    if "keys" in expect:
        assert _keys(state) == expect["keys"], where
    if "end_session" in expect:
        assert reply.end_session is expect["end_session"], where
    if "has_reprompt" in expect:
        assert bool(reply.reprompt) is expect["has_reprompt"], where
    if "outcome" in expect:
        assert state.outcome == expect["outcome"], where
    if "question" in expect:
        pending = None if state.question is None else state.question + 1
        assert pending == expect["question"], where
    if "rate" in expect:
        assert state.rate == reply.rate == expect["rate"], where
    if "card_title" in expect:
        assert reply.card_title == expect["card_title"], where
    if expect.get("same_as_previous"):
        assert previous is not None, where
        assert to_plain(reply.speech) == to_plain(previous.reply.speech), where
        assert reply.reprompt == previous.reply.reprompt, where


@pytest.mark.parametrize("path", CONVERSATIONS, ids=[p.stem for p in CONVERSATIONS])
def test_conversation(path: Path, content: Content) -> None:
    script = json.loads(path.read_text())
    assert script["proves"] and script["turns"]
    carried: dict[str, Any] = {}
    previous: Step | None = None
    for number, turn in enumerate(script["turns"], start=1):
        state = DialogueState.from_dict(json.loads(json.dumps(carried)), content)
        if turn.get("launch"):
            step = launch(content, state)
        else:
            step = handle(
                content,
                state,
                turn["intent"],
                turn.get("slots"),
                confirm_no=turn.get("confirm_no", False),
            )
        where = f"{path.name} turn {number}: {turn.get('intent', 'launch')}"
        _check(step, turn.get("expect", {}), previous, where)
        carried = {} if step.reply.end_session else step.state.to_dict()
        previous = step


def test_every_conversation_file_is_run() -> None:
    assert len(CONVERSATIONS) >= 10
