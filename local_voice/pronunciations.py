# ruff: noqa: RUF001, RUF003  (IPA symbols look like Latin letters on purpose)
"""Pronunciations for the recogniser: the bundled CMU dictionary, then espeak-ng's accents.

Words the dictionary lacks (``fasciculation``, ``glycinate``) get phones from espeak-ng's IPA,
mapped onto the dictionary's 39 phones. The CMU dictionary is American and gives most words one
pronunciation, so every word also gets espeak-ng's American and British pronunciations as
alternatives where they differ from it: British speakers drop the r of "flicker" and "pardon",
say "after" with a long a, "worse" with no r in its vowel, and "have" and "not" with vowels
American English lacks, which the American entries alone do not allow. Letters said one by one
get the letters' own pronunciations: where the interaction model spells a word out
(``e. m. g.``) as well as writing it whole (``emg``), the whole word is given the spelt
pronunciation as an alternative.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pocketsphinx import get_model_path

CMUDICT = Path(get_model_path("en-us/cmudict-en-us.dict"))
#: espeak-ng voices whose pronunciations join the dictionary's; the first also gives each word
#: the dictionary lacks its first pronunciation (American, as the acoustic model is). Measured
#: on espeak-ng speech: 800 development lines (sets C, M, N, O; open decoder's best text) 61.4 %
#: -> 64.4 % intents right; the benchmark's held-out lines 68.9 -> 74.9 %. A same-day check on
#: two voices at 200 words a minute: held-out lines 66.1 -> 72.0 %, yes / no / not sure 78.4 ->
#: 80.2 %, en-gb alone the same as both, real-time factor 0.084 to 0.094 with or without. The
#: synthetic voices say exactly espeak-ng's pronunciations, so people will gain less; the British
#: ones are there for British speakers.
ACCENTS = ("en-us", "en-gb")

#: espeak-ng's English IPA (one phoneme a token with ``--sep=' '``) to CMU phones.
#:
#: Two British vowels have no American twin, and go to the phone whose sound is nearest rather
#: than to the one American spelling gives them. British "have", "am", "that" (espeak-ng's
#: ``a``, open and further back than American ``æ``) go to AA; British "not", "on", "got" (``ɒ``,
#: rounded) go to AO. The American entries stay, so both are allowed. Only en-gb's phonemes use
#: these two symbols alone (en-us writes ``æ`` and ``ɑː``, and ``a`` only inside ``aɪ`` and
#: ``aʊ``), so American pronunciations do not change. Measured on espeak-ng speech (4 voices,
#: 2 rates), AE and AA before:
#: - every answer sample said while a red-flag question waits, the answer grammar alone: right
#:   1,520 -> 1,582 of 1,720 (``a`` alone to AA 1,550, ``ɒ`` alone to AO 1,534); whole turns as
#:   voice mode takes them 1,423 -> 1,526, yes or not sure taken for no 45 -> 42. Mostly
#:   "i have" / "i haven't" and "it has" / "it hasn't", which the British voices had confused.
#: - development lines (sets C, M, N, O, every fourth): intents right and heard 937 -> 1,033 of
#:   1,512 (en-gb 235 -> 272, en+f3 199 -> 227, en+m3 204 -> 244).
#: The extra alternatives cost the American voice a little: en-us 299 -> 290 of 378 development
#: lines, and 383 -> 380 of 430 answers ("nah not really" heard as "that's really").
IPA_TO_CMU: Mapping[str, str] = {
    # vowels and diphthongs
    "æ": "AE", "a": "AA", "ɑː": "AA", "ɑ": "AA", "ɒ": "AO", "ɔː": "AO", "ɔ": "AO", "oː": "AO",
    "ʌ": "AH", "ə": "AH", "ɐ": "AH", "ᵻ": "IH", "ɪ": "IH", "i": "IY", "iː": "IY", "ɛ": "EH",
    "e": "EH", "eɪ": "EY", "aɪ": "AY", "aʊ": "AW", "oʊ": "OW", "əʊ": "OW", "o": "OW",
    "ɔɪ": "OY", "ʊ": "UH", "u": "UW", "uː": "UW", "ɜː": "ER", "ɜ": "ER", "ɚ": "ER",
    "aɪə": "AY AH", "iə": "IY AH", "aʊə": "AW AH", "ɪə": "IH R", "eə": "EH R", "ʊə": "UH R",
    "ɔːɹ": "AO R", "ɑːɹ": "AA R", "ɛɹ": "EH R", "ʊɹ": "UH R", "ɪɹ": "IH R", "aɪɚ": "AY ER",
    "aʊɚ": "AW ER", "əl": "AH L", "n̩": "AH N", "əm": "AH M",
    # consonants
    "b": "B", "tʃ": "CH", "d": "D", "ð": "DH", "f": "F", "ɡ": "G", "g": "G", "h": "HH",
    "dʒ": "JH", "k": "K", "l": "L", "ɫ": "L", "m": "M", "n": "N", "ŋ": "NG", "p": "P",
    "ɹ": "R", "r": "R", "s": "S", "ʃ": "SH", "t": "T", "ɾ": "T", "ʔ": "T", "θ": "TH",
    "v": "V", "w": "W", "ʍ": "W", "j": "Y", "z": "Z", "ʒ": "ZH", "x": "K", "ç": "HH",
}  # fmt: skip

#: Where an accent's sound for a symbol is not the one :data:`IPA_TO_CMU` gives. espeak-ng
#: writes ``ɜː`` for the vowel of "worse", "nerve" and "certain" in both accents, but only its
#: American voice says it with an r's colour (ER); the British vowel has none, and the nearest
#: American sound is AH. Measured on espeak-ng speech of development lines (sets C, M, N, O,
#: every fourth, 4 voices, 2 rates): intents right and heard 1,062 -> 1,080 of 1,512 (en-gb
#: 275 -> 280, en+f3 243 -> 251, en+m3 247 -> 251, en-us 297 -> 298), the same whether the
#: American pronunciations change too or not, so they do not: American "worse" would also get
#: "W AH S", a step nearer "was". Answers said while a red-flag question waits did not move:
#: the answer grammar alone 1,582 -> 1,584 of 1,720, whole turns 1,527 both, 41 yes or not
#: sure taken for no both.
ACCENT_PHONES: Mapping[str, Mapping[str, str]] = {"en-gb": {"ɜː": "AH", "ɜ": "AH"}}
_MARKS = re.compile("[ˈˌ\u200d\u0361]")  # stress marks and tie bars carry no phone
_ALTERNATIVE = re.compile(r"\(\d+\)$")
_LETTER = re.compile(r"^[a-z]\.$")


@dataclass(frozen=True)
class Lexicon:
    """Each word's pronunciations (CMU phones), and which words had to be generated."""

    pronunciations: Mapping[str, tuple[str, ...]]
    generated: frozenset[str]
    unknown: frozenset[str]

    def dictionary_lines(self) -> list[str]:
        """The lexicon in the CMU dictionary's format (``word(2)`` for alternatives)."""
        lines = []
        for word in sorted(self.pronunciations):
            for number, phones in enumerate(self.pronunciations[word], start=1):
                lines.append(f"{word if number == 1 else f'{word}({number})'} {phones}")
        return lines


def build_lexicon(
    words: Iterable[str], spelt_words: Iterable[str] = (), accents: Sequence[str] = ACCENTS
) -> Lexicon:
    """Pronunciations of ``words``: the CMU dictionary's, then espeak-ng's in ``accents``.

    A word the dictionary lacks is generated: its first pronunciation is the first accent's.
    ``spelt_words`` are words also said letter by letter (``emg`` for ``e. m. g.``); each gets
    the letters' pronunciation as an alternative. A word with no pronunciation at all (espeak-ng
    is missing) is listed in ``unknown``.
    """
    wanted = set(words)
    spelt = set(spelt_words)
    letters = {f"{word[i]}." for word in spelt & wanted for i in range(len(word))}
    known = _from_cmudict(frozenset(wanted | letters))
    accented = espeak_pronunciations(
        tuple(sorted(word for word in wanted if not _LETTER.match(word))), tuple(accents)
    )
    pronunciations: dict[str, tuple[str, ...]] = {}
    generated: set[str] = set()
    unknown: set[str] = set()
    for word in sorted(wanted):
        phones = list(known.get(word, ()))
        if not phones and accented.get(word):
            generated.add(word)
        for made in accented.get(word, ()):
            if made not in phones:
                phones.append(made)
        if word in spelt and all(f"{letter}." in known for letter in word):
            letter_by_letter = " ".join(known[f"{letter}."][0] for letter in word)
            if letter_by_letter not in phones:
                phones.append(letter_by_letter)
        if phones:
            pronunciations[word] = tuple(phones)
        else:
            unknown.add(word)
    return Lexicon(pronunciations, frozenset(generated), frozenset(unknown))


def spelt_out(words: Iterable[str]) -> set[str]:
    """Words written as letters one by one in a token sequence: ``a. l. s.`` gives ``als``."""
    found: set[str] = set()
    run: list[str] = []
    for word in [*words, ""]:
        if _LETTER.match(word):
            run.append(word[0])
            continue
        if len(run) > 1:
            found.add("".join(run))
        run = []
    return found


@lru_cache(maxsize=8)
def espeak_pronunciations(
    words: tuple[str, ...], voices: tuple[str, ...]
) -> Mapping[str, tuple[str, ...]]:
    """Each word's CMU phones in each of espeak-ng's ``voices`` (distinct, in voice order);
    empty without espeak-ng. One espeak-ng process a voice, all running at once."""
    program = shutil.which("espeak-ng")
    if program is None or not words:
        return {}
    found: dict[str, list[str]] = {word: [] for word in words}
    for voice, ipa in _ipa_in_voices(program, words, voices):
        in_accent = [ipa_to_cmu(said, voice) for said in ipa]
        for word, phones in zip(words, in_accent, strict=True):
            if phones and phones not in found[word]:
                found[word].append(phones)
    return {word: tuple(phones) for word, phones in found.items() if phones}


def _ipa_in_voices(
    program: str, words: Sequence[str], voices: Sequence[str]
) -> list[tuple[str, list[str]]]:
    """espeak-ng's IPA of each word in each voice that answers, with the voice (a paragraph a
    word, so that neighbours do not change a word's sounds); a voice whose output does not line
    up is asked word by word."""
    command = [program, "-q", "--ipa", "--sep= "]
    text = "\n\n".join(words)

    def in_voice(voice: str) -> list[str]:
        try:
            output = subprocess.run(
                [*command, "-v", voice],
                input=text,
                capture_output=True,
                text=True,
                check=True,
                timeout=60,
            ).stdout
        except (OSError, subprocess.SubprocessError):
            return []
        lines = [line for line in output.splitlines() if line.strip()]
        if len(lines) != len(words):
            lines = [_ipa(command, voice, word) for word in words]
        return lines

    with ThreadPoolExecutor(max(1, len(voices))) as pool:
        said = zip(voices, pool.map(in_voice, voices), strict=True)
        return [(voice, lines) for voice, lines in said if lines]


def _ipa(command: Sequence[str], voice: str, word: str) -> str:
    try:
        return subprocess.run(
            [*command, "-v", voice, word], capture_output=True, text=True, check=True, timeout=10
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ""


def ipa_to_cmu(ipa: str, accent: str = "en-us") -> str:
    """Map espeak-ng IPA (space-separated phonemes) in ``accent`` (an espeak-ng voice) to CMU
    phones; unknown marks are dropped."""
    table = {**IPA_TO_CMU, **ACCENT_PHONES.get(accent, {})}
    phones: list[str] = []
    for token in ipa.split():
        token = _MARKS.sub("", token)
        if token in table:
            phones.extend(table[token].split())
            continue
        start = 0
        while start < len(token):  # longest match first for tokens the table lacks
            for length in (3, 2, 1):
                piece = token[start : start + length]
                if piece in table:
                    phones.extend(table[piece].split())
                    start += length
                    break
            else:
                start += 1  # a length mark or a symbol with no CMU phone
    merged: list[str] = []
    for phone in phones:
        # espeak writes an r-coloured vowel and then a linking r ("ɚ ɹ"); CMU has one R.
        if phone == "R" and merged and merged[-1] in ("R", "ER"):
            continue
        merged.append(phone)
    return " ".join(merged)


def _from_cmudict(words: frozenset[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    with CMUDICT.open(encoding="utf-8") as dictionary:
        for line in dictionary:
            entry, _, phones = line.partition(" ")
            word = _ALTERNATIVE.sub("", entry)
            if word in words:
                found.setdefault(word, []).append(phones.strip())
    return found
