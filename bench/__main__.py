"""Run every benchmark of the project, one section after another, and end with one table.

Sections: understanding (text), the Alexa webservice (in-process), load (servers on loopback),
voice (speech in and out) and learned-voice (speech in, after the recogniser has learned each
voice from its enrolment sentences). Each prints its own details, then ``python -m bench``
prints the headline figures of all of them in one table, against their targets.

``python -m bench understanding webservice`` runs only the sections named (in that order);
``python -m bench.NAME`` runs one section on its own, with its own options where it has any.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from bench.report import Figure, print_table

TITLE = "Muscle Twitch Guide: all figures"

Section = Callable[[], list[Figure] | None]


def _section(module: str, *args: object) -> Section:
    """The ``main`` of ``bench.<module>``, imported only when the section runs (voice needs
    the speech packages; the others do not)."""

    def section() -> list[Figure] | None:
        figures: list[Figure] | None = importlib.import_module(f"bench.{module}").main(*args)
        return figures

    return section


#: Every section, in the order ``python -m bench`` runs them.
SECTIONS: dict[str, Section] = {
    "understanding": _section("understanding"),
    "webservice": _section("webservice"),
    "load": _section("load", []),  # its default options, not this command line's
    "voice": _section("voice"),
    "learned-voice": _section("learned_voice"),
}


@dataclass
class Outcome:
    """What a run of some sections gave."""

    figures: list[Figure] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # raised: a row each in the table
    silent: list[str] = field(default_factory=list)  # returned None or no figures


def choose(names: Sequence[str], sections: Mapping[str, Section] = SECTIONS) -> list[str]:
    """The sections to run: those named (in that order, each once), or all when none are."""
    unknown = [name for name in names if name not in sections]
    if unknown:
        raise ValueError(
            f"unknown section {', '.join(unknown)}; the sections are {', '.join(sections)}"
        )
    return list(dict.fromkeys(names)) if names else list(sections)


def run(names: Sequence[str], sections: Mapping[str, Section] = SECTIONS) -> Outcome:
    """Run the chosen sections, each printing its details, and collect their figures.

    A section that returns None gives no figures. A section that raises is reported (traceback
    on stderr, a row in the table) and the others still run.
    """
    outcome = Outcome()
    for name in choose(names, sections):
        try:
            figures = sections[name]() or []
        except Exception as error:  # report it; the remaining sections still run
            traceback.print_exc()
            figures = [Figure(name, "the section failed", type(error).__name__, "", False)]
            outcome.failed.append(name)
        if not figures:
            outcome.silent.append(name)
        outcome.figures += figures
        print(flush=True)
    return outcome


def main(argv: Sequence[str] | None = None, sections: Mapping[str, Section] = SECTIONS) -> int:
    """Run the sections named in ``argv`` (all if none), then print the one table; the exit
    status is 1 if a section failed."""
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Run the project's benchmarks and print their figures in one table.",
    )
    parser.add_argument(
        "sections", nargs="*", metavar="SECTION", help=f"any of: {', '.join(sections)}"
    )
    args = parser.parse_args(argv)
    try:
        chosen = choose(args.sections, sections)
    except ValueError as error:
        parser.error(str(error))
    outcome = run(chosen, sections)
    print_table(outcome.figures, TITLE)
    if outcome.silent:
        print(f"(no figures from: {', '.join(outcome.silent)})")
    return 1 if outcome.failed else 0


if __name__ == "__main__":
    sys.exit(main())
