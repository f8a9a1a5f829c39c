"""WAV input in any common PCM layout arrives at the recogniser as 16 kHz mono 16-bit."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from local_voice.audio import Audio, AudioFileError, load_for_recognition, read_wav, rms

TONE_HZ = 440


def _write(path: Path, rate: int, channels: int, width: int, seconds: float = 0.5) -> Path:
    t = np.arange(int(rate * seconds)) / rate
    wave_form = 0.5 * np.sin(2 * np.pi * TONE_HZ * t)
    frames = np.repeat(wave_form[:, None], channels, axis=1).reshape(-1)
    if width == 1:
        data = np.round(frames * 127 + 128).astype(np.uint8).tobytes()
    elif width == 3:
        ints = np.round(frames * (2**23 - 1)).astype("<i4")
        data = b"".join(int(v).to_bytes(3, "little", signed=True) for v in ints)
    else:
        dtype = "<i2" if width == 2 else "<i4"
        data = np.round(frames * (2 ** (8 * width - 1) - 1)).astype(dtype).tobytes()
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(width)
        wav.setframerate(rate)
        wav.writeframes(data)
    return path


@pytest.mark.parametrize(
    ("rate", "channels", "width"),
    [(16000, 1, 2), (22050, 1, 2), (44100, 2, 2), (48000, 1, 3), (8000, 1, 1), (32000, 2, 4)],
)
def test_any_rate_width_and_channels_become_16k_mono(
    tmp_path: Path, rate: int, channels: int, width: int
) -> None:
    pcm = load_for_recognition(_write(tmp_path / "tone.wav", rate, channels, width))
    audio = Audio(pcm, 16000)
    assert audio.seconds == pytest.approx(0.5, abs=0.01)
    samples = audio.samples().astype(float)
    assert rms(audio) == pytest.approx(0.5 * 32768 / np.sqrt(2), rel=0.05)
    spectrum = np.abs(np.fft.rfft(samples))
    assert np.fft.rfftfreq(samples.size, 1 / 16000)[spectrum.argmax()] == pytest.approx(
        TONE_HZ, abs=3
    )


def test_a_file_that_is_not_a_wav_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "notes.wav"
    bad.write_text("not audio")
    with pytest.raises(AudioFileError, match=r"notes\.wav"):
        read_wav(bad)
    with pytest.raises(AudioFileError, match=r"missing\.wav"):
        read_wav(tmp_path / "missing.wav")
