"""The words of one language that understanding needs: one JSON file per locale, validated on load.

``skill/content/understanding-<locale>.json`` holds, for the locale:

- ``stemmer``: the Snowball stemmer's language (``"english"``);
- ``stopwords``: function words and spoken fillers ("um", "actually"), which carry no topic, so
  they neither prove nor disprove that a line is on topic;
- ``synonyms``: general synonyms and word forms, each list mapped onto the word the model uses
  (``"doctor": ["physician", ...]``), so that a sample's wording need not be matched word for
  word; written from general knowledge, and only words with no other sense that matters here;
- ``contractions``: whole contracted words and their expansion (``"can't": "can not"``);
- ``contraction_endings``: endings that expand into a word of their own (``"n't": "not"``),
  applied after the whole words, in the order written;
- ``bare_contractions``: contractions typed without the apostrophe, where the bare word means
  nothing else (``"dont": "do not"``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import snowballstemmer  # type: ignore[import-untyped]

from skill.content import CONTENT_DIR
from skill.locale_data import Where, read_locale_json

_NOT_LETTERS = re.compile(r"[^a-z ]+")
_WORD = re.compile(r"[a-z]+")
_CONTRACTED = re.compile(r"[a-z']+")
#: More distinct words than any model and a long session's worth of new ones.
_STEM_CACHE_SIZE = 50_000


class LanguageError(ValueError):
    """A language file is malformed; the message names the file and the field."""


@dataclass(frozen=True)
class Language:
    """The word lists of one locale, and what understanding does with them."""

    locale: str
    stopwords: frozenset[str]
    synonyms: Mapping[str, str]
    contractions: tuple[tuple[re.Pattern[str], str], ...]
    bare_contractions: Mapping[str, str]
    stemmer: Any = field(compare=False, repr=False)
    #: Stems already worked out, by word (building the understanding stems the same thousand
    #: words tens of thousands of times); bounded, as any text may come in.
    _stem_cache: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def normalise(self, text: str) -> str:
        """Lower case, contractions expanded, letters and single spaces only."""
        text = unicodedata.normalize("NFKC", text).lower().replace("\u2019", "'")
        for pattern, expansion in self.contractions:
            text = pattern.sub(expansion, text)
        words = _NOT_LETTERS.sub(" ", text.replace("'", "")).split()
        words = " ".join(self.bare_contractions.get(word, word) for word in words).split()
        return " ".join(_join_spelled_letters(words))

    def stems(self, words: list[str]) -> list[str]:
        """The stems of ``words``, each synonym first mapped onto the model's word."""
        return [self._stem(word) for word in words]

    def _stem(self, word: str) -> str:
        stem = self._stem_cache.get(word)
        if stem is None:
            stem = str(self.stemmer.stemWord(self.synonyms.get(word, word)))
            if len(self._stem_cache) < _STEM_CACHE_SIZE:
                self._stem_cache[word] = stem
        return stem

    def content_stems(self, words: list[str]) -> list[str]:
        """The stems of the words that are not function words."""
        return self.stems([word for word in words if word not in self.stopwords])


def _join_spelled_letters(words: list[str]) -> list[str]:
    """Letters said one by one ("a. l. s.", "e m g") become one word, as when typed ("als")."""
    joined: list[str] = []
    run: list[str] = []
    for word in [*words, ""]:
        if len(word) == 1:
            run.append(word)
            continue
        joined.extend(["".join(run)] if len(run) > 1 else run)
        run = []
        if word:
            joined.append(word)
    return joined


def language_path(locale: str = "en-US") -> Path:
    """Where the language file of ``locale`` lives."""
    return CONTENT_DIR / f"understanding-{locale}.json"


def load_language(locale: str = "en-US", path: Path | None = None) -> Language:
    """Load and validate the language of ``locale``; raise LanguageError naming file and field."""
    file = path or language_path(locale)
    raw = read_locale_json(file, "language", locale, LanguageError)
    language = parse_language(raw, file)
    if path is None and language.locale != locale:
        raise LanguageError(f"{file}: locale: {language.locale!r}, expected {locale!r}")
    return language


def parse_language(raw: Any, file: Path) -> Language:
    """Validate parsed JSON as a language; ``file`` names it in errors."""
    where = _Where(file)
    root = where.mapping(raw, "")
    unknown = sorted(set(root) - _FIELDS)
    if unknown:
        raise LanguageError(f"{file}: {unknown[0]}: not a field of a language file")
    stemmer_name = where.text(root.get("stemmer"), "stemmer")
    if stemmer_name not in snowballstemmer.algorithms():
        raise LanguageError(f"{file}: stemmer: no Snowball stemmer named {stemmer_name!r}")
    stopwords = where.words(root.get("stopwords"), "stopwords")
    synonyms: dict[str, str] = {}
    for canonical, value in where.mapping(root.get("synonyms"), "synonyms").items():
        where.word(canonical, f"synonyms.{canonical}", _WORD)
        for word in where.words(value, f"synonyms.{canonical}"):
            if word in synonyms:
                raise LanguageError(
                    f"{file}: synonyms.{canonical}: {word!r} is already a synonym of "
                    f"{synonyms[word]!r}"
                )
            synonyms[word] = canonical
    contractions = [
        (re.compile(rf"\b{re.escape(word)}\b"), expansion)
        for word, expansion in where.expansions(root, "contractions", _CONTRACTED).items()
    ]
    contractions += [
        (re.compile(rf"{re.escape(ending)}\b"), f" {expansion}")
        for ending, expansion in where.expansions(root, "contraction_endings", _CONTRACTED).items()
    ]
    return Language(
        locale=where.text(root.get("locale"), "locale"),
        stopwords=frozenset(stopwords),
        synonyms=synonyms,
        contractions=tuple(contractions),
        bare_contractions=where.expansions(root, "bare_contractions", _WORD),
        stemmer=snowballstemmer.stemmer(stemmer_name),
    )


_FIELDS = frozenset(
    {
        "locale",
        "stemmer",
        "stopwords",
        "synonyms",
        "contractions",
        "contraction_endings",
        "bare_contractions",
    }
)


class _Where(Where):
    """The checks of :class:`skill.locale_data.Where`, and those of words."""

    error = LanguageError

    def word(self, value: Any, field: str, shape: re.Pattern[str]) -> str:
        if not isinstance(value, str) or not shape.fullmatch(value):
            raise LanguageError(f"{self.file}: {field}: {value!r} must be one word in lower case")
        return value

    def words(self, value: Any, field: str) -> list[str]:
        if not isinstance(value, list) or not value:
            raise LanguageError(f"{self.file}: {field}: must be a non-empty list of words")
        return [self.word(word, f"{field}[{i}]", _WORD) for i, word in enumerate(value)]

    def expansions(
        self, root: dict[str, Any], field: str, shape: re.Pattern[str]
    ) -> dict[str, str]:
        expansions: dict[str, str] = {}
        for word, expansion in self.mapping(root.get(field), field).items():
            self.word(word, f"{field}.{word}", shape)
            text = self.text(expansion, f"{field}.{word}")
            if _NOT_LETTERS.search(text) or text != " ".join(text.split()):
                raise LanguageError(
                    f"{self.file}: {field}.{word}: {text!r} must be words in lower case, "
                    "one space apart"
                )
            expansions[word] = text
        return expansions
