"""`voicecoach serve` by voice, end to end: a caregiver wakes the coach, starts a routine by name,
ends it, and the coach goes back to waiting; room conversation gets no answer."""

from __future__ import annotations

import os
import time

import pytest

import pulse
from coach_process import CoachProcess
from voices import say_until_heard, synthesize

pytestmark = [pytest.mark.audio, pytest.mark.slow]

QUIET_AFTER_S = 5.0
"""Seconds after the coach's latest line appears before a caregiver speaks: the line's own length
plus a pause. The transcript shows a line as it starts playing."""


def wait_until_quiet(coach: CoachProcess) -> None:
    """Let the coach finish what it is saying, as a person waits before answering."""
    spoken = [read for read, line in coach.lines if "coach: " in line]
    if spoken:
        time.sleep(max(0.0, spoken[-1] + QUIET_AFTER_S - time.monotonic()))


def test_serve_starts_and_ends_a_session_by_voice(room, tmp_path):
    clips = tmp_path / "clips"
    env = dict(os.environ, VOICECOACH_LOG="debug")
    coach = CoachProcess(["serve", "--data-dir", str(tmp_path / "data")], env)
    try:
        assert coach.wait_for("event: idle"), coach.stderr
        room.play_file(synthesize("what a lovely day it has been today", "awb", clips), pulse.ROOM_SINK)
        say_until_heard(room, coach, "hey coach, start psoas release", "coach: Starting Psoas release.", clips)
        assert coach.wait_for("event: session_start routine=psoas-release")
        release = coach.wait_for("coach: Now release to neutral", timeout=90)
        assert release, "the first exercise never reached its silent release phase"
        time.sleep(6.5)  # the cue itself, then the release is held in silence
        say_until_heard(room, coach, "end session", "coach: Do you want to end the session now?", clips)
        time.sleep(3.5)
        say_until_heard(room, coach, "yes", "event: session_end status=ended", clips)
        assert coach.wait_for("event: idle")
        wait_until_quiet(coach)  # the session's summary may still be playing
        say_until_heard(room, coach, "coach, goodbye", "coach: Goodbye.", clips)
    finally:
        coach.stop()
        # Shown by pytest when the test fails: the transcript and the coach's debug log.
        print("\n".join(line for _, line in coach.lines))
        print("\n".join(line for line in coach.stderr.splitlines() if "ALSA lib" not in line))
    spoken = [line for line in coach.heard() if "lovely day" in line or "-> start" in line and "psoas release" not in line]
    assert spoken == [], f"conversation was taken as a request: {spoken}"
