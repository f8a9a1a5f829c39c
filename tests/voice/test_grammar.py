"""What the recogniser listens for comes from the interaction model and nothing else."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pocketsphinx import FsgModel, Jsgf, LogMath

from local_voice.grammar import Grammar
from skill.intents import ANSWER_INTENTS, SPEECH_RATE
from skill.interaction_model import load_interaction_model

MODEL = load_interaction_model("en-US")


def _compiled(grammar: Grammar, name: str, folder: Path, pause: str | None = None) -> FsgModel:
    """The grammar as pocketsphinx itself reads it."""
    path = folder / f"{name}.gram"
    path.write_text(grammar.jsgf(name, pause=pause))
    jsgf = Jsgf(str(path))
    return jsgf.build_fsg(jsgf.get_rule(f"{name}.{name}"), LogMath(), 1.0)


def test_the_answer_sentences_are_exactly_the_answer_samples() -> None:
    grammar = Grammar.from_model(MODEL, ANSWER_INTENTS)
    said = {s.lower() for name in ANSWER_INTENTS for s in MODEL.intents[name].samples}
    assert set(grammar.alternatives()) == said


def test_the_jsgf_accepts_every_sentence_and_nothing_else(tmp_path: Path) -> None:
    grammar = Grammar.from_model(MODEL, ANSWER_INTENTS)
    text = grammar.jsgf("answer")
    assert text.startswith("#JSGF V1.0;\ngrammar answer;\npublic <answer> = ")
    fsg = _compiled(grammar, "answer", tmp_path)
    sentences = grammar.alternatives()
    assert all(fsg.accept(s) for s in sentences)
    near_misses = {
        variant
        for s in sentences
        for variant in (f"{s} please", f"well {s}", " ".join(s.split()[:-1]))
        if variant and variant not in sentences
    }
    assert near_misses and not any(fsg.accept(v) for v in near_misses)


def test_a_pause_may_come_once_before_and_once_after_an_answer_and_nowhere_else(
    tmp_path: Path,
) -> None:
    grammar = Grammar.from_model(MODEL, ANSWER_INTENTS)
    fsg = _compiled(grammar, "answer", tmp_path, pause="pause_")
    sentences = grammar.alternatives()
    assert "not sure" in sentences
    for s in sentences:
        assert all(fsg.accept(v) for v in (s, f"pause_ {s}", f"{s} pause_", f"pause_ {s} pause_"))
    not_allowed = ("not pause_ sure", "pause_ pause_ yes", "yes pause_ pause_", "pause_")
    assert not any(fsg.accept(v) for v in not_allowed)


def _top_level_branches(jsgf: str) -> list[str]:
    body = jsgf.split("=", 1)[1].rsplit(";", 1)[0].strip()[1:-1]
    branches, depth, start = [], 0, 0
    for at, char in enumerate(body):
        depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(char, 0)
        if char == "|" and depth == 0:
            branches.append(body[start:at].strip())
            start = at + 1
    branches.append(body[start:].strip())
    return [b.split(" ", 1)[1] if b.startswith("/") else b for b in branches]  # less the weight


def test_shared_beginnings_are_written_once() -> None:
    grammar = Grammar.from_model(MODEL, ANSWER_INTENTS)
    first_words = [s.split()[0] for s in grammar.alternatives()]
    assert first_words.count("i") > 5
    branches = _top_level_branches(grammar.jsgf("answer"))
    assert [b.split()[0] for b in branches] == list(dict.fromkeys(first_words))


WordSteps = dict[tuple[int, str], tuple[int, float]]


def _word_steps(fsg_text: str) -> tuple[dict[int, list[int]], WordSteps]:
    """An FSG file's empty moves (state to states) and word moves ((state, word) to state and
    probability)."""
    empty: dict[int, list[int]] = {}
    words: WordSteps = {}
    for line in fsg_text.splitlines():
        fields = line.split()
        if fields[:1] != ["TRANSITION"]:
            continue
        start, end, probability = int(fields[1]), int(fields[2]), float(fields[3])
        if len(fields) == 5:
            assert (start, fields[4]) not in words  # one way on for each word
            words[(start, fields[4])] = (end, probability)
        else:
            empty.setdefault(start, []).append(end)
    return empty, words


def test_every_answer_is_as_likely_as_any_other_to_pocketsphinx(tmp_path: Path) -> None:
    """The words of a sentence, read as pocketsphinx reads them, are as likely as the share of
    the sentences that begin with them: no answer is favoured for where it sits in the tree (an
    unweighted tree gave "on and off", alone behind "on", fifty times the chance of "i am not")."""
    grammar = Grammar.from_model(MODEL, ANSWER_INTENTS)
    fsg = _compiled(grammar, "answer", tmp_path, pause="pause_")
    fsg.writefile(str(tmp_path / "answer.fsg"))
    text = (tmp_path / "answer.fsg").read_text()
    empty, words = _word_steps(text)
    sentences = grammar.alternatives()
    start_state = re.search(r"START_STATE (\d+)", text)
    assert start_state is not None
    start = int(start_state[1])
    for sentence in sentences:
        state, likelihood = start, 1.0
        for word in sentence.split():
            reachable = [state, *empty.get(state, [])]
            (state, probability), *others = [
                words[(s, word)] for s in reachable if (s, word) in words
            ]
            assert not others
            likelihood *= probability
        sharing = sum(1 for s in sentences if f"{s} ".startswith(f"{sentence} "))
        assert likelihood == pytest.approx(sharing / len(sentences), rel=0.01), sentence


@pytest.mark.parametrize("grammar_intents", [{SPEECH_RATE}, None])
def test_a_slot_is_spelt_out_with_every_value_and_synonym(
    grammar_intents: set[str] | None, tmp_path: Path
) -> None:
    grammar = Grammar.from_model(MODEL, grammar_intents)
    alternatives = grammar.alternatives()
    assert "speak slower" in alternatives and "speak too fast" in alternatives
    assert not any("{" in a for a in alternatives)
    fsg = _compiled(grammar, "utterances", tmp_path)
    assert fsg.accept("speak too fast") and fsg.accept("speak slower")
    if grammar_intents is not None:
        rate = MODEL.slot_types["SpeechRateType"]
        phrases = sum(1 + len(v.synonyms) for v in rate.values)
        assert len(alternatives) <= len(MODEL.intents[SPEECH_RATE].samples) * phrases
