"""Run as a script: speak a text that ends at the edge of readable memory.

The text (and its terminating NUL) is copied to the end of a page followed by an unreadable
guard page, and libespeak-ng's real ``espeak_Synth`` is called on it with the size that the
caller passes. ``pyttsx3`` calls pyttsx3's own ``_espeak.Synth``; ``ours`` renders through
:class:`local_voice.tts.Synthesiser` and prints the WAV's length in seconds.
"""

from __future__ import annotations

import ctypes
import mmap
import sys
import tempfile
from pathlib import Path
from typing import Any

from pyttsx3.drivers import _espeak

PROT_NONE, PROT_READ_WRITE = 0, 3
MAP_PRIVATE_ANONYMOUS = 0x22


class GuardPagePlacer:
    """Calls ``espeak_Synth`` with the text moved to just before an unreadable page."""

    def __init__(self, c_synth: Any) -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.mmap.restype = ctypes.c_void_p
        libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int]
        libc.mmap.argtypes += [ctypes.c_int, ctypes.c_long]
        libc.mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
        page = mmap.PAGESIZE
        base = libc.mmap(None, 2 * page, PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS, -1, 0)
        if base in (None, ctypes.c_void_p(-1).value) or libc.mprotect(base + page, page, 0):
            raise OSError(ctypes.get_errno(), "cannot map a guard page")
        self._edge = base + page
        self._c_synth = c_synth

    def __call__(self, text: bytes, size: int, *rest: Any) -> int:
        start = self._edge - (len(text) + 1)
        ctypes.memmove(start, text + b"\0", len(text) + 1)
        return int(self._c_synth(ctypes.cast(start, ctypes.c_char_p), size, *rest))


def main(which: str) -> None:
    placer = GuardPagePlacer(_espeak.cSynth)
    if which == "pyttsx3":
        import pyttsx3

        pyttsx3.init("espeak")
        _espeak.cSynth = placer
        _espeak.Synth(b"hello there")
        _espeak.Synchronize()
        print("survived")
        return
    from local_voice.audio import read_wav
    from local_voice.tts import Synthesiser

    _espeak.cSynth = placer  # before the engine starts, so its Synth is built over it
    with tempfile.TemporaryDirectory() as folder:
        wav = Synthesiser().render("hello there", Path(folder) / "hello.wav")
        print(read_wav(wav).seconds)


if __name__ == "__main__":
    main(sys.argv[1])
