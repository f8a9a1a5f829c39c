"""What the recogniser listens for, built from the interaction model and nothing else.

Every sample utterance becomes a sentence of the recogniser's language model; a slot such as
``{rate}`` is filled with its slot type's values and synonyms.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TypeAlias

from skill.interaction_model import InteractionModel, load_interaction_model

_SLOT = re.compile(r"\{(\w+)\}")
#: Marks, in a prefix tree of sentences, that a sentence may end here.
_END = ""
_PrefixTree: TypeAlias = dict[str, "_PrefixTree"]


@dataclass(frozen=True)
class Grammar:
    """The model's samples as word sequences, and each slot's spoken alternatives."""

    samples: tuple[tuple[str, ...], ...]
    slot_phrases: Mapping[str, tuple[tuple[str, ...], ...]]

    @classmethod
    def from_model(cls, model: InteractionModel, intents: Collection[str] | None = None) -> Grammar:
        """Every sample of every intent (or of ``intents`` only); each slot maps to its slot
        type's names and synonyms."""
        phrases: dict[str, tuple[tuple[str, ...], ...]] = {}
        samples: list[tuple[str, ...]] = []
        for spec in model.intents.values():
            if intents is not None and spec.name not in intents:
                continue
            for slot, type_name in spec.slots.items():
                values = model.slot_types[type_name].values
                spoken = {p for v in values for p in (v.name, *v.synonyms)}
                phrases[slot] = tuple(sorted(tuple(p.lower().split()) for p in spoken))
            samples.extend(tuple(sample.lower().split()) for sample in spec.samples)
        return cls(tuple(dict.fromkeys(samples)), phrases)

    @classmethod
    def for_locale(cls, locale: str = "en-US", intents: Collection[str] | None = None) -> Grammar:
        """The grammar of the shipped interaction model of ``locale`` (of ``intents`` only)."""
        return cls.from_model(load_interaction_model(locale), intents)

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        """Every word the recogniser can hear."""
        words = {t for s in self.samples for t in s if not _SLOT.fullmatch(t)}
        words.update(w for ps in self.slot_phrases.values() for p in ps for w in p)
        return frozenset(words)

    def sentences(self) -> list[str]:
        """Text for the language model: each sample once, with a slot filled by each of its
        phrases in turn, then each phrase on its own, so that no slot outweighs the rest."""
        out: list[str] = []
        for number, sample in enumerate(self.samples):
            words: list[str] = []
            for token in sample:
                slot = _SLOT.fullmatch(token)
                phrases = self.slot_phrases.get(slot.group(1), ()) if slot else ((token,),)
                if not phrases:
                    break  # a slot left with no phrase it could be filled with
                words.extend(phrases[number % len(phrases)])
            else:
                out.append(" ".join(words))
        out.extend(" ".join(p) for phrases in self.slot_phrases.values() for p in phrases)
        return out

    def alternatives(self) -> list[str]:
        """Every sentence the samples allow, each slot filled in every way, each once."""
        out: list[str] = []
        for sample in self.samples:
            ways: list[list[str]] = [[]]
            for token in sample:
                slot = _SLOT.fullmatch(token)
                options = self.slot_phrases.get(slot.group(1), ()) if slot else ((token,),)
                ways = [way + list(option) for way in ways for option in options]
            out.extend(" ".join(way) for way in ways if way)
        return list(dict.fromkeys(out))

    def jsgf(self, name: str = "utterances", *, pause: str | None = None) -> str:
        """A JSGF grammar that accepts exactly :meth:`alternatives`; with ``pause``, that word
        may also come once before and once after a sentence (a decoder told to add no silences
        of its own then still has one for the quiet around the words).

        The sentences are written as a prefix tree ("i ( am ... | don't ... )"), not as a flat
        list: the decoder then follows one path for a shared beginning instead of one for each
        sentence, which made the yes/no grammar about five times faster to decode with the
        same answers heard. Each branch is weighted by the sentences behind it, so that every
        sentence is as likely as in a flat list."""
        tree: _PrefixTree = {}
        for sentence in self.alternatives():
            node = tree
            for word in sentence.split():
                node = node.setdefault(word, {})
            node[_END] = {}
        body = _jsgf_tree(tree)
        if pause is not None:
            body = f"[ {pause} ] ( {body} ) [ {pause} ]"
        return f"#JSGF V1.0;\ngrammar {name};\npublic <{name}> = {body} ;\n"

    def without(self, words: frozenset[str]) -> Grammar:
        """The grammar less every sample and slot phrase that uses one of ``words``."""
        keep = tuple(s for s in self.samples if not words.intersection(s))
        phrases = {
            slot: tuple(p for p in ps if not words.intersection(p))
            for slot, ps in self.slot_phrases.items()
        }
        return Grammar(keep, phrases)


def _jsgf_tree(tree: _PrefixTree) -> str:
    """The sentences of a prefix tree as one JSGF expression, "( /2/ a ( /1/ b | /1/ c ) | /1/ d
    )", each branch weighted by the sentences it leads to and ``<NULL>`` where a sentence may
    stop. pocketsphinx gives the alternatives of a group equal shares unless weighted, so an
    unweighted tree made a sentence alone behind its first word ("on and off") far likelier than
    one of the fifty behind "i"."""
    branches = [
        (_sentences(rest), f"{word} {_jsgf_tree(rest)}".rstrip())
        for word, rest in tree.items()
        if word != _END
    ]
    if not branches:
        return ""
    if _END in tree:
        branches.insert(0, (1, "<NULL>"))
    if len(branches) == 1:
        return f"( {branches[0][1]} )"
    return "( " + " | ".join(f"/{weight}/ {body}" for weight, body in branches) + " )"


def _sentences(tree: _PrefixTree) -> int:
    """How many sentences a prefix tree holds."""
    return sum(1 if word == _END else _sentences(rest) for word, rest in tree.items())
