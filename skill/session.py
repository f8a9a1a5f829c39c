"""A local conversation in memory: text in, engine turn, reply out. Used by text and voice mode."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from skill.content import Content, load_content
from skill.engine import Step, handle, launch
from skill.intents import ANSWER_INTENTS, COMMAND_INTENTS, FALLBACK
from skill.reply import Reply
from skill.state import DialogueState
from skill.understanding import Hypothesis, Understander, Understanding

#: Heard words fewer than this are too few for a question: while a question waits, a short
#: utterance the open model took for a topic ("what", "look") is taken for an answer. Measured
#: on espeak-ng speech (``bench/voice.py``): with 4, answers heard right went from 60 % to 74 %
#: and questions asked during the check from 59.8 % to 58.5 %.
QUESTION_WORDS = 4
#: When the open model heard at least this many words more than the answer grammar's answer
#: has, the person said more than that answer, even if what the open model made of it means
#: nothing ("can stop the i still that" against "nope"): the answer is not believed, and the
#: open hearing is read as it is (an answer it opens with still counts). Measured on espeak-ng
#: speech (``bench/voice.py``'s sets, cached): questions asked during the check taken for an
#: answer 126 -> 109 of 944; answers right unchanged (1,279 of 1,608), yes or not sure taken for
#: no 72 -> 70. With 4 more words: 112; with 5: 114.
LONGER_BY = 3
#: A question shorter than QUESTION_WORDS still counts when the open model heard it as surely as
#: a model sample (this confidence or more) in at least SURE_QUESTION_WORDS words: "can
#: supplements help", heard word for word, was taken for the answer grammar's "okay". Measured
#: on cached espeak-ng speech said while a question waits (development sets C, M, N, O in two
#: voices; every answer sample in four voices at two rates): questions right 1,388 -> 1,442 of
#: 2,224 (taken for an answer 527 -> 462), answers right 1,364 -> 1,363 of 1,720, yes or not
#: sure taken for no 48 unchanged. 0.7 and 0.9 gained as many questions but lost 8 and 2
#: answers; from 3 words, 17 questions fewer.
SURE_QUESTION = 0.95
SURE_QUESTION_WORDS = 2


def _says_something_else(understanding: Understanding, heard: str, answer: str) -> bool:
    """Whether what the open model heard (``heard``, meaning ``understanding``) is clearly not
    the grammar's ``answer``."""
    if understanding.intent in COMMAND_INTENTS:
        return True
    if len(heard.split()) >= len(answer.split()) + LONGER_BY:
        return True
    if understanding.intent in ANSWER_INTENTS | {FALLBACK}:
        return False
    words = len(understanding.text.split())
    return words >= QUESTION_WORDS or (
        words >= SURE_QUESTION_WORDS and understanding.confidence >= SURE_QUESTION
    )


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

    def hear(
        self,
        text: str,
        *,
        spoken: bool = False,
        answer: str | None = None,
        alternatives: Sequence[Hypothesis] = (),
    ) -> Turn:
        """Understand ``text`` and answer it. ``spoken`` marks text a speech recogniser heard,
        which may be wrong: a "no" to a red-flag question is then asked for once more.

        While a red-flag question waits, an answer that goes on ("no, my grip is fine") is the
        answer it opens with. ``answer`` is what a recogniser listening only for yes, no and not
        sure heard; it is believed unless ``text`` clearly says something else: a command such
        as repeat or stop, a question of at least :data:`QUESTION_WORDS` words (or a shorter one
        understood as surely as a sample), or :data:`LONGER_BY` words more than the answer.
        The open hearing is right about *that* far more often than about which answer was given.

        ``alternatives`` are the recogniser's n-best hypotheses (``text`` among them); their
        vote decides what was meant (:meth:`Understander.understand_heard`).
        """
        understanding = (
            self.understander.understand_heard(alternatives)
            if alternatives
            else self.understander.understand(text)
        )
        if self.state.in_check and answer and not _says_something_else(understanding, text, answer):
            understanding = self.understander.understand(answer)
        elif self.state.in_check and understanding.intent not in ANSWER_INTENTS | COMMAND_INTENTS:
            # "no, my calves look the same" may look more like a topic than an answer; an
            # opening that only ever opens answers is the answer, whatever follows it.
            opening = self.understander.leading_answer(
                text, ANSWER_INTENTS, unambiguous=understanding.intent != FALLBACK
            )
            understanding = opening or understanding
        step = handle(
            self.content, self.state, understanding.intent, understanding.slots, confirm_no=spoken
        )
        return self._apply(understanding, step)

    def _apply(self, understanding: Understanding | None, step: Step) -> Turn:
        self.state = step.state
        return Turn(understanding=understanding, reply=step.reply, state=step.state)
