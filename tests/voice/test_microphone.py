"""The microphone path for real: audio through ALSA and PortAudio into voice mode.

There is no sound card here or in CI, so the tests give ALSA a capture device of its own
(``~/.asoundrc`` in a temporary home): its ``file`` plugin plays a raw PCM file as what the
microphone hears, over the ``null`` device. Everything after that is what runs on a person's
computer: sounddevice opens the default input, the voice-activity detector finds the
utterance, pocketsphinx hears it, and the shared understanding and engine answer. Each time
the guide starts to listen, the device plays the file again from its start.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from voice_support import ROOT, home_with_microphone, microphone_works, needs_espeak

pytestmark = needs_espeak

QUESTION = "is twitching dangerous"
#: Turns to wait for: live cepstral normalisation starts cold, so a fresh recogniser may not
#: catch the very first utterances (it says so, and listens again).
MAX_TURNS = 6
#: Ctrl-C presses before the session must have ended (see the test below).
CTRL_C_PRESSES = 4


def test_voice_mode_hears_a_question_on_the_microphone_and_ctrl_c_ends_it(tmp_path: Path) -> None:
    env = home_with_microphone(tmp_path, QUESTION)
    if not microphone_works(env):
        pytest.skip("PortAudio sees no ALSA capture device (libportaudio2 is missing)")
    process = subprocess.Popen(
        [sys.executable, "-m", "skill.cli", "voice", "--jsonl"],
        stdin=subprocess.PIPE,  # kept open and silent: every turn comes from the microphone
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )
    assert process.stdout is not None
    try:
        records = [json.loads(process.stdout.readline())]
        while records[-1]["intent"] != "DangerIntent" and len(records) <= MAX_TURNS:
            line = process.stdout.readline()
            assert line, "voice mode ended before it heard the question"
            records.append(json.loads(line))
        # Ctrl-C while it listens ends the session; while it still speaks the reply, it only
        # stops the reply (as a person would want), and the guide listens again. A fixed pause
        # before one press raced the reply: about one run in eight pressed while it spoke.
        for _ in range(CTRL_C_PRESSES):
            time.sleep(0.5)
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=5)
                break
            except subprocess.TimeoutExpired:
                continue
        _, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert records[0]["intent"] == "LaunchRequest"
    assert records[-1]["intent"] == "DangerIntent" and records[-1]["heard"] == QUESTION
    assert all(r["intent"] is None for r in records[1:-1])  # at most "didn't catch that"
    assert process.returncode == 130
    assert "Traceback" not in stderr and "microphone" not in stderr


def test_a_microphone_that_stops_working_is_one_clear_error(tmp_path: Path) -> None:
    env = home_with_microphone(tmp_path, QUESTION)
    if not microphone_works(env):
        pytest.skip("PortAudio sees no ALSA capture device (libportaudio2 is missing)")
    # The device is opened for real, then closed under the reader, as when it is unplugged.
    code = (
        "import sounddevice\n"
        "from local_voice.microphone import Microphone, MicrophoneError\n"
        "stream = sounddevice.RawInputStream(samplerate=16000, channels=1, dtype='int16')\n"
        "stream.start(); stream.close()\n"
        "try:\n"
        "    next(Microphone(960)._frames(stream))\n"
        "except MicrophoneError as error:\n"
        "    print(error)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, timeout=30
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("the microphone stopped:")
    assert len(result.stdout.splitlines()) == 1


def test_without_a_device_opening_the_microphone_is_a_microphone_error(tmp_path: Path) -> None:
    (tmp_path / ".asoundrc").write_text("pcm.!default { type hw card 9 }\n")
    code = (
        "from local_voice.microphone import Microphone, MicrophoneError\n"
        "try:\n"
        "    with Microphone(960).listening():\n"
        "        pass\n"
        "except MicrophoneError as error:\n"
        "    print(error)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "HOME": str(tmp_path)},
        cwd=ROOT,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("the microphone could not be opened:")
