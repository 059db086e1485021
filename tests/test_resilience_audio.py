"""Devices that disappear mid-session: the coach keeps its place and its schedule, says once that
it cannot hear (or prints while it cannot speak), and picks the device up again when it returns."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from coach_process import CoachProcess
from voices import say_until_heard

pytestmark = [pytest.mark.audio, pytest.mark.slow]

ROUTINE = str(Path(__file__).parent / "data" / "room-test.yaml")
NOTICE_WITHIN_S = 6.0
"""Seconds for the listener to notice a dead microphone (2 s without audio) and say so."""
UNPLUGGED_FOR_S = 5.0


def _wait_in_stderr(coach: CoachProcess, text: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in coach.stderr:
            return True
        time.sleep(0.1)
    return False


def test_unplugged_devices_mid_session_are_survived_and_picked_up_again(quiet_room, tmp_path):
    room = quiet_room
    coach = CoachProcess(["run", ROUTINE, "--data-dir", str(tmp_path / "data")], dict(os.environ))
    try:
        assert coach.wait_for("coach: Start with your left side."), coach.stderr
        room.unplug_speaker()  # closes every client's connection: speaker and microphone both go
        try:
            assert _wait_in_stderr(coach, "I can't hear you right now", NOTICE_WITHIN_S), coach.stderr[-2000:]
            unplugged_at = time.monotonic()
            assert coach.wait_for("coach: Begin.", UNPLUGGED_FOR_S), "coaching stopped while the devices were gone"
            time.sleep(max(0.0, UNPLUGGED_FOR_S - (time.monotonic() - unplugged_at)))
            assert coach.stderr.count("I can't hear you right now") == 1, "the notice must be said once"
        finally:
            room.replug_speaker()
        assert _wait_in_stderr(coach, "I can hear you again.", NOTICE_WITHIN_S * 2), coach.stderr[-2000:]
        assert coach.wait_for("coach: Rest for 4 seconds.")
        time.sleep(1.8)
        # Any command will do: the point is that the reopened microphone is listened to again.
        say_until_heard(room, coach, "next", "heard: next -> next", tmp_path / "clips", tries=3)
    finally:
        coach.stop()
