"""The ``twitch-guide`` command: one entry point for every front end.

Front ends are imported only when chosen, so text mode starts without loading Flask or audio.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from skill.alexa import SKILL_ID_ENV


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
    from local_voice.tts import VoiceSettings
    from local_voice.voice_mode import PROGRAM, VoiceOptions, run_voice_mode

    chosen = {"voice": args.voice, "wpm": args.rate, "volume": args.volume}
    try:
        voice = VoiceSettings(**{k: v for k, v in chosen.items() if v is not None})
    except ValueError as error:
        print(f"{PROGRAM}: {error}", file=sys.stderr)
        return 2
    options = VoiceOptions(
        locale=args.locale,
        audio_in=tuple(args.audio_in or ()),
        wav_dir=args.wav_dir,
        voice=voice,
        keyboard=args.keyboard,
        jsonl=args.jsonl,
        voice_profile=args.voice_profile,
        learn_voice=args.learn_my_voice,
    )
    return run_voice_mode(options, sys.stdin, sys.stdout, sys.stderr)


def _serve(args: argparse.Namespace) -> int:
    from skill.alexa.serve import serve

    if args.no_verify:
        print(
            "twitch-guide: WARNING: request signature and timestamp checks are off "
            "(--no-verify); use this only for local testing.",
            file=sys.stderr,
        )
    if not args.skill_id:
        print(
            "twitch-guide: no skill id set (--skill-id or TWITCH_GUIDE_SKILL_ID); "
            "requests for any skill id are answered.",
            file=sys.stderr,
        )
    print(
        f"twitch-guide: serving the Alexa skill on http://{args.host}:{args.port}/", file=sys.stderr
    )
    serve(args.host, args.port, skill_id=args.skill_id or None, verify=not args.no_verify)
    return 0


def _skill_package(args: argparse.Namespace) -> int:
    from skill.alexa.skill_package import write_skill_package

    try:
        written = write_skill_package(args.directory, endpoint=args.endpoint)
    except ValueError as error:
        print(f"twitch-guide skill-package: {error}", file=sys.stderr)
        return 2
    for path in written:
        print(path)
    if args.endpoint is None:
        print(
            "twitch-guide skill-package: no --endpoint given; add apis.custom.endpoint to "
            "skill.json before deploying.",
            file=sys.stderr,
        )
    return 0


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
    voice.add_argument(
        "--audio-in",
        nargs="+",
        type=Path,
        metavar="FILE",
        help="WAV files to take as the person's turns, in order, instead of the microphone",
    )
    voice.add_argument("--wav-dir", type=Path, metavar="DIR", help="also save each reply here")
    voice.add_argument("--voice", help="espeak-ng voice, e.g. en-gb or en+f3 (default en-us)")
    voice.add_argument("--rate", type=int, metavar="WPM", help="words a minute (default 175)")
    voice.add_argument("--volume", type=float, help="volume from 0 to 1 (default 1)")
    voice.add_argument("--keyboard", action="store_true", help="type instead of speaking")
    voice.add_argument(
        "--learn-my-voice",
        action="store_true",
        help="say a few sentences once so that it hears you better from then on",
    )
    voice.add_argument(
        "--voice-profile",
        type=Path,
        metavar="FILE",
        help="the learned voice to use or make (default: in ~/.local/share/twitch-guide)",
    )
    voice.set_defaults(run=_voice)

    understand = commands.add_parser(
        "understand", help="print intent, slots and confidence for each line of stdin"
    )
    understand.set_defaults(run=_understand)

    serve = commands.add_parser("serve", help="the Alexa skill as a webservice (waitress)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8080, help="port to listen on")
    serve.add_argument(
        "--skill-id",
        default=os.environ.get(SKILL_ID_ENV),
        help="answer only this skill id (default: $TWITCH_GUIDE_SKILL_ID)",
    )
    serve.add_argument(
        "--no-verify",
        action="store_true",
        help="turn off request signature and timestamp checks (local testing only)",
    )
    serve.set_defaults(run=_serve)

    package = commands.add_parser(
        "skill-package", help="write the skill package (manifest and models) for the ASK CLI"
    )
    package.add_argument("directory", type=Path, help="where to write the ASK CLI project")
    package.add_argument("--endpoint", help="the skill's https:// URL or Lambda ARN")
    package.set_defaults(run=_skill_package)
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
