"""The ``twitch-guide`` command: one entry point for every front end.

Front ends are imported only when chosen, so text mode starts without loading Flask or audio.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence


def _text(args: argparse.Namespace) -> int:
    from skill.session import LocalSession
    from skill.text_mode import run_text_mode

    return run_text_mode(
        LocalSession.for_locale(args.locale), sys.stdin, sys.stdout, jsonl=args.jsonl
    )


def _understand(args: argparse.Namespace) -> int:
    from skill.understanding import Understander

    understander = Understander.for_locale(args.locale)
    for line in sys.stdin:
        text = line.rstrip("\n")
        if not text.strip():
            continue
        result = understander.understand(text)
        record = {
            "text": text,
            "intent": result.intent,
            "slots": result.slots,
            "confidence": result.confidence,
        }
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    return 0


def _voice(args: argparse.Namespace) -> int:
    print(
        "twitch-guide: voice mode is not built yet; starting text mode instead.",
        file=sys.stderr,
    )
    return _text(args)


def build_parser() -> argparse.ArgumentParser:
    """The command line parser (kept separate so tests and docs can inspect it)."""
    parser = argparse.ArgumentParser(
        prog="twitch-guide",
        description="Muscle Twitch Guide: calm answers about visible muscle twitching. "
        "Not medical advice.",
    )
    parser.add_argument("--locale", default="en-US", help="content and model locale")
    commands = parser.add_subparsers(dest="command", required=True)

    text = commands.add_parser("text", help="text mode: one line in, one reply out")
    text.add_argument("--jsonl", action="store_true", help="print one JSON object a turn")
    text.set_defaults(run=_text)

    voice = commands.add_parser("voice", help="local voice mode")
    voice.add_argument("--jsonl", action="store_true", help="print one JSON object a turn")
    voice.set_defaults(run=_voice)

    understand = commands.add_parser(
        "understand", help="print intent, slots and confidence for each line of stdin"
    )
    understand.set_defaults(run=_understand)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        code: int = args.run(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    return code


if __name__ == "__main__":
    sys.exit(main())
