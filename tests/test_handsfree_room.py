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
    loopback = pulse_server.add_room_loopback()
    pulse_server.pactl("set-default-source", f"{pulse.ROOM_SINK}.monitor")
    yield pulse_server
    pulse_server.unload_module(loopback)


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
    clips = tmp_path / "clips"
    coach = CoachProcess(["run", ROUTINE, "--data-dir", str(tmp_path / "data")], dict(os.environ, VOICECOACH_LOG="debug"))
    try:
        assert coach.wait_for("coach: Kneel on one knee"), coach.stderr
        time.sleep(3.0)
        _say_until_heard(room, coach, "repeat", "repeat", clips)
        assert coach.wait_for("coach: Kneel on one knee, with the other foot in front.", HEARD_WITHIN_S)
        time.sleep(3.0)
        _say_until_heard(room, coach, "harder", "harder", clips)
        assert coach.wait_for("coach: Okay, harder. Longer holds.", HEARD_WITHIN_S)
        assert coach.wait_for("coach: 2")
        hurt = _say_until_heard(room, coach, "that hurts", "hurt", clips)
        assert coach.wait_for("coach: Ease off slowly and come out of the stretch.", 1.0), hurt
        question = coach.wait_for("coach: How bad is the pain, from zero to ten?")
        assert question
        time.sleep(2.5 + ANSWER_PAUSE_S)
        _say_until_heard(room, coach, "two", "number 2", clips)
        assert coach.wait_for("coach: Mild discomfort is fine, pain is not.", HEARD_WITHIN_S)
        time.sleep(5.0 + ANSWER_PAUSE_S)
        _say_until_heard(room, coach, "yes", "yes", clips)
        assert coach.wait_for("coach: Gentler it is. Short holds.", HEARD_WITHIN_S)
        assert coach.wait_for("coach: Begin.")
        time.sleep(2.0)
        _say_until_heard(room, coach, "next", "next", clips)
        assert coach.wait_for("coach: Get into position for rep 2 of 2.", HEARD_WITHIN_S)
    finally:
        coach.stop()
    played = {"repeat", "harder", "that hurts", "two", "yes", "next"}
    for line in coach.heard():
        phrase = line.split(" heard: ", 1)[1].split(" -> ")[0]
        assert phrase in played, f"the coach heard {phrase!r}, which nobody said: its own voice? {coach.heard()}"
