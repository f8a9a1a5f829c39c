"""The shipped samples are tidy and keep intents apart, so no phrase could mean two things.

Alexa's own rules are checked elsewhere; these are the stricter house rules for this model:
plain lower-case text, only SpeechRateIntent uses a slot, and no two intents share a sample
even once contractions are expanded and "my", "the", "a" and "an" are dropped.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from skill import intents
from skill.interaction_model import iter_samples, load_interaction_model

MODEL = load_interaction_model("en-US")
TOKEN = r"(?:[a-z']+|[a-z]\.|\{rate\})"
PLAIN = re.compile(rf"^{TOKEN}(?: {TOKEN})*$")
FILLER = frozenset({"my", "the", "a", "an"})
CONTRACTIONS = (
    ("can't", "can not"),
    ("won't", "will not"),
    ("n't", " not"),
    ("'m", " am"),
    ("'re", " are"),
    ("'ve", " have"),
    ("'ll", " will"),
    ("'d", " would"),
    ("'s", " is"),
)


def _core(sample: str) -> str:
    """A sample with contractions expanded and filler words dropped."""
    text = sample.lower()
    for short, long in CONTRACTIONS:
        text = text.replace(short, long)
    return " ".join(word for word in text.split() if word not in FILLER)


@pytest.mark.parametrize("intent,sample", list(iter_samples(MODEL)))
def test_sample_is_plain_lower_case_text(intent: str, sample: str) -> None:
    assert PLAIN.fullmatch(sample), f"{intent}: {sample!r}"


def test_no_two_intents_share_a_sample_up_to_filler_words() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for intent, sample in iter_samples(MODEL):
        owners[_core(sample)].add(intent)
    shared = {core: names for core, names in owners.items() if len(names) > 1}
    assert shared == {}


def test_only_speech_rate_has_a_slot_and_every_sample_fills_it() -> None:
    for spec in MODEL.intents.values():
        if spec.name == intents.SPEECH_RATE:
            assert dict(spec.slots) == {intents.RATE_SLOT: "SpeechRateType"}
            assert all("{rate}" in sample for sample in spec.samples)
        else:
            assert dict(spec.slots) == {}, spec.name


def test_speech_rate_values_are_slower_faster_normal_with_synonyms() -> None:
    values = MODEL.slot_types["SpeechRateType"].values
    assert tuple(value.id for value in values) == intents.RATE_VALUES
    assert all(value.name == value.id and len(value.synonyms) >= 3 for value in values)


#: Words of the skill's own subject. An out-of-domain sample may share everyday words with the
#: topics ("muscle", "hurts", "why does my"), which is what teaches the two apart, but it never
#: asks about the subject itself. "twitch" alone is allowed: it is also a streaming service.
SUBJECT_WORDS = frozenset(
    """twitching twitches twitchy fasciculation fasciculations spasm spasms magnesium supplement
    supplements anxiety anxious stress stressed nerve nerves neurological neurologist emg als
    a. l. s. weakness numbness eyelid""".split()  # noqa: SIM905
)


def test_fallback_samples_are_out_of_domain_requests() -> None:
    """Alexa lets a skill extend AMAZON.FallbackIntent with out-of-domain samples to sharpen its
    out-of-domain model; the local understanding learns from the same samples."""
    samples = MODEL.intents[intents.FALLBACK].samples
    assert len(samples) >= 50
    for sample in samples:
        assert not SUBJECT_WORDS & set(sample.split()), sample


def test_every_other_built_in_is_extended_for_the_local_recogniser() -> None:
    for name in intents.BUILT_IN_INTENTS - {intents.FALLBACK}:
        assert len(MODEL.intents[name].samples) >= 5, name


@pytest.mark.parametrize(
    "sample,intent",
    [
        ("i don't think so", intents.NO),
        ("i don't know", intents.UNSURE),
        ("not really sure", intents.UNSURE),
        ("is muscle twitching dangerous", intents.DANGER),
        ("is this a. l. s.", intents.DANGER),
        ("should i see a doctor", intents.SYMPTOM_CHECK),
        ("what are the warning signs", intents.SYMPTOM_CHECK),
        ("can stress cause twitching", intents.ANXIETY),
        ("does coffee make it worse", intents.RISK_FACTORS),
        ("does lack of sleep cause it", intents.RISK_FACTORS),
        ("am i low on magnesium", intents.MAGNESIUM),
        ("should i take magnesium pills", intents.SUPPLEMENTS),
        ("do i need a scan", intents.TESTS),
        ("why do i twitch at night", intents.RESTING),
        ("start over", intents.START_OVER),
        ("go back to the start", intents.NAVIGATE_HOME),
        ("what can i ask", intents.LIST_TOPICS),
        ("how does this work", intents.HELP),
    ],
)
def test_deliberate_placement_of_borderline_phrases(sample: str, intent: str) -> None:
    assert sample in MODEL.intents[intent].samples


#: Hesitation sounds. They mean nothing to the understanding, and in the speech recogniser's
#: language model they are noise that short answers get mistaken for (a spoken "no" was heard
#: as "oh" once "oh yes" was a sample). "uh huh" is a word of its own: yes.
FILLERS = frozenset(
    ["oh", "um", "umm", "uh", "uhm", "er", "erm", "hmm", "hm", "ah", "eh", "ugh", "uhh", "mm"]
)


@pytest.mark.parametrize("intent,sample", list(iter_samples(MODEL)))
def test_sample_has_no_filler_words(intent: str, sample: str) -> None:
    words = sample.replace("uh huh", "uh-huh").split()
    assert not FILLERS.intersection(words), f"{intent}: {sample!r}"
