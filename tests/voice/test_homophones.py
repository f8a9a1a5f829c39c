"""Words that sound alike are spelt as the model's samples spell them ("know" alone is "no")."""

from __future__ import annotations

import pytest

from local_voice.homophones import Homophones
from local_voice.recogniser import Recogniser

LEXICON = {
    "no": ["N OW"],
    "know": ["N OW"],
    "i": ["AY"],
    "eye": ["AY"],
    "aye": ["AY"],
    "don't": ["D OW N T"],
}
SAMPLES = frozenset({"no", "i don't know", "eye"})


def test_words_with_one_pronunciation_in_common_are_homophones() -> None:
    homophones = Homophones.of(LEXICON)
    assert homophones.alternatives["know"] == ("no",) and homophones.alternatives["no"] == ("know",)
    assert "don't" not in homophones.alternatives


@pytest.mark.parametrize(
    "heard,said",
    [
        ("know", "no"),  # not a sample; its sounds spelt as a sample
        ("i don't know", "i don't know"),  # a sample stays as it is
        ("i don't no", "i don't know"),
        ("know i don't", "know i don't"),  # no spelling is a sample: as heard
    ],
)
def test_what_was_heard_is_spelt_as_a_sample_where_one_sounds_the_same(
    heard: str, said: str
) -> None:
    assert Homophones.of(LEXICON).as_sample(heard, SAMPLES) == said


def test_two_samples_that_sound_the_same_leave_it_as_heard() -> None:
    assert Homophones.of(LEXICON).as_sample("aye", SAMPLES) == "eye"  # one sample sounds so
    assert Homophones.of(LEXICON).as_sample("aye", SAMPLES | {"i"}) == "aye"  # two do


def test_the_recognisers_lexicon_knows_that_no_and_know_sound_the_same(
    recogniser: Recogniser,
) -> None:
    homophones = Homophones.of(recogniser.lexicon.pronunciations)
    assert "know" in homophones.alternatives["no"]
