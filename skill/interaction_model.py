"""The Alexa interaction model: loading it, and checking it against Alexa's published rules.

``interaction_models/<locale>.json`` is the one source of sample utterances, for Alexa and for
the local recogniser alike. :func:`load_interaction_model` parses a model and checks its shape
(raising :class:`InteractionModelError`, which names the file and the field);
:func:`alexa_rule_problems` lists every breach of the rules Alexa applies when a model is built
or certified, so a bad model fails in our tests rather than in the developer console.

Each rule in :data:`ALEXA_RULES` carries the documentation it comes from; each problem message
ends with the rule's id in square brackets, e.g.
``"intents[3].samples[7]: numbers must be spelled out as words: 'in 2 weeks' [sample-characters]"``.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from skill.intents import BUILT_IN_INTENTS

REPO_ROOT = Path(__file__).resolve().parent.parent
MODELS_DIR = REPO_ROOT / "interaction_models"


_LOCALE = re.compile(r"^[a-z]{2}-[A-Z]{2}$")


# --- data -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SlotValue:
    """One value of a custom slot type: its id, its spoken name and its synonyms."""

    id: str
    name: str
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class SlotType:
    """A custom slot type and its values."""

    name: str
    values: tuple[SlotValue, ...]


@dataclass(frozen=True)
class IntentSpec:
    """An intent, its sample utterances and its slots (slot name to slot type name)."""

    name: str
    samples: tuple[str, ...]
    slots: Mapping[str, str] = field(default_factory=dict, hash=False)


@dataclass(frozen=True, eq=False)
class InteractionModel:
    """A parsed interaction model; ``raw`` is a private copy of the JSON as read.

    ``intents`` keeps the file's order; ``intents`` and ``slot_types`` are read-only views.
    Models compare by identity.
    """

    locale: str
    invocation_name: str
    intents: Mapping[str, IntentSpec]
    slot_types: Mapping[str, SlotType]
    raw: dict[str, Any]


class InteractionModelError(ValueError):
    """A model file that cannot be read or is not shaped like an ASK interaction model.

    The message names the file and the field, e.g.
    ``"interaction_models/en-US.json: intents[3].samples[7]: expected a string, got 7"``.
    """


# --- loading ----------------------------------------------------------------------------------


def model_path(locale: str = "en-US") -> Path:
    """Where the shipped model of ``locale`` (such as ``"en-US"``) lives."""
    if not _LOCALE.fullmatch(locale):
        raise InteractionModelError(f"{locale!r}: not a locale such as 'en-US'")
    return MODELS_DIR / f"{locale}.json"


def load_interaction_model(locale: str = "en-US", path: Path | None = None) -> InteractionModel:
    """Read and shape-check the model of ``locale`` (or the file at ``path``).

    Raises :class:`InteractionModelError` naming the file and the offending field. Alexa's
    content rules are not applied here; see :func:`alexa_rule_problems`.
    """
    file = path if path is not None else model_path(locale)
    where = _display(file)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as error:
        raise InteractionModelError(f"{where}: cannot be read: {error.strerror}") from error
    except UnicodeDecodeError as error:
        raise InteractionModelError(f"{where}: not UTF-8 text: {error.reason}") from error
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise InteractionModelError(
            f"{where}: invalid JSON at line {error.lineno} column {error.colno}: {error.msg}"
        ) from error
    try:
        return _build(locale, raw)
    except _ShapeError as error:
        raise InteractionModelError(f"{where}: {error.field}: {error.message}") from None


class _ShapeError(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def _display(path: Path) -> str:
    """The path relative to the repository when it is inside it, else as given."""
    try:
        return path.resolve().relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return str(path)


_KINDS: dict[type, str] = {dict: "an object", list: "a list", str: "a string"}


def _kind(value: object) -> str:
    return _KINDS.get(type(value), repr(value))


def _need(value: object, kind: type, where: str, *, blank: bool = False) -> Any:
    """``value`` if it is a ``kind`` (a non-blank one, for strings, unless ``blank``)."""
    if not isinstance(value, kind) or (kind is str and not blank and not str(value).strip()):
        wanted = "a non-empty string" if kind is str else _KINDS[kind]
        raise _ShapeError(where, f"expected {wanted}, got {_kind(value)}")
    return value


def _language_model(raw: object) -> dict[str, Any]:
    top = _need(raw, dict, "(top level)")
    model = _need(top.get("interactionModel"), dict, "interactionModel")
    result: dict[str, Any] = _need(
        model.get("languageModel"), dict, "interactionModel.languageModel"
    )
    return result


def _build(locale: str, raw: object) -> InteractionModel:
    language = _language_model(raw)
    invocation = _need(language.get("invocationName"), str, "invocationName")
    intents: dict[str, IntentSpec] = {}
    for i, item in enumerate(_need(language.get("intents"), list, "intents")):
        spec = _intent(item, f"intents[{i}]")
        if spec.name in intents:
            raise _ShapeError(f"intents[{i}].name", f"intent {spec.name!r} is defined twice")
        intents[spec.name] = spec
    slot_types: dict[str, SlotType] = {}
    for t, item in enumerate(_need(language.get("types", []), list, "types")):
        slot_type = _slot_type(item, f"types[{t}]")
        if slot_type.name in slot_types:
            raise _ShapeError(f"types[{t}].name", f"type {slot_type.name!r} is defined twice")
        slot_types[slot_type.name] = slot_type
    assert isinstance(raw, dict)
    return InteractionModel(
        locale=locale,
        invocation_name=invocation,
        intents=MappingProxyType(intents),
        slot_types=MappingProxyType(slot_types),
        raw=copy.deepcopy(raw),
    )


def _intent(item: object, where: str) -> IntentSpec:
    obj = _need(item, dict, where)
    name = _need(obj.get("name"), str, f"{where}.name")
    samples = tuple(
        _need(sample, str, f"{where}.samples[{s}]", blank=True)
        for s, sample in enumerate(_need(obj.get("samples", []), list, f"{where}.samples"))
    )
    slots: dict[str, str] = {}
    for s, slot in enumerate(_need(obj.get("slots", []), list, f"{where}.slots")):
        slot_obj = _need(slot, dict, f"{where}.slots[{s}]")
        slot_name = _need(slot_obj.get("name"), str, f"{where}.slots[{s}].name")
        if slot_name in slots:
            raise _ShapeError(f"{where}.slots[{s}].name", f"slot {slot_name!r} is defined twice")
        slots[slot_name] = _need(slot_obj.get("type"), str, f"{where}.slots[{s}].type")
    return IntentSpec(name=name, samples=samples, slots=MappingProxyType(slots))


def _slot_type(item: object, where: str) -> SlotType:
    obj = _need(item, dict, where)
    name = _need(obj.get("name"), str, f"{where}.name")
    values = []
    for v, value in enumerate(_need(obj.get("values", []), list, f"{where}.values")):
        at = f"{where}.values[{v}]"
        value_obj = _need(value, dict, at)
        name_obj = _need(value_obj.get("name"), dict, f"{at}.name")
        spoken = _need(name_obj.get("value"), str, f"{at}.name.value")
        synonyms = tuple(
            _need(synonym, str, f"{at}.name.synonyms[{n}]")
            for n, synonym in enumerate(
                _need(name_obj.get("synonyms", []), list, f"{at}.name.synonyms")
            )
        )
        value_id = _need(value_obj.get("id", spoken), str, f"{at}.id")  # ids are optional
        values.append(SlotValue(id=value_id, name=spoken, synonyms=synonyms))
    return SlotType(name=name, values=tuple(values))


# --- Alexa's rules ----------------------------------------------------------------------------

_DOCS = "https://developer.amazon.com/en-US/docs/alexa"
_INVOCATION_DOC = f"{_DOCS}/custom-skills/choose-the-invocation-name-for-a-custom-skill.html"
_UTTERANCE_DOC = f"{_DOCS}/custom-skills/create-intents-utterances-and-slots.html"
_SCHEMA_DOC = f"{_DOCS}/smapi/interaction-model-schema.html"
_BUILT_IN_DOC = f"{_DOCS}/custom-skills/standard-built-in-intents.html"
_CONFLICT_DOC = f"{_DOCS}/custom-skills/find-utterance-conflicts-in-your-model.html"
_SLOT_TYPE_DOC = f"{_DOCS}/custom-skills/create-and-edit-custom-slot-types.html"
_CERT_DOC = (
    f"{_DOCS}/custom-skills/voice-interface-and-user-experience-testing-for-a-custom-skill.html"
)


@dataclass(frozen=True)
class Rule:
    """One of Alexa's rules: an id used in problem messages, what it says, and its source."""

    id: str
    summary: str
    source: str


ALEXA_RULES: tuple[Rule, ...] = (
    Rule("structure", "the model has the shape of an ASK interaction model", _SCHEMA_DOC),
    Rule(
        "invocation-characters",
        "invocation name: lower-case letters, spaces, possessive apostrophes, and periods only "
        "in letter-by-letter abbreviations ('n. p. r.'); numbers spelled out",
        _INVOCATION_DOC,
    ),
    Rule(
        "invocation-length",
        "invocation name: 2 to 50 characters (the limit the developer console and ASK tools "
        "enforce)",
        _INVOCATION_DOC,
    ),
    Rule("invocation-word-count", "invocation name: two or more words", _INVOCATION_DOC),
    Rule(
        "invocation-two-word-article",
        "a two-word invocation name must not contain an article or preposition",
        _INVOCATION_DOC,
    ),
    Rule(
        "invocation-launch-word",
        "invocation name: no launch phrases (run, start, play, resume, use, launch, ask, open, "
        "tell, load, begin, enable)",
        _INVOCATION_DOC,
    ),
    Rule(
        "invocation-connecting-word",
        "invocation name: no connecting words (to, from, in, using, with, about, for, that, by, "
        "if, and, whether)",
        _INVOCATION_DOC,
    ),
    Rule(
        "invocation-wake-word",
        "invocation name: no wake words (alexa, amazon, echo, computer)",
        _INVOCATION_DOC,
    ),
    Rule("invocation-skill-or-app", "invocation name: not the words skill or app", _INVOCATION_DOC),
    Rule(
        "intent-name",
        "custom intent names: letters and underscores, starting with a letter; built-in "
        "intents use the AMAZON. prefix",
        _SCHEMA_DOC,
    ),
    Rule("intent-duplicate", "each intent is defined once", _SCHEMA_DOC),
    Rule(
        "required-built-ins",
        "the nine built-ins SPEC.md lists are present (Alexa itself requires Cancel, Help, Stop)",
        _BUILT_IN_DOC,
    ),
    Rule("sample-empty", "a sample utterance has words in it", _UTTERANCE_DOC),
    Rule(
        "sample-characters",
        "samples: letters, spaces and valid punctuation only (periods after spoken letters, "
        "apostrophes in possessives and contractions, word-internal hyphens); numbers as words",
        _UTTERANCE_DOC,
    ),
    Rule(
        "sample-length",
        "samples: at most 200 characters (the limit ASK build tools enforce)",
        _UTTERANCE_DOC,
    ),
    Rule(
        "sample-slot-syntax",
        "slot references are written {slotName}, with no inline values",
        _UTTERANCE_DOC,
    ),
    Rule(
        "sample-slot-undeclared",
        "a slot named in a sample is declared in that intent's slots",
        _UTTERANCE_DOC,
    ),
    Rule("sample-slot-repeated", "a slot appears at most once in a sample", _UTTERANCE_DOC),
    Rule(
        "sample-duplicate",
        "no sample repeats, within an intent or across intents (an utterance conflict)",
        _CONFLICT_DOC,
    ),
    Rule("sample-wake-word", "samples do not contain a wake word", _CERT_DOC),
    Rule(
        "sample-invocation-phrase",
        "samples do not contain the invocation name or launch phrasing ('ask <name>')",
        _CERT_DOC,
    ),
    Rule(
        "slot-name",
        "slot names: letters and underscores, starting with a letter; each declared once",
        _SCHEMA_DOC,
    ),
    Rule(
        "slot-type-undefined",
        "a slot's type is a custom type in types, or a built-in AMAZON. type",
        _SCHEMA_DOC,
    ),
    Rule(
        "slot-type-name",
        "custom slot type names: letters and underscores, starting with a letter; each "
        "defined once",
        _SLOT_TYPE_DOC,
    ),
    Rule("slot-type-empty", "a custom slot type has at least one value", _SLOT_TYPE_DOC),
    Rule("slot-value-empty", "slot values, ids and synonyms are non-empty", _SLOT_TYPE_DOC),
    Rule(
        "slot-value-duplicate",
        "within a slot type, ids are unique and no value or synonym repeats",
        _SLOT_TYPE_DOC,
    ),
    Rule(
        "slot-value-length",
        "slot values and synonyms: at most 140 characters (the developer console's limit)",
        _SLOT_TYPE_DOC,
    ),
)
"""Every rule :func:`alexa_rule_problems` checks, with the documentation it comes from."""

_WAKE_WORDS = frozenset({"alexa", "amazon", "echo", "computer"})
_LAUNCH_WORDS = frozenset(
    {
        "run",
        "start",
        "play",
        "resume",
        "use",
        "launch",
        "ask",
        "open",
        "tell",
        "load",
        "begin",
        "enable",
    }
)
_CONNECTING_WORDS = frozenset(
    {"to", "from", "in", "using", "with", "about", "for", "that", "by", "if", "and", "whether"}
)
_TWO_WORD_FORBIDDEN = frozenset(
    {"the", "a", "an", "for", "to", "of", "about", "up", "by", "at", "off", "with"}
)
_SKILL_OR_APP = frozenset({"skill", "skills", "app", "apps"})
_LAUNCH_PHRASES = (*sorted(_LAUNCH_WORDS), "talk to", "start playing", "play the game")

_INVOCATION_LIMITS = (2, 50)
_SAMPLE_LIMIT = 200
_SLOT_VALUE_LIMIT = 140

_NAME = re.compile(r"^[A-Za-z][A-Za-z_]*$")
_BUILT_IN_NAME = re.compile(r"^AMAZON\.[A-Za-z][A-Za-z_]*$")
_SLOT_REF = re.compile(r"\{([^{}]*)\}")
_LETTER = r"[^\W\d_]"
_WORD = re.compile(rf"^{_LETTER}+(?:['\-_]{_LETTER}+)*'?$")
_SPOKEN_LETTER = re.compile(rf"^{_LETTER}\.$")
_INVOCATION_WORD = re.compile(r"^(?:[a-z]+(?:'s|s')?|[a-z]\.)$")
_SLOT_MARK = "\x00"
_NAME_RULE = "use letters and underscores, starting with a letter"


class _Report(list[str]):
    """Problems found so far, each ``"<field>: <message> [<rule id>]"``."""

    def add(self, field: str, rule: str, message: str) -> None:
        self.append(f"{field}: {message} [{rule}]")


def _words(text: str) -> list[str]:
    return text.lower().split()


def _normalised(text: str) -> str:
    """Case and spacing folded, the way duplicates are compared."""
    return " ".join(_words(text))


def alexa_rule_problems(raw: Mapping[str, Any]) -> list[str]:
    """Every breach of Alexa's published rules in a parsed model; ``[]`` when it is clean.

    Each message reads ``"<field>: <what is wrong> [<rule id>]"``; see :data:`ALEXA_RULES`.
    Fields are counted from ``interactionModel.languageModel``.
    """
    report = _Report()
    try:
        language = _language_model(raw)
    except _ShapeError as error:
        report.add(error.field, "structure", error.message)
        return report
    invocation = language.get("invocationName")
    if isinstance(invocation, str):
        _check_invocation(invocation, report)
    else:
        report.add("invocationName", "structure", f"expected a string, got {_kind(invocation)}")
        invocation = ""
    types = _check_types(language.get("types", []), report)
    _check_intents(language.get("intents"), types, invocation, report)
    return list(report)


def _check_invocation(name: str, report: _Report) -> None:
    at = "invocationName"
    low, high = _INVOCATION_LIMITS
    if not low <= len(name) <= high:
        report.add(at, "invocation-length", f"{len(name)} characters, not {low} to {high}")
    if any(ch.isdigit() for ch in name):
        report.add(at, "invocation-characters", f"spell numbers out as words: {name!r}")
    elif not all(_INVOCATION_WORD.fullmatch(word) for word in name.split(" ")):
        report.add(
            at,
            "invocation-characters",
            "only lower-case letters, single spaces, possessive apostrophes and periods after "
            f"spoken letters: {name!r}",
        )
    words = set(_words(name))
    if len(name.split()) < 2:
        report.add(at, "invocation-word-count", f"use two or more words: {name!r}")
    if len(name.split()) == 2 and words & _TWO_WORD_FORBIDDEN:
        found = " or ".join(repr(word) for word in sorted(words & _TWO_WORD_FORBIDDEN))
        report.add(at, "invocation-two-word-article", f"a two-word name cannot use {found}")
    for forbidden, rule, what in (
        (_LAUNCH_WORDS, "invocation-launch-word", "the launch phrase"),
        (_CONNECTING_WORDS, "invocation-connecting-word", "the connecting word"),
        (_WAKE_WORDS, "invocation-wake-word", "the wake word"),
        (_SKILL_OR_APP, "invocation-skill-or-app", "the word"),
    ):
        for word in sorted(words & forbidden):
            report.add(at, rule, f"must not contain {what} {word!r}: {name!r}")


def _check_types(types: object, report: _Report) -> set[str]:
    """Check the custom slot types; return the names they define."""
    if not isinstance(types, list):
        report.add("types", "structure", f"expected a list, got {_kind(types)}")
        return set()
    names: set[str] = set()
    for t, slot_type in enumerate(types):
        at = f"types[{t}]"
        if not isinstance(slot_type, dict) or not isinstance(slot_type.get("name"), str):
            report.add(at, "structure", "expected an object with a string name")
            continue
        name = slot_type["name"]
        if not (_NAME.fullmatch(name) or _BUILT_IN_NAME.fullmatch(name)):
            report.add(f"{at}.name", "slot-type-name", f"{name!r}: {_NAME_RULE}")
        if name in names:
            report.add(f"{at}.name", "slot-type-name", f"type {name!r} is defined twice")
        names.add(name)
        _check_values(slot_type, at, report)
    return names


def _check_values(slot_type: Mapping[str, Any], at: str, report: _Report) -> None:
    values = slot_type.get("values", [])
    if not isinstance(values, list):
        report.add(f"{at}.values", "structure", f"expected a list, got {_kind(values)}")
        return
    if not values and "valueSupplier" not in slot_type:  # a catalog may supply the values
        report.add(f"{at}.values", "slot-type-empty", f"type {slot_type['name']!r} has no values")
    ids: dict[str, str] = {}
    phrases: dict[str, str] = {}
    for v, value in enumerate(values):
        here = f"{at}.values[{v}]"
        name = value.get("name") if isinstance(value, dict) else None
        synonyms = name.get("synonyms", []) if isinstance(name, dict) else None
        if not isinstance(name, dict) or not isinstance(synonyms, list):
            report.add(here, "structure", "expected {id, name: {value, synonyms: [...]}}")
            continue
        if "id" in value:
            value_id = value["id"]
            if not isinstance(value_id, str) or not value_id.strip():
                report.add(f"{here}.id", "slot-value-empty", "an id is a non-empty string")
            elif value_id in ids:
                report.add(
                    f"{here}.id", "slot-value-duplicate", f"id {value_id!r} repeats {ids[value_id]}"
                )
            else:
                ids[value_id] = f"{here}.id"
        spoken = [(f"{here}.name.value", name.get("value"))]
        spoken += [(f"{here}.name.synonyms[{n}]", synonym) for n, synonym in enumerate(synonyms)]
        for where, phrase in spoken:
            if not isinstance(phrase, str) or not phrase.strip():
                report.add(where, "slot-value-empty", "must be a non-empty string")
                continue
            if len(phrase) > _SLOT_VALUE_LIMIT:
                report.add(
                    where,
                    "slot-value-length",
                    f"{len(phrase)} characters, more than {_SLOT_VALUE_LIMIT}",
                )
            key = _normalised(phrase)
            if key in phrases:
                report.add(where, "slot-value-duplicate", f"{phrase!r} repeats {phrases[key]}")
            phrases.setdefault(key, where)


def _check_intents(intents: object, types: set[str], invocation: str, report: _Report) -> None:
    if not isinstance(intents, list):
        report.add("intents", "structure", f"expected a list, got {_kind(intents)}")
        return
    names: dict[str, str] = {}
    samples_seen: dict[str, str] = {}
    for i, intent in enumerate(intents):
        at = f"intents[{i}]"
        if not isinstance(intent, dict) or not isinstance(intent.get("name"), str):
            report.add(at, "structure", "expected an object with a string name")
            continue
        name = intent["name"]
        if not (_NAME.fullmatch(name) or _BUILT_IN_NAME.fullmatch(name)):
            report.add(f"{at}.name", "intent-name", f"{name!r}: {_NAME_RULE}")
        if name in names:
            report.add(
                f"{at}.name", "intent-duplicate", f"{name!r} is also defined at {names[name]}"
            )
        names.setdefault(name, at)
        slots = _check_slots(intent.get("slots", []), at, types, report)
        samples = intent.get("samples", [])
        if not isinstance(samples, list):
            report.add(f"{at}.samples", "structure", f"expected a list, got {_kind(samples)}")
            continue
        for s, sample in enumerate(samples):
            where = f"{at}.samples[{s}]"
            if not isinstance(sample, str):
                report.add(where, "structure", f"expected a string, got {sample!r}")
                continue
            _check_sample(sample, where, slots, invocation, report)
            key = _normalised(sample)
            if key in samples_seen:
                report.add(where, "sample-duplicate", f"{sample!r} repeats {samples_seen[key]}")
            elif key:
                samples_seen[key] = f"{where} ({name})"
    for missing in sorted(BUILT_IN_INTENTS - names.keys()):
        report.add("intents", "required-built-ins", f"{missing} is missing")


def _check_slots(slots: object, at: str, types: set[str], report: _Report) -> set[str]:
    """Check an intent's slot declarations; return the slot names."""
    if not isinstance(slots, list):
        report.add(f"{at}.slots", "structure", f"expected a list, got {_kind(slots)}")
        return set()
    names: set[str] = set()
    for s, slot in enumerate(slots):
        where = f"{at}.slots[{s}]"
        if not isinstance(slot, dict) or not all(
            isinstance(slot.get(k), str) for k in ("name", "type")
        ):
            report.add(where, "structure", "expected an object with a string name and type")
            continue
        name, type_name = slot["name"], slot["type"]
        if not _NAME.fullmatch(name):
            report.add(f"{where}.name", "slot-name", f"{name!r}: {_NAME_RULE}")
        if name in names:
            report.add(f"{where}.name", "slot-name", f"slot {name!r} is declared twice")
        names.add(name)
        if type_name not in types and not _BUILT_IN_NAME.fullmatch(type_name):
            report.add(
                f"{where}.type",
                "slot-type-undefined",
                f"{type_name!r} is neither defined in types nor an AMAZON. type",
            )
    return names


def _check_sample(
    sample: str, where: str, slots: set[str], invocation: str, report: _Report
) -> None:
    if not sample.strip():
        report.add(where, "sample-empty", "a sample needs words")
        return
    if len(sample) > _SAMPLE_LIMIT:
        report.add(where, "sample-length", f"{len(sample)} characters, more than {_SAMPLE_LIMIT}")
    used = _SLOT_REF.findall(sample)
    bare = _SLOT_REF.sub(f" {_SLOT_MARK} ", sample)
    malformed = [ref for ref in used if not _NAME.fullmatch(ref)]
    if malformed or "{" in bare or "}" in bare:
        report.add(where, "sample-slot-syntax", f"write slots as {{slotName}}: {sample!r}")
    for ref in sorted(set(used) - slots - set(malformed)):
        report.add(where, "sample-slot-undeclared", f"slot {ref!r} is not declared in this intent")
    for ref in sorted({ref for ref in used if used.count(ref) > 1}):
        report.add(where, "sample-slot-repeated", f"slot {ref!r} appears more than once")
    tokens = bare.replace("{", " ").replace("}", " ").split()
    if any(ch.isdigit() for ch in sample):
        report.add(where, "sample-characters", f"numbers must be spelled out as words: {sample!r}")
    else:
        bad = [
            t
            for t in tokens
            if t != _SLOT_MARK and not (_WORD.fullmatch(t) or _SPOKEN_LETTER.fullmatch(t))
        ]
        if bad:
            listed = ", ".join(repr(t) for t in bad)
            report.add(
                where, "sample-characters", f"letters, spaces and valid punctuation only: {listed}"
            )
    for word in sorted(_WAKE_WORDS & {t.lower() for t in tokens}):
        report.add(where, "sample-wake-word", f"contains the wake word {word!r}")
    _check_invocation_phrase(sample, where, invocation, report)


def _check_invocation_phrase(sample: str, where: str, invocation: str, report: _Report) -> None:
    name = _normalised(invocation)
    text = f" {_normalised(sample)} "
    if not name or f" {name} " not in text:
        return
    launch = next((p for p in _LAUNCH_PHRASES if text.startswith(f" {p} {name} ")), None)
    said = f"the launch phrase {launch!r} and " if launch else ""
    report.add(
        where,
        "sample-invocation-phrase",
        f"contains {said}the invocation name {invocation!r}; a sample is what follows it",
    )


def iter_samples(model: InteractionModel) -> Iterator[tuple[str, str]]:
    """Every ``(intent name, sample)`` pair of a model, in file order."""
    for spec in model.intents.values():
        for sample in spec.samples:
            yield spec.name, sample
