"""Text mode: one line in, one plain reply out. Made for screen readers, terminals and scripts."""

from __future__ import annotations

import json
from typing import TextIO

from skill.render import to_plain
from skill.session import LocalSession, Turn


def turn_record(turn: Turn, heard: str | None) -> dict[str, object]:
    """The JSON object ``--jsonl`` prints for a turn."""
    understanding = turn.understanding
    return {
        "heard": heard,
        "intent": understanding.intent if understanding else "LaunchRequest",
        "slots": understanding.slots if understanding else {},
        "confidence": understanding.confidence if understanding else None,
        "speech": to_plain(turn.reply.speech),
        "end_session": turn.reply.end_session,
        "triage_outcome": turn.state.outcome,
    }


def run_text_mode(session: LocalSession, lines: TextIO, out: TextIO, *, jsonl: bool) -> int:
    """Talk until the person stops, the session ends, or input runs out. Returns an exit code."""

    def emit(turn: Turn, heard: str | None) -> None:
        if jsonl:
            out.write(json.dumps(turn_record(turn, heard), ensure_ascii=False) + "\n")
        else:
            out.write(to_plain(turn.reply.speech) + "\n")
        out.flush()

    emit(session.start(), None)
    for line in lines:
        heard = line.strip()
        if not heard:
            continue
        turn = session.hear(heard)
        emit(turn, heard)
        if turn.reply.end_session:
            break
    return 0
