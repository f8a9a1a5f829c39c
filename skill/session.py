"""A local conversation in memory: text in, engine turn, reply out. Used by text and voice mode."""

from __future__ import annotations

from dataclasses import dataclass

from skill.content import Content, load_content
from skill.engine import Step, handle, launch
from skill.reply import Reply
from skill.state import DialogueState
from skill.understanding import Understander, Understanding


@dataclass(frozen=True)
class Turn:
    """One exchange: what was understood (None for the launch) and the reply."""

    understanding: Understanding | None
    reply: Reply
    state: DialogueState


class LocalSession:
    """Holds the dialogue state between turns; nothing of it is written anywhere."""

    def __init__(self, content: Content, understander: Understander) -> None:
        self.content = content
        self.understander = understander
        self.state = DialogueState()

    @classmethod
    def for_locale(cls, locale: str = "en-US") -> LocalSession:
        """A session on the shipped content and interaction model of ``locale``."""
        return cls(load_content(locale), Understander.for_locale(locale))

    def start(self) -> Turn:
        """The launch reply."""
        return self._apply(None, launch(self.content, self.state))

    def hear(self, text: str, *, spoken: bool = False) -> Turn:
        """Understand ``text`` and answer it. ``spoken`` marks text a speech recogniser heard,
        which may be wrong: a "no" to a red-flag question is then asked for once more."""
        understanding = self.understander.understand(text)
        step = handle(
            self.content, self.state, understanding.intent, understanding.slots, confirm_no=spoken
        )
        return self._apply(understanding, step)

    def _apply(self, understanding: Understanding | None, step: Step) -> Turn:
        self.state = step.state
        return Turn(understanding=understanding, reply=step.reply, state=step.state)
