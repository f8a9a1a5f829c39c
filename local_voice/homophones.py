"""Words that sound the same: the recogniser cannot tell them apart, the model's samples can.

"no" and "know" have the same phones, so which one the decoder writes depends on the language
model alone, and a trigram model that has seen "i don't know" end many samples may well write a
bare spoken "no" as "know". The samples settle it: when what was heard is not a sample but the
same sounds spelt with other words of the same pronunciation are, the sample is what was said.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

#: At most this many spellings of one hypothesis are tried (each homophone multiplies them).
MAX_SPELLINGS = 64


@dataclass(frozen=True)
class Homophones:
    """For each word, the other words of the vocabulary that share one of its pronunciations."""

    alternatives: Mapping[str, tuple[str, ...]]

    @classmethod
    def of(cls, pronunciations: Mapping[str, Iterable[str]]) -> Homophones:
        """Group the words of a lexicon (word -> its phone strings) by pronunciation."""
        by_sound: dict[str, set[str]] = defaultdict(set)
        for word, phone_strings in pronunciations.items():
            for phones in phone_strings:
                by_sound[" ".join(phones.split())].add(word)
        alternatives: dict[str, set[str]] = defaultdict(set)
        for words in by_sound.values():
            for word in words:
                alternatives[word].update(words - {word})
        return cls({word: tuple(sorted(others)) for word, others in alternatives.items() if others})

    def as_sample(self, text: str, samples: Collection[str]) -> str:
        """``text``, or the one spelling of its sounds that is a sample when ``text`` is not."""
        if text in samples:
            return text
        words = text.split()
        choices = [(word, *self.alternatives.get(word, ())) for word in words]
        spellings = itertools.islice(itertools.product(*choices), MAX_SPELLINGS)
        found = {joined for joined in map(" ".join, spellings) if joined in samples}
        return found.pop() if len(found) == 1 else text
