"""Every reply the dialogue engine can give, found by walking it through each kind of turn."""

from __future__ import annotations

from skill import intents as i
from skill.content import Content
from skill.engine import Step, handle, launch, not_heard
from skill.render import to_plain
from skill.state import DialogueState

_CHECK = [i.SYMPTOM_CHECK]
_ASIDES = [i.HELP, i.FALLBACK, i.REPEAT, i.UNSURE, i.DANGER, i.SPEECH_RATE, i.DISCLAIMER]
_SINGLES = [
    i.HELP, i.FALLBACK, i.REPEAT, i.DISCLAIMER, i.LIST_TOPICS, i.UNSURE, i.YES, i.NO,
    i.START_OVER, i.NAVIGATE_HOME, i.STOP, i.CANCEL, i.TELL_ME_MORE, i.SPEECH_RATE,
]  # fmt: skip


def _paths() -> list[list[tuple[str, dict[str, str]]]]:
    plain = lambda *names: [(name, {}) for name in names]  # noqa: E731
    paths = [plain(name) for name in _SINGLES]
    paths += [[(i.SPEECH_RATE, {"rate": r})] * 3 for r in ("slower", "faster", "normal")]
    for topic in sorted(i.TOPIC_INTENTS):
        paths += [plain(topic, i.TELL_ME_MORE, i.TELL_ME_MORE), plain(topic, i.YES, i.YES)]
        paths += [plain(topic, i.NO)]
    for first in range(5):  # a yes (or unsure) at each question, the rest no
        answers = [i.YES if n == first else i.NO for n in range(5)]
        paths += [plain(*_CHECK, *answers), plain(*_CHECK, *answers[:first], i.UNSURE)]
    paths += [plain(*_CHECK, *[i.NO] * 5), plain(*_CHECK, *[i.NO] * 4, i.UNSURE)]
    paths += [plain(*_CHECK, aside) for aside in _ASIDES]
    return paths


def every_reply(content: Content) -> set[str]:
    """The plain text of every distinct reply, in each of its phrasings."""
    texts: set[str] = set()
    for offset in range(4):  # phrasings vary with the turn number
        start = launch(content, DialogueState(turn=offset))
        texts.add(to_plain(start.reply.speech))
        for misses in (1, 3):
            texts.add(to_plain(not_heard(content, start.state, misses).reply.speech))
        for path in _paths():
            step: Step = start
            for intent, slots in path:
                if step.reply.end_session:
                    break
                step = handle(content, step.state, intent, slots)
                texts.add(to_plain(step.reply.speech))
    return texts
