"""Playing a reply aloud in a way the person can cut short (Enter, a typed line, or Ctrl-C)."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

_POLL_SECONDS = 0.05


@dataclass(frozen=True)
class Playback:
    """How playback ended: ``stopped`` when the person cut it short; ``typed`` is a line they
    typed to do so (a question that takes the place of the rest of the reply), if any."""

    stopped: bool = False
    typed: str | None = None
    failed: bool = False


class Player:
    """Plays WAV files with ``aplay`` (alsa-utils); a running playback can be killed at once."""

    def __init__(self, command: tuple[str, ...] = ("aplay", "-q")) -> None:
        self._command = command
        self._process: subprocess.Popen[bytes] | None = None

    @staticmethod
    def available() -> bool:
        """Whether the player program is installed."""
        return shutil.which("aplay") is not None

    def play(self, path: Path, interrupt: Callable[[], str | None] | None = None) -> Playback:
        """Play ``path`` to the end, or until ``interrupt`` returns a line (Enter gives an
        empty one) or Ctrl-C is pressed; either stops the sound at once."""
        try:
            self._process = subprocess.Popen(
                [*self._command, str(path)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except OSError:
            return Playback(failed=True)
        try:
            while self._process.poll() is None:
                typed = interrupt() if interrupt else None
                if typed is not None:
                    self.stop()
                    return Playback(stopped=True, typed=typed or None)
                time.sleep(_POLL_SECONDS)
        except KeyboardInterrupt:
            self.stop()
            return Playback(stopped=True)
        return Playback(failed=self._process.returncode != 0)

    def stop(self) -> None:
        """Stop any sound now playing."""
        process = self._process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._process = None
