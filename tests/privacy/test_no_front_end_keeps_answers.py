"""No front end keeps a red-flag answer: not in a log at DEBUG, not on stderr, not in a file.

Each front end runs whole red-flag checks (``tests/fixtures/privacy/red_flag_answers.json``):
every one of the five questions is answered, and across the checks every question gets a yes,
a no and a not sure and every outcome is reached; a run counts only if each reply asks the
next question (or gives the outcome) as the answers should make it. While a check runs:

* the root logger and every logger that exists are at DEBUG and enabled (``logging.disable``
  lifted, loggers that do not propagate fed to the capture too), and ``logging.lastResort``
  passes DEBUG on to stderr;
* stdout and stderr are captured at the file descriptor (``capfd``), so C libraries and child
  processes are seen as well as ``sys.stderr``;
* HOME, the working folder and the temporary folder (``TMPDIR``, ``tempfile``) are one empty
  folder, and an audit hook notes every file Python code opens for writing anywhere.

Afterwards nothing the person gave away (below) may be in any log record (message, arguments,
exception, extras), warning, stderr or stdout. The one exception is the reply stream, text and
voice mode's stdout, where ``--jsonl`` reports what was heard by design: there every line must
be a turn record and no reply may repeat the person's words. No file may be left in the empty
folder (voice mode may leave empty folders and symlinks of the sound system; the other front
ends not even that), no file outside it may be opened for writing (``/dev`` and Python's
bytecode cache aside), and no logger may have a file handler.

What each front end receives, so what it could leak:

* Alexa, as a webservice (the real Flask app, request signatures checked against this test's
  own certificate chain) and on Lambda (the ``lambda_handler`` entry point, cold-started):
  Alexa sends no words for a yes, no or not sure, only the intent (``AMAZON.YesIntent``,
  ``AMAZON.NoIntent``, ``UnsureIntent``; no slots), and the session attributes the skill
  handed back, which carry the check's state (question number, whether a concern came up) in
  plain JSON under an HMAC seal. So the test looks for the answers' intent names (and
  ``SymptomCheckIntent``), the state (its JSON, its field names ``dialogue``, ``concern``,
  ``no_once``, each seal) and the outcome (its name and its words). The person's own words
  never reach the skill. A log of a bare value (``True``, ``3``) could not be told apart from
  anything else and is not caught.
* Text mode receives the typed words: the test looks for each phrasing, its telling words and
  their word stems and stem pairs (the understanding's bag of words), the understood intents
  and the outcome.
* Voice mode receives audio (real espeak-ng speech from WAV files made outside the empty
  folder). The offline recogniser knows only the interaction model's words, so words outside
  it ("tingling") never exist as text, and the voice checks use their own short phrasings in
  its vocabulary (it hears the typed ones as other words). What it could leak is what it made
  of each utterance (every multi-word hypothesis, noted by wrapping ``Recogniser.finish`` and
  read from the reply stream, is looked for), the words said, the understood intents and the
  outcome; a copy of the audio would be a file. Replies are not played aloud (sound output is
  reported missing), which keeps the test quick; playing only ever handles replies.

Not covered: files written and deleted again inside the empty folder, writes by C code or child
processes (they get the empty folder as HOME and TMPDIR), a production web server's access log
(``waitress``), and what Amazon or AWS keep of a conversation themselves.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import logging
import os
import re
import shutil
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
import snowballstemmer  # type: ignore[import-untyped]
from flask.testing import FlaskClient

from skill import intents as i
from skill.alexa import SKILL_ID_ENV, lambda_function
from skill.alexa.testing import ChainFetcher, SigningChain
from skill.alexa.verification import SignatureVerifier
from skill.alexa.webservice import create_app
from skill.cli import main
from skill.content import OUTCOMES, QUESTION_COUNT, Content
from skill.seal import SEAL_KEY, STATE_KEY

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ANSWERS_FILE = FIXTURES / "privacy" / "red_flag_answers.json"
ALEXA_ENVELOPES = FIXTURES / "alexa" / "own"

INTENT_OF = {"yes": i.YES, "no": i.NO, "unsure": i.UNSURE}
#: Names of the dialogue state's fields that tell how the check is going.
STATE_WORDS = (STATE_KEY, "concern", "no_once")
FRONT_ENDS = ("alexa-webservice", "alexa-lambda", "text", "voice")


# --- the answers ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Phrasing:
    say: str
    telling: tuple[str, ...]


@dataclass(frozen=True)
class Answer:
    kind: str  # yes, no or unsure
    typed: Phrasing
    spoken: Phrasing


@dataclass(frozen=True)
class Check:
    name: str
    outcome: str
    answers: tuple[Answer, ...]


def _phrasing(data: dict[str, Any]) -> Phrasing:
    return Phrasing(data["say"], tuple(data["telling"]))


def _load_answers() -> tuple[Answer, list[Check]]:
    data = json.loads(ANSWERS_FILE.read_text(encoding="utf-8"))
    opening = Answer(
        "opening", _phrasing(data["opening"]["typed"]), _phrasing(data["opening"]["spoken"])
    )
    checks = [
        Check(
            check["name"],
            check["outcome"],
            tuple(
                Answer(a["kind"], _phrasing(a["typed"]), _phrasing(a["spoken"]))
                for a in check["answers"]
            ),
        )
        for check in data["checks"]
    ]
    return opening, checks


OPENING, CHECKS = _load_answers()


def test_the_checks_cover_every_answer_to_every_question_and_every_outcome() -> None:
    assert all(len(check.answers) == QUESTION_COUNT for check in CHECKS)
    for question in range(QUESTION_COUNT):
        assert {check.answers[question].kind for check in CHECKS} == set(INTENT_OF), question
    assert {check.outcome for check in CHECKS} == set(OUTCOMES)
    for answer in [OPENING, *(a for check in CHECKS for a in check.answers)]:
        for phrasing in (answer.typed, answer.spoken):
            assert phrasing.telling, phrasing
            assert all(word in phrasing.say for word in phrasing.telling), phrasing


# --- what a run gave away, and where it must not appear ------------------------------------


@dataclass
class Run:
    """What one front end did with one check."""

    #: The reply to each turn after the launch, in order (plain text).
    replies: list[str]
    #: What the person gave away in this run; no log may hold any of it.
    secrets: set[str] = field(default_factory=set)
    #: The intent each turn was understood as, where the front end reports it (text, voice).
    intents: list[str | None] | None = None
    #: The outcome the front end reported, where it reports one (text, voice).
    outcome: str | None = None
    #: The reply stream (text and voice mode's stdout), which may report what was heard.
    reply_stream: str | None = None
    #: Whole things the person said or was heard saying, which no reply may repeat.
    echoes: set[str] = field(default_factory=set)


_STEMMER = snowballstemmer.stemmer("english")


def _said(phrasing: Phrasing) -> set[str]:
    """A phrasing, its telling words, and those as the understanding's stems and stem pairs."""
    found = {phrasing.say}
    for telling in phrasing.telling:
        stems = _STEMMER.stemWords(telling.split())
        found |= {telling, " ".join(stems), "_".join(stems)}
    return found


def _outcome_secrets(content: Content, outcome: str) -> set[str]:
    return {outcome, content.block(content.outcomes[outcome][0]).text()}


def _answer_intents(check: Check) -> set[str]:
    """The intent names that say how the check was answered, and the request to start it."""
    names = {INTENT_OF[answer.kind] for answer in check.answers} | {i.SYMPTOM_CHECK}
    return names | {name.removeprefix("AMAZON.") for name in names}


def _pattern(secret: str) -> re.Pattern[str]:
    """``secret`` as a whole word or phrase (an underscore separates words, as in stem pairs)."""
    return re.compile(r"(?<![a-z0-9])" + re.escape(secret.lower()) + r"(?![a-z0-9])")


def _found(secrets: set[str], text: str) -> list[str]:
    lowered = text.lower()
    return sorted(secret for secret in secrets if _pattern(secret).search(lowered))


def _record_text(record: logging.LogRecord) -> str:
    """Everything a handler could write for ``record``: message, arguments, exception, extras."""
    parts = [repr(record.msg), repr(record.args)]
    try:
        parts.append(record.getMessage())
    except Exception as error:  # a record that cannot be formatted is still looked at
        parts.append(repr(error))
    if record.exc_info:
        parts.append(logging.Formatter().formatException(record.exc_info))
    parts += [record.exc_text or "", record.stack_info or ""]
    standard = logging.makeLogRecord({}).__dict__.keys() | {"message", "asctime"}
    parts += [f"{k}={v!r}" for k, v in record.__dict__.items() if k not in standard]
    return "\n".join(parts)


# --- watching a run ------------------------------------------------------------------------


@dataclass
class Watch:
    root: Path
    opened_for_writing: list[str] = field(default_factory=list)


_WATCH: Watch | None = None
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


def _audit(event: str, args: tuple[Any, ...]) -> None:
    watch = _WATCH
    if watch is None or event != "open" or len(args) < 3:
        return
    path, mode, flags = args[0], args[1], args[2]
    if not isinstance(path, str | bytes | os.PathLike):
        return  # an already open file descriptor
    writing = (
        any(c in mode for c in "wax+") if isinstance(mode, str) else bool(flags & _WRITE_FLAGS)
    )
    if writing:
        watch.opened_for_writing.append(os.fsdecode(path))


sys.addaudithook(_audit)  # audit hooks cannot be removed; it only notes while a run is watched


def _all_loggers() -> list[logging.Logger]:
    existing = logging.Logger.manager.loggerDict.values()
    return [logging.getLogger(), *(lg for lg in existing if isinstance(lg, logging.Logger))]


@contextmanager
def _watched(
    root: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> Iterator[Watch]:
    """Everything at DEBUG, an empty folder as HOME, cwd and temp, writes noted."""
    global _WATCH
    temp = root / "tmp"
    temp.mkdir()
    monkeypatch.chdir(root)
    monkeypatch.setenv("HOME", str(root))
    monkeypatch.setenv("TMPDIR", str(temp))
    for name in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    caplog.set_level(logging.DEBUG)
    logging.getLogger().setLevel(logging.DEBUG)
    if logging.lastResort is not None:
        monkeypatch.setattr(logging.lastResort, "level", logging.DEBUG)
    saved_disable = logging.root.manager.disable
    logging.disable(logging.NOTSET)
    saved = [(lg, lg.level, lg.disabled) for lg in _all_loggers()[1:]]
    deaf = [lg for lg, _, _ in saved if not lg.propagate]  # records would not reach caplog
    for lg, _, _ in saved:
        lg.setLevel(logging.DEBUG)
        lg.disabled = False
    for lg in deaf:
        lg.addHandler(caplog.handler)
    watch = Watch(root)
    _WATCH = watch
    try:
        yield watch
    finally:
        _WATCH = None
        for lg in deaf:
            lg.removeHandler(caplog.handler)
        for lg, level, disabled in saved:
            lg.setLevel(level)
            lg.disabled = disabled
        logging.disable(saved_disable)


# --- the front ends ------------------------------------------------------------------------


@dataclass(frozen=True)
class Tools:
    """What the front ends need, made before the run is watched."""

    content: Content
    chain: SigningChain
    audio: Callable[[str], Path]
    monkeypatch: pytest.MonkeyPatch


def _envelope(name: str) -> dict[str, Any]:
    envelope: dict[str, Any] = json.loads(
        (ALEXA_ENVELOPES / f"{name}.json").read_text(encoding="utf-8")
    )
    return envelope


SKILL_ID: str = _envelope("launch")["session"]["application"]["applicationId"]
#: The envelopes' timestamp: the verifying clock is set to it.
NOW = dt.datetime.fromisoformat(_envelope("launch")["request"]["timestamp"].replace("Z", "+00:00"))


def _speech(response: dict[str, Any]) -> str:
    ssml = response["response"]["outputSpeech"]["ssml"]
    return " ".join("".join(ElementTree.fromstring(ssml).itertext()).split())


def _alexa_check(send: Callable[[dict[str, Any]], dict[str, Any]], check: Check) -> Run:
    """A session the way Alexa holds it: each response's attributes go back with the next."""
    run = Run(replies=[])
    attributes: dict[str, Any] = {}
    count = 0

    def turn(envelope: dict[str, Any]) -> dict[str, Any]:
        nonlocal attributes, count
        count += 1
        envelope["session"]["new"] = count == 1
        envelope["session"]["attributes"] = attributes
        envelope["request"]["requestId"] = f"amzn1.echo-api.request.privacy-{count}"
        answer = send(envelope)
        attributes = copy.deepcopy(answer.get("sessionAttributes") or {})
        if attributes:
            assert set(attributes) == {STATE_KEY, SEAL_KEY}, attributes
            run.secrets.add(attributes[SEAL_KEY])
            run.secrets.add(json.dumps(attributes[STATE_KEY], sort_keys=True))
        return answer

    def intent(name: str) -> dict[str, Any]:
        envelope = _envelope("intent")
        envelope["request"]["intent"] = {"name": name, "confirmationStatus": "NONE", "slots": {}}
        return envelope

    turn(_envelope("launch"))
    answer = turn(intent(i.SYMPTOM_CHECK))
    run.replies.append(_speech(answer))
    for given in check.answers:
        answer = turn(intent(INTENT_OF[given.kind]))
        run.replies.append(_speech(answer))
    if not answer["response"].get("shouldEndSession"):
        turn(_envelope("session_ended"))  # the person says nothing more
    run.secrets |= _answer_intents(check) | set(STATE_WORDS)
    return run


def _alexa_webservice(check: Check, tools: Tools) -> Callable[[], Run]:
    fetcher = ChainFetcher(tools.chain.pem)
    verifier = SignatureVerifier(roots=[tools.chain.root], fetcher=fetcher, clock=lambda: NOW)
    app = create_app(
        skill_id=SKILL_ID, signature_verifier=verifier, clock=lambda: NOW, content=tools.content
    )
    client: FlaskClient = app.test_client()

    def send(envelope: dict[str, Any]) -> dict[str, Any]:
        body = json.dumps(envelope).encode("utf-8")
        response = client.post(
            "/", data=body, headers=tools.chain.headers(body), content_type="application/json"
        )
        assert response.status_code == 200, response.get_data(as_text=True)
        answer: dict[str, Any] = response.get_json()
        return answer

    def run() -> Run:
        result = _alexa_check(send, check)
        assert fetcher.calls, "the signatures were checked against the test's chain"
        return result

    return run


def _alexa_lambda(check: Check, tools: Tools) -> Callable[[], Run]:
    # A cold start: the entry point builds the skill on the first request, for this skill id.
    tools.monkeypatch.setattr(lambda_function, "_handler", None)
    tools.monkeypatch.setenv(SKILL_ID_ENV, SKILL_ID)
    return lambda: _alexa_check(lambda event: lambda_function.lambda_handler(event, None), check)


def _local(
    check: Check,
    tools: Tools,
    argv: list[str],
    said: list[Phrasing],
    stdin: str,
    overheard: list[list[str | None]],
) -> Run:
    """``twitch-guide`` with ``--jsonl``: stdin as given, stdout as the reply stream.
    ``overheard`` fills, during the run, with what the recogniser made of each utterance."""
    stream = io.StringIO()
    tools.monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    tools.monkeypatch.setattr("sys.stdout", stream)
    assert main([*argv, "--jsonl"]) == 0
    records = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert all({"heard", "intent", "speech", "triage_outcome"} <= set(r) for r in records)
    heard = [[r["heard"]] for r in records[1:]]  # as reported, a line per turn
    run = Run(
        replies=[r["speech"] for r in records[1:]],
        intents=[r["intent"] for r in records[1:]],
        outcome=records[-1]["triage_outcome"],
        reply_stream=stream.getvalue(),
    )
    phrases = [
        {text for text in texts if isinstance(text, str) and len(text.split()) > 1}
        for texts in [*heard, *overheard]
    ]
    for phrasing in said:
        run.secrets |= _said(phrasing)
    run.secrets |= set().union(*phrases)
    # What was said or heard after the opening (which the launch itself suggests).
    after_opening = phrases[1 : len(heard)] + phrases[len(heard) + 1 :]
    run.echoes = {phrasing.say for phrasing in said[1:]} | set().union(*after_opening)
    run.secrets |= _answer_intents(check)
    return run


def _text(check: Check, tools: Tools) -> Callable[[], Run]:
    said = [OPENING.typed, *(answer.typed for answer in check.answers)]
    lines = "".join(phrasing.say + "\n" for phrasing in said)
    return lambda: _local(check, tools, ["text"], said, lines, [])


def _voice(check: Check, tools: Tools) -> Callable[[], Run]:
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed: voice mode needs it to hear real speech")
    from local_voice import devices
    from local_voice.recogniser import Recogniser, Recognition

    # Replies are never played aloud, so the test is as quick and quiet on a machine with
    # speakers as without; playing only ever handles replies, never what the person said.
    detect = devices.detect
    quiet = devices.Capability(False, "no sound output (kept quiet by the test)")
    tools.monkeypatch.setattr(devices, "detect", lambda: replace(detect(), sound_output=quiet))
    said = [OPENING.spoken]
    for answer in check.answers:  # a spoken no counts when said twice
        said += [answer.spoken] * (2 if answer.kind == "no" else 1)
    files = [str(tools.audio(phrasing.say)) for phrasing in said]
    # What the recogniser made of each utterance, whatever of it the reply stream reports.
    overheard: list[list[str | None]] = []
    finish = Recogniser.finish

    def noting(recogniser: Recogniser) -> Recognition:
        recognition = finish(recogniser)
        overheard.append([recognition.text, getattr(recognition, "answer", None)])
        return recognition

    tools.monkeypatch.setattr(Recogniser, "finish", noting)

    def run() -> Run:
        result = _local(check, tools, ["voice", "--audio-in", *files], said, "", overheard)
        assert len(overheard) == len(files), "every utterance went through the recogniser"
        return result

    return run


DRIVERS: dict[str, Callable[[Check, Tools], Callable[[], Run]]] = {
    "alexa-webservice": _alexa_webservice,
    "alexa-lambda": _alexa_lambda,
    "text": _text,
    "voice": _voice,
}


# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chain() -> SigningChain:
    return SigningChain.create(NOW)


@pytest.fixture(scope="module")
def audio(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """espeak-ng saying a line into a WAV file, made once, outside any watched folder."""
    from local_voice.synthetic import espeak_wav

    folder = tmp_path_factory.mktemp("privacy-speech")
    made: dict[str, Path] = {}

    def wav(line: str) -> Path:
        if line not in made:
            made[line] = espeak_wav(line, folder / f"{len(made):02d}.wav")
        return made[line]

    return wav


# --- the test ------------------------------------------------------------------------------


def _expected_turns(content: Content, check: Check, front_end: str) -> list[tuple[str, str]]:
    """For each turn after the launch: the intent it must be understood as, and words the
    reply must hold (the next question, the same question again after a first spoken no, or
    the outcome)."""
    questions = [content.block(key).text() for key in content.questions]
    turns = [(i.SYMPTOM_CHECK, questions[0])]
    for n, answer in enumerate(check.answers):
        if front_end == "voice" and answer.kind == "no":
            turns.append((i.NO, questions[n]))
        following = (
            questions[n + 1]
            if n + 1 < len(questions)
            else content.block(content.outcomes[check.outcome][0]).text()
        )
        turns.append((INTENT_OF[answer.kind], following))
    return turns


@pytest.mark.parametrize("check", CHECKS, ids=[check.name for check in CHECKS])
@pytest.mark.parametrize("front_end", FRONT_ENDS)
def test_no_answer_reaches_a_log_or_a_file(
    front_end: str,
    check: Check,
    content: Content,
    chain: SigningChain,
    audio: Callable[[str], Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
    recwarn: pytest.WarningsRecorder,
) -> None:
    start = DRIVERS[front_end](check, Tools(content, chain, audio, monkeypatch))
    root = tmp_path / "person"
    root.mkdir()
    capfd.readouterr()
    caplog.clear()
    recwarn.clear()
    with _watched(root, monkeypatch, caplog) as watch:
        run = start()
        file_handlers = [  # pytest's own log file handler writes to os.devnull
            h.baseFilename
            for lg in _all_loggers()
            for h in lg.handlers
            if isinstance(h, logging.FileHandler) and h.baseFilename != os.devnull
        ]
    out, err = capfd.readouterr()

    # The check really ran: every question answered as meant, the outcome reached.
    expected = _expected_turns(content, check, front_end)
    assert len(run.replies) == len(expected), run.replies
    for reply, (_, holds) in zip(run.replies, expected, strict=True):
        assert holds in reply, (holds, reply)
    if run.intents is not None:
        assert run.intents == [intent for intent, _ in expected]
        assert run.outcome == check.outcome
    run.secrets |= _outcome_secrets(content, check.outcome)

    # Nothing of it in a log record, a warning, stderr or (but for the reply stream) stdout.
    for record in caplog.records:
        assert _found(run.secrets, _record_text(record)) == [], record
    for warning in recwarn:
        assert _found(run.secrets, str(warning.message)) == [], warning
    assert _found(run.secrets, err) == [], err
    assert _found(run.secrets, out) == [], out
    if run.reply_stream is not None:  # nothing but turn records, no reply echoing the person
        # (what the guide itself says, such as "yes, no, or not sure", is no echo)
        own_words = " ".join(text for block in content.blocks.values() for text in block.variants)
        echoes = {echo for echo in run.echoes if not _found({echo}, own_words)}
        for line in run.reply_stream.splitlines():
            record = json.loads(line)
            assert isinstance(record, dict) and isinstance(record["speech"], str), line
            assert _found(echoes, record["speech"]) == [], line

    # Nothing of it in a file.
    assert file_handlers == []
    left = [p for p in root.rglob("*") if p.is_file() and not p.is_symlink()]
    assert left == [], left
    if front_end != "voice":  # no sound system involved: not even a folder is made
        assert sorted(root.rglob("*")) == [root / "tmp"]
    elsewhere = [p for p in watch.opened_for_writing if not _holds_nothing_said(p, root)]
    assert elsewhere == [], elsewhere


def _holds_nothing_said(path: str, root: Path) -> bool:
    """Whether a file written during the run is one that cannot hold what the person said."""
    if Path(os.path.abspath(path)).is_relative_to(root):
        return True  # the empty folder: what is left there is looked at
    if path.startswith("/dev/"):
        return True  # /dev/null and the like
    # Python's bytecode cache, when an import in the run compiles a module for the first time.
    return "__pycache__" in Path(path).parts and ".pyc" in Path(path).name
