"""Learning a person's voice: an MLLR transform from sentences they read aloud once.

The acoustic model was trained on other people. Maximum-likelihood linear regression (MLLR)
moves its Gaussians' means towards one speaker with a single affine transform per feature
stream, estimated from a few sentences whose words are known. CMU Sphinx's own tools do the
work, offline: ``sphinx_fe`` (sphinxbase-utils) computes the features as pocketsphinx does,
``bw`` (sphinxtrain) counts how each Gaussian is used in the sentences, ``mllr_solve``
(sphinxtrain) solves for the transform, and pocketsphinx applies it to every decoder
(its ``mllr`` setting). Two of the model's files are not in the form the 2015 tools read, and
are written in a scratch folder: the model definition as text (``pocketsphinx_mdef_convert``)
and the mixture weights as floats (from the quantised ``sendump``).

The transform is 3 x 13 x 14 numbers: no words and no audio. The recordings live in a scratch
folder that is deleted when the transform is written.
"""

from __future__ import annotations

import math
import re
import shutil
import struct
import subprocess
import tempfile
import wave
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pocketsphinx import get_model_path

from local_voice.audio import SAMPLE_RATE

MODEL = Path(get_model_path("en-us/en-us"))
SPHINXTRAIN = Path("/usr/lib/sphinxtrain")
#: The system packages and the programs in them that learning a voice needs.
TOOLS = {
    "sphinx_fe": "sphinxbase-utils",
    "pocketsphinx_mdef_convert": "pocketsphinx",
    "bw": "sphinxtrain",
    "mllr_solve": "sphinxtrain",
}
#: pocketsphinx's log base, and the shift its 8-bit mixture weights are stored with.
_LOG_BASE = 1.0001
_WEIGHT_SHIFT = 10
#: An MLLR file for this model: one class, three streams; each stream its dimension (13), a
#: 13 x 13 matrix, 13 offsets and 13 variance scales.
_MLLR_HEADER = ("1", "3")
_STREAM = ("13",)
_NUMBERS = len(_MLLR_HEADER) + 3 * (1 + 13 * 13 + 13 + 13)


#: At least this share of the sentences must match their words (bw aligns them), or nothing is
#: learned: a transform from a few sentences, or from speech that was not the sentence, could
#: make the voice heard worse. (10 sentences of en+f3 gained as much as 30.)
MIN_SHARE_MATCHED = 2 / 3


class AdaptationUnavailable(RuntimeError):
    """The programs that learn a voice are not installed; the message names the command."""


class AdaptationFailed(RuntimeError):
    """The tools ran but produced no transform (too little speech, say)."""


@dataclass(frozen=True)
class Reading:
    """One sentence as the person read it: its words and 16 kHz mono 16-bit audio."""

    text: str
    pcm: bytes


def tool_path(name: str) -> Path | None:
    """Where one of :data:`TOOLS` is, or None."""
    found = shutil.which(name)
    if found:
        return Path(found)
    candidate = SPHINXTRAIN / name
    return candidate if candidate.exists() else None


def missing_packages() -> list[str]:
    """The system packages still needed, in a stable order."""
    return sorted({package for name, package in TOOLS.items() if tool_path(name) is None})


def install_command(packages: Iterable[str]) -> str:
    """The command that installs ``packages`` on Debian or Ubuntu."""
    return "sudo apt-get install " + " ".join(packages)


def learn_voice(
    readings: Sequence[Reading], dictionary_lines: Iterable[str], destination: Path
) -> Path:
    """Estimate the transform from ``readings`` and write it to ``destination``.

    ``dictionary_lines`` are the recogniser's (``word PHONES``); each word's first
    pronunciation is the one the sentences are aligned with."""
    missing = missing_packages()
    if missing:
        raise AdaptationUnavailable(
            f"learning a voice needs {', '.join(missing)}: {install_command(missing)}"
        )
    if not readings:
        raise AdaptationFailed("no sentences were read")
    with tempfile.TemporaryDirectory(prefix="twitch-guide-voice-") as scratch:
        work = Path(scratch)
        model = _prepare_model(work / "model")
        _write_readings(readings, work)
        (work / "features").mkdir()
        (work / "counts").mkdir()
        (work / "words.dict").write_text(_first_pronunciations(dictionary_lines))
        _run("sphinx_fe", "-argfile", str(model / "feat.params"), "-samprate", str(SAMPLE_RATE),
             "-c", "fileids", "-di", "wav", "-do", "features", "-ei", "wav", "-eo", "mfc",
             "-mswav", "yes", cwd=work)  # fmt: skip
        counting = _run("bw", "-hmmdir", str(model), "-moddeffn", str(model / "mdef.txt"),
             "-ts2cbfn", ".ptm.", "-feat", "1s_c_d_dd", "-svspec", "0-12/13-25/26-38",
             "-cmn", "current", "-agc", "none", "-varnorm", "no",
             "-dictfn", "words.dict", "-fdictfn", str(model / "noisedict"),
             "-ctlfn", "fileids", "-lsnfn", "transcription",
             "-cepdir", "features", "-accumdir", "counts", cwd=work)  # fmt: skip
        matched = len(readings) - len(set(re.findall(r"\bs\d{3} ignored", counting)))
        if matched < MIN_SHARE_MATCHED * len(readings):
            raise AdaptationFailed(
                f"only {matched} of {len(readings)} sentences sounded like their words, "
                "so nothing was learned; try again, saying each sentence as it is written"
            )
        _run("mllr_solve", "-meanfn", str(model / "means"), "-varfn", str(model / "variances"),
             "-outmllrfn", "transform", "-accumdir", "counts", cwd=work)  # fmt: skip
        transform = work / "transform"
        if not is_transform(transform):
            raise AdaptationFailed("the tools wrote no usable transform")
        destination.parent.mkdir(parents=True, exist_ok=True)
        staged = destination.with_name(destination.name + ".new")
        shutil.copyfile(transform, staged)
        staged.replace(destination)
    return destination


def is_transform(path: Path) -> bool:
    """Whether ``path`` holds a whole MLLR transform for this model (3 streams of 13 x 14)."""
    try:
        numbers = path.read_text().split()
    except (OSError, UnicodeDecodeError):
        return False
    if tuple(numbers[:2]) != _MLLR_HEADER or len(numbers) != _NUMBERS:
        return False
    stride = (_NUMBERS - len(_MLLR_HEADER)) // 3
    if any(tuple(numbers[2 + k * stride : 3 + k * stride]) != _STREAM for k in range(3)):
        return False
    try:
        values = [float(n) for n in numbers]
    except ValueError:
        return False
    return all(math.isfinite(v) for v in values)


def _prepare_model(folder: Path) -> Path:
    """The bundled model with a text model definition and float mixture weights added."""
    folder.mkdir()
    for name in ("feat.params", "means", "variances", "transition_matrices", "noisedict"):
        shutil.copyfile(MODEL / name, folder / name)
    _run("pocketsphinx_mdef_convert", "-text", str(MODEL / "mdef"), str(folder / "mdef.txt"))
    write_mixture_weights(MODEL / "sendump", folder / "mixture_weights")
    return folder


def write_mixture_weights(sendump: Path, destination: Path) -> None:
    """pocketsphinx's 8-bit ``sendump`` as sphinxtrain's float ``mixture_weights``."""
    data = sendump.read_bytes()
    position = 0

    def next_int() -> int:
        nonlocal position
        (value,) = struct.unpack_from("<i", data, position)
        position += 4
        return int(value)

    fields: dict[str, str] = {}
    length = next_int()  # the title, then the header, then "name value" strings until 0
    position += length
    length = next_int()
    position += length
    while (length := next_int()) != 0:
        name, _, value = data[position : position + length].rstrip(b"\0").decode().partition(" ")
        fields[name] = value
        position += length
    if int(fields.get("cluster_count", "0")) != 0:
        raise AdaptationFailed("clustered mixture weights are not supported")
    densities, senones = next_int(), next_int()
    streams = int(fields.get("feature_count", "3"))
    stored = np.frombuffer(data, np.uint8, streams * densities * senones, position)
    if position + stored.size != len(data):
        raise AdaptationFailed(f"{sendump} is not the size its header says")
    log_weights = -stored.astype(np.float64) * (1 << _WEIGHT_SHIFT) * math.log(_LOG_BASE)
    weights = np.exp(log_weights.reshape(streams, densities, senones))
    weights /= weights.sum(axis=1, keepdims=True)
    table = np.ascontiguousarray(weights.transpose(2, 0, 1), dtype="<f4")  # senone, stream, density
    with destination.open("wb") as out:
        out.write(b"s3\nversion 1.0\nendhdr\n")
        out.write(struct.pack("<I", 0x11223344))  # byte-order mark
        out.write(struct.pack("<4i", senones, streams, densities, table.size))
        out.write(table.tobytes())


def _write_readings(readings: Sequence[Reading], work: Path) -> None:
    (work / "wav").mkdir()
    names = [f"s{number:03d}" for number in range(len(readings))]
    for name, reading in zip(names, readings, strict=True):
        with wave.open(str(work / "wav" / f"{name}.wav"), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(SAMPLE_RATE)
            out.writeframes(reading.pcm)
    (work / "fileids").write_text("".join(f"{name}\n" for name in names))
    (work / "transcription").write_text(
        "".join(
            f"<s> {reading.text} </s> ({name})\n"
            for name, reading in zip(names, readings, strict=True)
        )
    )


def _first_pronunciations(lines: Iterable[str]) -> str:
    kept = [line for line in lines if line.strip() and "(" not in line.split()[0]]
    return "\n".join(kept) + "\n"


def _run(tool: str, *arguments: str, cwd: Path | None = None) -> str:
    """Run one of :data:`TOOLS`; what it wrote on stderr (its log)."""
    path = tool_path(tool)
    if path is None:
        raise AdaptationUnavailable(f"{tool} is missing: {install_command([TOOLS[tool]])}")
    done = subprocess.run(
        [str(path), *arguments], cwd=cwd, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise AdaptationFailed(f"{tool} failed: {last}")
    return done.stderr
