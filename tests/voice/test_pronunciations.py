# ruff: noqa: RUF001  (IPA symbols look like Latin letters on purpose)
"""Pronunciations: the CMU dictionary first, espeak-ng's phonemes for the words it lacks, and
letters one by one where the model spells a word out."""

from __future__ import annotations

import pytest
from voice_support import needs_espeak

from local_voice import pronunciations
from local_voice.grammar import Grammar
from local_voice.pronunciations import build_lexicon, ipa_to_cmu, spelt_out

CMU_PHONES = frozenset(
    {
        "AA", "AE", "AH", "AO", "AW", "AY", "B", "CH", "D", "DH", "EH", "ER", "EY", "F", "G",
        "HH", "IH", "IY", "JH", "K", "L", "M", "N", "NG", "OW", "OY", "P", "R", "S", "SH", "T",
        "TH", "UH", "UW", "V", "W", "Y", "Z", "ZH",
    }
)  # fmt: skip


def test_ipa_maps_onto_cmu_phones_without_stress_and_with_one_r() -> None:
    assert ipa_to_cmu("f ˌæ s ɪ k j ʊ l ˈeɪ ʃ ə n") == "F AE S IH K Y UH L EY SH AH N"
    assert ipa_to_cmu("d ˈɑː k t ɚ ɹ") == "D AA K T ER"


def test_british_vowels_american_english_lacks_go_to_the_nearest_phone() -> None:
    assert ipa_to_cmu("h ˈa v") == "HH AA V"  # British "have": open a
    assert ipa_to_cmu("n ˈɒ t") == "N AO T"  # British "not": rounded o
    assert ipa_to_cmu("h ˈæ v") == "HH AE V"  # American "have"
    assert ipa_to_cmu("ˈaɪ") == "AY"  # a diphthong is its own phoneme


def test_the_vowel_of_worse_has_an_r_colour_only_in_american_english() -> None:
    assert ipa_to_cmu("w ˈɜː s") == "W ER S"  # espeak-ng's American voice: r-coloured
    assert ipa_to_cmu("w ˈɜː s", "en-us") == "W ER S"
    assert ipa_to_cmu("w ˈɜː s", "en-gb") == "W AH S"  # British: no r, nearest is AH
    assert ipa_to_cmu("h ˈa v", "en-gb") == "HH AA V"  # the rest of the table still applies


def test_letters_said_one_by_one_are_found_in_the_model() -> None:
    assert spelt_out(["is", "it", "a.", "l.", "s.", "or", "an", "e.", "m.", "g."]) == {"als", "emg"}
    assert spelt_out(["a.", "fine", "day"]) == set()
    assert {"als", "emg", "mri"} <= spelt_out(t for s in Grammar.for_locale().samples for t in s)


@needs_espeak
def test_every_model_word_has_cmu_phones_and_missing_ones_are_generated() -> None:
    grammar = Grammar.for_locale()
    lexicon = build_lexicon(grammar.vocabulary, {"emg", "als"})
    assert lexicon.unknown == frozenset()
    assert set(lexicon.pronunciations) == set(grammar.vocabulary)
    assert {"fasciculation", "fasciculations", "glycinate", "emg"} <= lexicon.generated
    for word, choices in lexicon.pronunciations.items():
        assert len(set(choices)) == len(choices), word
        for phones in choices:
            assert phones and set(phones.split()) <= CMU_PHONES, (word, phones)
    assert "IY EH M JH IY" in lexicon.pronunciations["emg"]  # e. m. g.
    assert build_lexicon({"als"}, {"als"}).pronunciations["als"] == (
        "AE L Z",  # American
        "AA L Z",  # British: open a
        "EY EH L EH S",  # a. l. s.
    )
    assert lexicon.dictionary_lines()[:1] == [f"a {lexicon.pronunciations['a'][0]}"]


@needs_espeak
def test_british_and_american_pronunciations_join_the_dictionarys() -> None:
    lexicon = build_lexicon({"pardon", "flicker", "fasciculation"})
    assert lexicon.pronunciations["pardon"][0] == "P AA R D AH N"  # the CMU dictionary's
    assert "P AA D AH N" in lexicon.pronunciations["pardon"]  # British: no r
    assert "F L IH K AH" in lexicon.pronunciations["flicker"]
    minimal_pair = build_lexicon({"have", "haven't", "not"}).pronunciations
    assert minimal_pair["have"][0] == "HH AE V" and "HH AA V" in minimal_pair["have"]
    assert "HH AA V AH N T" in minimal_pair["haven't"]
    assert "N AA T" in minimal_pair["not"] and "N AO T" in minimal_pair["not"]
    nurse = build_lexicon({"worse", "nerve"}).pronunciations
    assert nurse["worse"] == ("W ER S", "W AH S")  # American first, then British without r
    assert nurse["nerve"] == ("N ER V", "N AH V")
    assert build_lexicon({"worse"}, accents=("en-us",)).pronunciations["worse"] == ("W ER S",)
    assert lexicon.generated == {"fasciculation"}
    assert build_lexicon({"pardon"}, accents=()).pronunciations["pardon"] == ("P AA R D AH N",)
    only_american = build_lexicon({"fasciculation"}, accents=("en-us",))
    assert only_american.pronunciations["fasciculation"] == (
        lexicon.pronunciations["fasciculation"][0],
    )


def test_without_espeak_a_missing_word_is_reported_unknown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    pronunciations.espeak_pronunciations.cache_clear()
    try:
        lexicon = build_lexicon({"fasciculation", "twitch"})
    finally:
        pronunciations.espeak_pronunciations.cache_clear()
    assert lexicon.unknown == {"fasciculation"}
    assert "twitch" in lexicon.pronunciations
    assert Grammar.for_locale().without(lexicon.unknown).vocabulary.isdisjoint({"fasciculation"})
