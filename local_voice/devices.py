"""What this machine offers for speech: a microphone, sound output, espeak-ng. Never raises."""

from __future__ import annotations

import ctypes.util
import shutil
import subprocess
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Capability:
    """Whether something works, and if not, why, in a few words."""

    available: bool
    problem: str = ""


@dataclass(frozen=True)
class AudioStatus:
    """The three things voice mode needs; each may be missing on its own."""

    microphone: Capability
    sound_output: Capability
    speech: Capability


def detect() -> AudioStatus:
    """Look for a microphone, a sound output and espeak-ng."""
    devices, portaudio_problem = _portaudio_devices()
    return AudioStatus(
        microphone=_microphone(devices, portaudio_problem),
        sound_output=_sound_output(devices),
        speech=espeak(),
    )


def espeak() -> Capability:
    """espeak-ng, as a program (for pronunciations) and a library (for pyttsx3)."""
    if shutil.which("espeak-ng") is None or ctypes.util.find_library("espeak-ng") is None:
        return Capability(False, "espeak-ng is not installed (apt-get install espeak-ng)")
    return Capability(True)


def _portaudio_devices() -> tuple[list[dict[str, Any]], str]:
    """PortAudio's devices, or none and why (libportaudio2 missing, no sound card)."""
    try:
        import sounddevice
    except OSError:
        return [], "PortAudio is not installed (apt-get install libportaudio2)"
    try:
        return [dict(device) for device in sounddevice.query_devices()], ""
    except Exception as error:  # PortAudioError and friends: treat as no devices
        return [], f"PortAudio found no devices ({error})"


def _microphone(devices: list[dict[str, Any]], problem: str) -> Capability:
    if any(device.get("max_input_channels", 0) > 0 for device in devices):
        return Capability(True)
    return Capability(False, problem or "no microphone found")


def _sound_output(devices: list[dict[str, Any]]) -> Capability:
    aplay = shutil.which("aplay")
    if aplay is None:
        return Capability(False, "aplay is not installed (apt-get install alsa-utils)")
    if any(device.get("max_output_channels", 0) > 0 for device in devices):
        return Capability(True)
    # PortAudio may be missing while ALSA works; ask aplay (its exit code is 0 either way).
    try:
        listing = subprocess.run(
            [aplay, "-l"], capture_output=True, text=True, timeout=5, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        listing = ""
    if "card " in listing:
        return Capability(True)
    return Capability(False, "no sound output found")
