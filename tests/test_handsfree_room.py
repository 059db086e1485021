"""Hands-free, end to end: a real session in a PulseAudio "room" where the microphone hears both
the user (synthesized voices played into the room) and the coach's own speaker, through a loopback.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

import pulse
from coach_process import CoachProcess
from voices import FLITE_VOICES, synthesize, voices_missing_reason

pytestmark = [pytest.mark.audio, pytest.mark.slow]

ROUTINE = str(Path(__file__).parent / "data" / "room-test.yaml")
HEARD_WITHIN_S = 5.0
"""Seconds from the end of a played command to its `heard:` line: generous for a loaded CI box."""
ANSWER_PAUSE_S = 1.0
"""Seconds a person pauses after a question before answering."""


@pytest.fixture
def room(pulse_server):
    if voices_missing_reason():
        pytest.skip(voices_missing_reason())
    previous_source = pulse_server.pactl("get-default-source").strip()
    loopback = pulse_server.add_room_loopback()
    pulse_server.pactl("set-default-source", f"{pulse.ROOM_SINK}.monitor")
    yield pulse_server
    pulse_server.unload_module(loopback)
    pulse_server.pactl("set-default-source", previous_source)


def _say_until_heard(room, coach: CoachProcess, text: str, expect: str, folder: Path) -> str:
    """Play `text` into the room, in another voice if the first try is not heard (as a person
    repeats themselves); returns the `heard:` line."""
    for voice in FLITE_VOICES[:2]:
        room.play_file(synthesize(text, voice, folder), pulse.ROOM_SINK)
        line = coach.wait_for(f"heard: {text} -> {expect}", HEARD_WITHIN_S)
        if line:
            return line
    raise AssertionError(f"{text!r} was never heard; heard so far: {coach.heard()}\n{coach.stderr[-2000:]}")


def test_a_spoken_session_reacts_to_spoken_commands_and_not_to_itself(room, tmp_path):
    """Commands are spoken in the pauses a person would use; "that hurts" cuts in during a count."""
    clips = tmp_path / "clips"
    env = dict(os.environ, VOICECOACH_LOG="debug")
    coach = CoachProcess(["run", ROUTINE, "--data-dir", str(tmp_path / "data")], env)
    try:
        assert coach.wait_for("coach: Start with your left side."), coach.stderr
        time.sleep(2.2)  # into the settling pause, clear of the cue's echo
        _say_until_heard(room, coach, "repeat", "repeat", clips)
        assert coach.wait_for("coach: Start with your left side.", HEARD_WITHIN_S)
        assert coach.wait_for("coach: Rest for 4 seconds.")
        time.sleep(1.8)
        _say_until_heard(room, coach, "harder", "harder", clips)
        assert coach.wait_for("coach: Okay, harder. Longer holds.", HEARD_WITHIN_S)
        assert coach.wait_for("coach: 2")
        _say_until_heard(room, coach, "that hurts", "hurt", clips)
        assert coach.wait_for("coach: Ease off slowly and come out of the stretch.", 1.0)
        assert coach.wait_for("coach: How bad is the pain, from zero to ten?")
        time.sleep(2.5 + ANSWER_PAUSE_S)
        _say_until_heard(room, coach, "two", "number 2", clips)
        assert coach.wait_for("coach: Mild discomfort is fine, pain is not.", HEARD_WITHIN_S)
        time.sleep(5.0 + ANSWER_PAUSE_S)
        _say_until_heard(room, coach, "yes", "yes", clips)
        assert coach.wait_for("coach: Gentler it is. Short holds.", HEARD_WITHIN_S)
        assert coach.wait_for("coach: Get back into position.")
        time.sleep(2.0)
        _say_until_heard(room, coach, "next", "next", clips)
        assert coach.wait_for("coach: That's the end of the session.", HEARD_WITHIN_S)
        assert coach.process.wait(timeout=30) == 0
    finally:
        coach.stop()
    played = {"repeat", "harder", "that hurts", "two", "yes", "next"}
    for line in coach.heard():
        phrase = line.split(" heard: ", 1)[1].split(" -> ")[0]
        assert phrase in played, f"the coach heard {phrase!r}, which nobody said: its own voice? {coach.heard()}"
