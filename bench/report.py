"""One figure of a benchmark, and the plain-text table that ``python -m bench`` ends with.

Plain text only (no colour, no box drawing), so it reads the same in a terminal, a log file, a
screen reader and the README.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

HEADINGS = ("section", "figure", "measured", "target", "met")
GAP = "  "


@dataclass(frozen=True)
class Figure:
    """A measured figure and its target; ``met`` is None where there is no target."""

    section: str
    name: str
    measured: str
    target: str
    met: bool | None

    @property
    def verdict(self) -> str:
        """``yes``, ``NO`` (in capitals, to stand out), or ``-`` where there is no target."""
        if self.met is None:
            return "-"
        return "yes" if self.met else "NO"


def format_table(figures: Iterable[Figure], title: str | None = None) -> str:
    """The figures as one table with aligned columns, a title line above it if given."""
    rows: list[tuple[str, ...]] = [HEADINGS]
    rows += [(f.section, f.name, f.measured, f.target or "-", f.verdict) for f in figures]
    widths = [max(len(row[column]) for row in rows) for column in range(len(HEADINGS))]
    rows.insert(1, tuple("-" * width for width in widths))
    lines = [] if title is None else [title]
    lines += [
        GAP.join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    return "\n".join(lines)


def print_table(figures: Iterable[Figure], title: str | None = None) -> None:
    """Print :func:`format_table`."""
    print(format_table(figures, title))
