"""The dialogue engine: a pure function of (state, intent, slots) to (new state, reply).

No I/O, no clock, no framework. Content is passed in; the same inputs always give the same
reply, so every front end (Alexa, voice, text) behaves the same and tests need no mocks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from skill import intents as i
from skill.content import Content, Topic
from skill.render import to_plain
from skill.reply import MAX_RATE, MIN_RATE, Paragraph, Reply
from skill.state import (
    OFFER_CHECK,
    OFFER_MORE,
    OFFER_NEXT,
    DialogueState,
    parse_ref,
    ref,
)

CHECK_TITLE = "Warning-sign check"
#: After this many misses in a row, a speech front end offers the keyboard.
MISSES_BEFORE_KEYBOARD = 3
_PAUSE_BEFORE = ("ask.", "offer.", "check.back", "check.q", "disclaimer.full", "launch.suggestions")
_POSITIVE = ("yes", "unsure")


@dataclass(frozen=True)
class Step:
    """The engine's answer to one turn."""

    state: DialogueState
    reply: Reply


@dataclass
class _Plan:
    """What a handler decided to say, as content keys, before rendering."""

    speech: list[str]
    reprompt: list[str] = field(default_factory=list)
    end: bool = False
    title: str | None = None
    outcome: str | None = None


Handler = Callable[[Content, DialogueState, Mapping[str, str]], tuple[DialogueState, _Plan]]


def launch(content: Content, state: DialogueState | None = None) -> Step:
    """The welcome: a disclaimer, things to ask, and a question; only the speech rate survives."""
    previous = state or DialogueState()
    fresh = DialogueState(turn=previous.turn, rate=previous.rate)
    plan = _Plan(
        speech=[
            _pick("launch.welcome", content, fresh),
            "disclaimer.short",
            _pick("launch.suggestions", content, fresh),
            _pick("ask.what", content, fresh),
        ],
        reprompt=[_pick("reprompt.general", content, fresh)],
    )
    return _finish(content, fresh, plan)


def handle(
    content: Content,
    state: DialogueState,
    intent: str,
    slots: Mapping[str, str] | None = None,
    *,
    confirm_no: bool = False,
) -> Step:
    """Answer one intent; an intent this engine does not know is treated as fallback.

    ``confirm_no`` is for front ends whose hearing is unreliable (offline speech): a "no" to a
    red-flag question then counts only when it is given twice in a row, since a "yes" misheard
    as "no" could hide a warning sign. Yes or not sure counts at once.
    """
    if intent == i.NO and confirm_no and state.in_check and not state.no_once:
        assert state.question is not None
        question = content.questions[state.question]
        plan = _Plan(speech=["check.confirm_no", question], reprompt=[question], title=CHECK_TITLE)
        return _finish(content, replace(state, no_once=True), plan)
    if content.topic_for_intent(intent) is not None:
        new_state, plan = _topic(content, state, intent)
    elif intent == i.REPEAT:
        return _repeat(content, state)
    else:
        handler = _HANDLERS.get(intent, _fallback)
        new_state, plan = handler(content, state, slots or {})
    return _finish(content, new_state, plan)


def not_heard(content: Content, state: DialogueState, misses: int) -> Step:
    """For speech front ends: nothing usable was heard. Say so and re-prompt; from the third
    miss in a row on, offer the keyboard. Nothing else changes, so Repeat still repeats the
    last real reply."""
    lead = ["not_heard", "offer.keyboard"] if misses >= MISSES_BEFORE_KEYBOARD else ["not_heard"]
    prompt = list(state.last_reprompt) or [_pick("reprompt.general", content, state)]
    step = _finish(content, state, _Plan(speech=[*lead, *prompt], reprompt=prompt))
    kept = replace(step.state, last_speech=state.last_speech, last_reprompt=state.last_reprompt)
    return Step(state=kept, reply=step.reply)


def handled_intents(content: Content) -> frozenset[str]:
    """Every intent the engine answers on purpose (not through fallback)."""
    topics = {topic.intent for topic in content.topics.values()}
    return frozenset(_HANDLERS) | topics | {i.REPEAT}


# --- handlers -------------------------------------------------------------------------------


def _topic(content: Content, state: DialogueState, intent: str) -> tuple[DialogueState, _Plan]:
    topic = content.topic_for_intent(intent)
    assert topic is not None
    state = replace(state, topic=topic.id, detail_given=False)
    if state.in_check:
        return replace(state, offer=None), _back_to_check(content, state, list(topic.short))
    offer_key = "offer.check" if topic.offer == OFFER_CHECK else _pick("offer.more", content, state)
    plan = _Plan(speech=[*topic.short, offer_key], reprompt=[offer_key], title=topic.title)
    return replace(state, offer=topic.offer), plan


def _tell_me_more(
    content: Content, state: DialogueState, slots: Mapping[str, str]
) -> tuple[DialogueState, _Plan]:
    topic = content.topics.get(state.topic) if state.topic else None
    if topic is None:
        plan = _Plan(speech=["more.no_topic", "topics.list"], reprompt=["topics.list"])
        if state.in_check:
            return state, _back_to_check(content, state, plan.speech[:1])
        return replace(state, offer=None), plan
    said = ["more.none_left"] if state.detail_given else list(topic.more)
    state = replace(state, detail_given=True)
    if state.in_check:
        return state, _back_to_check(content, state, said)
    return _after_answer(content, state, said, topic)


def _yes(
    content: Content, state: DialogueState, slots: Mapping[str, str]
) -> tuple[DialogueState, _Plan]:
    if state.in_check:
        return _answer(content, state, "yes")
    if state.offer == OFFER_MORE:
        return _tell_me_more(content, state, slots)
    if state.offer == OFFER_CHECK:
        return _start_check(content, state, slots)
    plan = _Plan(
        speech=["ack.yes_open", _pick("ask.what", content, state)],
        reprompt=[_pick("reprompt.general", content, state)],
    )
    return replace(state, offer=None), plan


def _no(
    content: Content, state: DialogueState, slots: Mapping[str, str]
) -> tuple[DialogueState, _Plan]:
    if state.in_check:
        return _answer(content, state, "no")
    if state.offer == OFFER_NEXT:
        return _goodbye(content, state, slots)
    ask = _pick("ask.next", content, state)
    plan = _Plan(
        speech=[_pick("ack.no", content, state), ask],
        reprompt=[_pick("reprompt.general", content, state)],
    )
    return replace(state, offer=OFFER_NEXT), plan


def _unsure(
    content: Content, state: DialogueState, slots: Mapping[str, str]
) -> tuple[DialogueState, _Plan]:
    if state.in_check:
        return _answer(content, state, "unsure")
    plan = _Plan(
        speech=["ack.unsure_open", "topics.list", _pick("ask.what", content, state)],
        reprompt=[_pick("reprompt.general", content, state)],
    )
    return replace(state, offer=None), plan


def _start_check(
    content: Content, state: DialogueState, slots: Mapping[str, str]
) -> tuple[DialogueState, _Plan]:
    if state.in_check:
        return state, _back_to_check(content, state, ["check.already"], back=False)
    state = replace(state, question=0, concern=False, outcome=None, offer=None)
    first = content.questions[0]
    return state, _Plan(speech=["check.intro", first], reprompt=[first], title=CHECK_TITLE)


def _answer(content: Content, state: DialogueState, answer: str) -> tuple[DialogueState, _Plan]:
    """Record one red-flag answer; unsure counts as yes. The answer itself is not kept."""
    state = replace(state, no_once=False)
    assert state.question is not None
    positive = answer in _POSITIVE
    last = len(content.questions) - 1
    if state.question < last:
        question = state.question + 1
        state = replace(state, question=question, concern=state.concern or positive)
        key = content.questions[question]
        return state, _Plan(speech=[key], reprompt=[key], title=CHECK_TITLE)
    if positive:
        outcome = "urgent"
    elif state.concern:
        outcome = "see_professional"
    else:
        outcome = "self_care"
    state = replace(state, question=None, concern=False, outcome=outcome, offer=OFFER_NEXT)
    speech = [*content.outcomes[outcome], "disclaimer.full"]
    urgent = outcome == "urgent"
    plan = _Plan(
        speech=speech,
        reprompt=[] if urgent else ["reprompt.after_outcome"],
        end=urgent,
        title=CHECK_TITLE,
        outcome=outcome,
    )
    return state, plan


def _disclaimer(
    content: Content, state: DialogueState, slots: Mapping[str, str]
) -> tuple[DialogueState, _Plan]:
    said = ["disclaimer.full", "disclaimer.emergency"]
    if state.in_check:
        return state, _back_to_check(content, state, said)
    ask = _pick("ask.next", content, state)
    plan = _Plan(speech=[*said, ask], reprompt=[_pick("reprompt.general", content, state)])
    return replace(state, offer=OFFER_NEXT), plan


def _list_topics(
    content: Content, state: DialogueState, slots: Mapping[str, str]
) -> tuple[DialogueState, _Plan]:
    if state.in_check:
        return state, _back_to_check(content, state, ["topics.list"])
    plan = _Plan(
        speech=["topics.list", _pick("ask.what", content, state)],
        reprompt=[_pick("reprompt.general", content, state)],
    )
    return replace(state, offer=None), plan


def _help(
    content: Content, state: DialogueState, slots: Mapping[str, str]
) -> tuple[DialogueState, _Plan]:
    if state.in_check:
        return state, _back_to_check(content, state, ["check.help"], back=False)
    plan = _Plan(
        speech=["help.open", _pick("ask.what", content, state)],
        reprompt=[_pick("reprompt.general", content, state)],
    )
    return replace(state, offer=None), plan


def _fallback(
    content: Content, state: DialogueState, slots: Mapping[str, str]
) -> tuple[DialogueState, _Plan]:
    if state.in_check:
        return state, _back_to_check(content, state, ["check.fallback"], back=False)
    reprompt = _pick("reprompt.general", content, state)
    plan = _Plan(speech=[_pick("fallback.open", content, state), reprompt], reprompt=[reprompt])
    return replace(state, offer=None), plan


def _start_over(
    content: Content, state: DialogueState, slots: Mapping[str, str]
) -> tuple[DialogueState, _Plan]:
    fresh = DialogueState(turn=state.turn, rate=state.rate)
    plan = _Plan(
        speech=[
            "restart.intro",
            _pick("launch.suggestions", content, fresh),
            _pick("ask.what", content, fresh),
        ],
        reprompt=[_pick("reprompt.general", content, fresh)],
    )
    return fresh, plan


def _goodbye(
    content: Content, state: DialogueState, slots: Mapping[str, str]
) -> tuple[DialogueState, _Plan]:
    fresh = DialogueState(turn=state.turn, rate=state.rate)
    return fresh, _Plan(speech=[_pick("goodbye", content, state)], end=True)


def _speech_rate(
    content: Content, state: DialogueState, slots: Mapping[str, str]
) -> tuple[DialogueState, _Plan]:
    wanted = slots.get(i.RATE_SLOT)
    if wanted == "slower":
        key = "rate.slowest" if state.rate <= MIN_RATE else "rate.slower"
        state = replace(state, rate=max(MIN_RATE, state.rate - 1))
    elif wanted == "faster":
        key = "rate.fastest" if state.rate >= MAX_RATE else "rate.faster"
        state = replace(state, rate=min(MAX_RATE, state.rate + 1))
    elif wanted == "normal":
        key = "rate.normal"
        state = replace(state, rate=0)
    else:
        if state.in_check:
            return state, _back_to_check(content, state, ["rate.ask"], back=False)
        return state, _Plan(speech=["rate.ask"], reprompt=["rate.ask"])
    if state.in_check:
        return state, _back_to_check(content, state, [key])
    ask = _pick("ask.what", content, state)
    return replace(state, offer=None), _Plan(speech=[key, ask], reprompt=[ask])


def _repeat(content: Content, state: DialogueState) -> Step:
    """Say the last reply again, word for word; nothing else about the state changes."""
    if not state.last_speech:
        return launch(content, state)
    plan = _Plan(speech=list(state.last_speech), reprompt=list(state.last_reprompt))
    return _finish(content, state, plan)


_HANDLERS: dict[str, Handler] = {
    i.TELL_ME_MORE: _tell_me_more,
    i.SYMPTOM_CHECK: _start_check,
    i.DISCLAIMER: _disclaimer,
    i.LIST_TOPICS: _list_topics,
    i.UNSURE: _unsure,
    i.SPEECH_RATE: _speech_rate,
    i.YES: _yes,
    i.NO: _no,
    i.HELP: _help,
    i.FALLBACK: _fallback,
    i.STOP: _goodbye,
    i.CANCEL: _goodbye,
    i.START_OVER: _start_over,
    i.NAVIGATE_HOME: _start_over,
}


# --- building blocks ------------------------------------------------------------------------


def _after_answer(
    content: Content, state: DialogueState, said: Sequence[str], topic: Topic
) -> tuple[DialogueState, _Plan]:
    """After more detail: offer the check where the topic calls for it, else ask what's next."""
    if topic.offer == OFFER_CHECK:
        plan = _Plan(speech=[*said, "offer.check"], reprompt=["offer.check"], title=topic.title)
        return replace(state, offer=OFFER_CHECK), plan
    ask = _pick("ask.next", content, state)
    plan = _Plan(
        speech=[*said, ask],
        reprompt=[_pick("reprompt.general", content, state)],
        title=topic.title,
    )
    return replace(state, offer=OFFER_NEXT), plan


def _back_to_check(
    content: Content, state: DialogueState, said: Sequence[str], *, back: bool = True
) -> _Plan:
    """Answer an aside during the check, then ask the pending question again at once."""
    assert state.question is not None
    question = content.questions[state.question]
    lead = ["check.back"] if back else []
    return _Plan(speech=[*said, *lead, question], reprompt=[question], title=CHECK_TITLE)


def _pick(key: str, content: Content, state: DialogueState) -> str:
    """One phrasing of a block, varied by turn so a repeated prompt does not sound canned."""
    count = len(content.block(key).variants)
    return ref(key, state.turn % count)


def _finish(content: Content, state: DialogueState, plan: _Plan) -> Step:
    speech = _paragraphs(content, plan.speech)
    reprompt = () if plan.end else _paragraphs(content, plan.reprompt)
    card_lines = [to_plain(speech)]
    if "disclaimer.full" not in plan.speech:
        card_lines.append(content.block("disclaimer.full").text())
    reply = Reply(
        speech=speech,
        reprompt=reprompt,
        card_title=plan.title or content.skill_name,
        card_text="\n\n".join(card_lines),
        end_session=plan.end,
        rate=state.rate,
        outcome=plan.outcome,
    )
    new_state = replace(
        state,
        turn=state.turn + 1,
        last_speech=tuple(plan.speech),
        last_reprompt=tuple(plan.reprompt),
    )
    return Step(state=new_state, reply=reply)


def _paragraphs(content: Content, refs: Sequence[str]) -> tuple[Paragraph, ...]:
    paragraphs: list[Paragraph] = []
    previous = ""
    for item in refs:
        key, variant = parse_ref(item)
        pause = key.startswith(_PAUSE_BEFORE) and previous != "check.back"
        paragraphs.append(Paragraph(content.block(key).text(variant), pause_before=pause))
        previous = key
    return tuple(paragraphs)
