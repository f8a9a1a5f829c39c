"""The locale's word lists load from data, and a malformed file fails naming file and field."""

from __future__ import annotations

import copy
import fnmatch
import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

import skill
from skill.language import LanguageError, language_path, load_language, parse_language
from skill.understanding import Understander

FILE = language_path("en-US")
RAW = json.loads(FILE.read_text(encoding="utf-8"))


def test_the_shipped_language_file_loads() -> None:
    language = load_language("en-US")
    assert "the" in language.stopwords
    assert language.synonyms["physician"] == "doctor"
    assert language.normalise("I can't, it's fine; dont") == "i can not it is fine do not"


def _with(path: tuple[str, ...], value: Any) -> Any:
    raw = copy.deepcopy(RAW)
    node = raw
    for key in path[:-1]:
        node = node[key]
    if value is _DELETE:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return raw


_DELETE = object()
CASES = [
    ("top level", ["not", "an", "object"]),
    ("stemmer", _with(("stemmer",), _DELETE)),
    ("stemmer", _with(("stemmer",), "klingon")),
    ("locale", _with(("locale",), "")),
    ("stopwords", _with(("stopwords",), "a an the")),
    ("stopwords[1]", _with(("stopwords",), ["a", "an the"])),
    ("synonyms.doctor", _with(("synonyms", "doctor"), "physician")),
    ("synonyms.dangerous", _with(("synonyms", "dangerous"), ["doc"])),
    ("contractions.can't", _with(("contractions", "can't"), "can 't")),
    ("contraction_endings", _with(("contraction_endings",), [["n't", "not"]])),
    ("bare_contractions.dont", _with(("bare_contractions", "dont"), 7)),
    ("stop_words", {**RAW, "stop_words": []}),
]


@pytest.mark.parametrize(("field", "raw"), CASES, ids=[f"{i}-{c[0]}" for i, c in enumerate(CASES)])
def test_a_malformed_language_file_is_refused_naming_file_and_field(field: str, raw: Any) -> None:
    with pytest.raises(LanguageError) as error:
        parse_language(raw, FILE)
    assert str(error.value).startswith(f"{FILE}: {field}:")


def test_a_file_that_is_not_json_or_is_missing_or_of_another_locale_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "understanding-en-US.json"
    broken.write_text('{"locale": "en-US",', encoding="utf-8")
    with pytest.raises(LanguageError, match=r"understanding-en-US\.json: line 1: not valid JSON"):
        load_language("en-US", broken)
    with pytest.raises(LanguageError, match=r"no language file for locale 'xx-XX'"):
        load_language("xx-XX")
    monkeypatch.setattr("skill.language.CONTENT_DIR", tmp_path)
    (tmp_path / "understanding-en-GB.json").write_text(json.dumps(RAW), encoding="utf-8")
    with pytest.raises(LanguageError, match=r"en-GB\.json: locale: 'en-US', expected 'en-GB'"):
        load_language("en-GB")


def test_the_understander_of_a_locale_uses_that_locale_s_words() -> None:
    understander = Understander.for_locale("en-US")
    assert understander.language.locale == "en-US"


def test_the_language_file_is_packaged() -> None:
    pyproject = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())
    patterns = pyproject["tool"]["setuptools"]["package-data"]["skill"]
    relative = FILE.relative_to(Path(skill.__file__).parent).as_posix()
    assert any(fnmatch.fnmatch(relative, pattern) for pattern in patterns)
