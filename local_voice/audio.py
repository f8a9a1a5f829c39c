"""WAV files in any PCM layout, converted to what the recogniser hears: 16 kHz mono 16-bit."""

from __future__ import annotations

import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import soxr

#: The recogniser's (and the microphone's) sample rate.
SAMPLE_RATE = 16_000


class AudioFileError(ValueError):
    """A file that is not a readable PCM WAV file; the message names the file."""


@dataclass(frozen=True)
class Audio:
    """Mono 16-bit little-endian PCM and its sample rate."""

    pcm: bytes
    sample_rate: int

    @property
    def seconds(self) -> float:
        """The duration."""
        return len(self.pcm) / 2 / self.sample_rate

    def samples(self) -> npt.NDArray[np.int16]:
        """The samples as an array (a read-only view of ``pcm``)."""
        return np.frombuffer(self.pcm, dtype="<i2")


def read_wav(path: Path) -> Audio:
    """Read a PCM WAV file of any sample rate, width (8 to 32 bits) and channel count as mono
    16-bit audio at its own sample rate (channels are averaged)."""
    try:
        with wave.open(str(path), "rb") as wav:
            channels, width, rate = wav.getnchannels(), wav.getsampwidth(), wav.getframerate()
            frames = wav.readframes(wav.getnframes())
    except (OSError, EOFError, wave.Error) as error:
        raise AudioFileError(f"{path}: not a readable PCM WAV file ({error})") from None
    if width not in (1, 2, 3, 4):
        raise AudioFileError(f"{path}: {8 * width}-bit samples are not supported")
    samples = _to_float(frames, width).reshape(-1, channels).mean(axis=1)
    return Audio(_to_pcm16(samples), rate)


def resample(audio: Audio, rate: int = SAMPLE_RATE) -> Audio:
    """The same audio at ``rate`` (band-limited resampling with soxr)."""
    if audio.sample_rate == rate:
        return audio
    samples = audio.samples().astype(np.float32) / 32768.0
    return Audio(_to_pcm16(soxr.resample(samples, audio.sample_rate, rate)), rate)


def load_for_recognition(path: Path) -> bytes:
    """A WAV file as the recogniser wants it: 16 kHz mono 16-bit PCM."""
    return resample(read_wav(path)).pcm


def write_wav(path: Path, audio: Audio) -> None:
    """Write mono 16-bit PCM as a WAV file."""
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(audio.sample_rate)
        wav.writeframes(audio.pcm)


def rms(audio: Audio) -> float:
    """Root mean square level, in 16-bit sample units (0 for silence or no audio)."""
    samples = audio.samples().astype(np.float64)
    return float(np.sqrt(np.mean(samples**2))) if samples.size else 0.0


def _to_float(frames: bytes, width: int) -> npt.NDArray[np.float64]:
    """Interleaved samples scaled to -1..1; 8-bit WAV is unsigned, wider is signed."""
    raw = np.frombuffer(frames, dtype=np.uint8)
    if width == 1:
        return (raw.astype(np.float64) - 128.0) / 128.0
    if width == 3:
        # Little-endian 24-bit: put the three bytes at the top of a 32-bit integer.
        padded = np.zeros((raw.size // 3, 4), dtype=np.uint8)
        padded[:, 1:] = raw[: padded.shape[0] * 3].reshape(-1, 3)
        return padded.view("<i4").reshape(-1).astype(np.float64) / 2.0**31
    dtype = "<i2" if width == 2 else "<i4"
    return np.frombuffer(frames, dtype=dtype).astype(np.float64) / 2.0 ** (8 * width - 1)


def _to_pcm16(samples: npt.NDArray[np.floating]) -> bytes:
    scaled = np.clip(np.round(samples * 32768.0), -32768, 32767)
    return scaled.astype("<i2").tobytes()
