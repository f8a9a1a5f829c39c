"""Learning the person's voice once: the sentences to read, what is said around them, and where
the result is kept.

The sentences are samples of the interaction model (so every word is in the recogniser's
vocabulary) chosen so that together they use every one of the acoustic model's 39 phones; none
is about the person's own symptoms. What is learned is an MLLR transform
(:mod:`local_voice.adaptation`), kept in the person's data folder until they delete it.
"""

from __future__ import annotations

import json
import os
import string
from dataclasses import dataclass
from pathlib import Path

from local_voice.adaptation import is_transform

_FOLDER = Path(__file__).parent
PROFILE_NAME = "voice-profile.mllr"
#: The placeholders each message must use, and may use.
_MESSAGES = {
    "intro": {"total"},
    "prompt": {"number", "total", "sentence"},
    "again": {"sentence"},
    "done": {"path"},
}


@dataclass(frozen=True)
class Enrolment:
    """One locale's sentences to read and the messages around them."""

    sentences: tuple[str, ...]
    intro: str
    prompt: str
    again: str
    done: str

    def introduction(self) -> str:
        return self.intro.format(total=len(self.sentences))

    def asking(self, number: int) -> str:
        """The prompt for sentence ``number`` (from 1)."""
        return self.prompt.format(
            number=number, total=len(self.sentences), sentence=self.sentences[number - 1]
        )

    def asking_again(self, number: int) -> str:
        return self.again.format(sentence=self.sentences[number - 1])

    def finished(self, path: Path) -> str:
        return self.done.format(path=path)


def load_enrolment(locale: str = "en-US", folder: Path = _FOLDER) -> Enrolment:
    """The enrolment of ``locale`` (``folder/enrolment-<locale>.json``, the shipped one by
    default), checked: every message with exactly its placeholders, and at least one sentence
    of lower-case words."""
    path = folder / f"enrolment-{locale}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    for key, wanted in _MESSAGES.items():
        text = data.get(key)
        if not isinstance(text, str) or not text:
            raise ValueError(f"{path.name}: {key!r} is missing")
        used = {name for _, name, _, _ in string.Formatter().parse(text) if name}
        if used != wanted:
            raise ValueError(f"{path.name}: {key!r} uses {sorted(used)}, not {sorted(wanted)}")
    sentences = data.get("sentences")
    if not isinstance(sentences, list) or not sentences:
        raise ValueError(f"{path.name}: no sentences")
    for sentence in sentences:
        if not isinstance(sentence, str) or sentence != " ".join(sentence.lower().split()):
            raise ValueError(f"{path.name}: {sentence!r} is not lower-case words")
    return Enrolment(tuple(sentences), data["intro"], data["prompt"], data["again"], data["done"])


def default_profile() -> Path:
    """Where a learned voice is kept: ``$XDG_DATA_HOME/twitch-guide`` (``~/.local/share``)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "twitch-guide" / PROFILE_NAME


def profile_in_use(chosen: Path | None) -> Path | None:
    """The transform voice mode listens with: ``chosen`` if given, else the default one if
    the person has learned their voice. None if there is none (or it is not a whole one)."""
    path = chosen if chosen is not None else default_profile()
    return path if is_transform(path) else None
