"""Typed lines, read in the background so that listening and playback can watch for them."""

from __future__ import annotations

import queue
import threading
from typing import TextIO

_END = None


class Keyboard:
    """Lines from ``lines`` (standard input), available without blocking.

    A reader thread puts each line in a queue, so a typed line can stop playback or take the
    place of speech at any moment. Nothing typed is kept once it has been taken.
    """

    def __init__(self, lines: TextIO) -> None:
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._ended = False
        self._thread = threading.Thread(target=self._read, args=(lines,), daemon=True)
        self._thread.start()

    @property
    def ended(self) -> bool:
        """True once input has run out and every line has been taken."""
        return self._ended

    def poll(self, *, blank: bool = False) -> str | None:
        """The next typed line if there is one now, else None. Blank lines are skipped, or
        with ``blank`` given as ``""`` (Enter alone, to stop playback)."""
        while not self._ended:
            try:
                line = self._queue.get_nowait()
            except queue.Empty:
                return None
            if line is _END:
                self._ended = True
            elif line.strip() or blank:
                return line.strip()
        return None

    def wait(self, timeout: float = 0.1) -> str | None:
        """The next non-blank line, waiting for it; None at the end of input."""
        while not self._ended:
            try:
                line = self._queue.get(timeout=timeout)
            except queue.Empty:
                continue  # wake up now and then, so Ctrl-C is noticed
            if line is _END:
                self._ended = True
            elif line.strip():
                return line.strip()
        return None

    def _read(self, lines: TextIO) -> None:
        try:
            for line in lines:
                self._queue.put(line)
        except (OSError, ValueError):
            pass  # input closed under us: same as its end
        finally:
            self._queue.put(_END)
