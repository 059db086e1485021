"""What `run` and `serve` share: building a coach for a user from the history."""

from __future__ import annotations

import sys
from typing import Callable, Optional

from voicecoach.history import History
from voicecoach.inputs import InputSource, ScheduledInputs, TypedInputs
from voicecoach.routine.model import Routine
from voicecoach.session.clock import Clock, MonotonicClock, SimulatedClock
from voicecoach.session.coach import Coach
from voicecoach.session.profile import CoachSettings
from voicecoach.timing import estimate_speech_seconds

SpeechSeconds = Callable[[str, float], float]


def build_coach(
    routine: Routine,
    history: History,
    user: str,
    settings: CoachSettings,
    speech_seconds: SpeechSeconds = estimate_speech_seconds,
    resume_asked: bool = False,
) -> Coach:
    profile = history.profile(user, routine.id, resume_asked=resume_asked)
    return Coach(routine, profile, settings, speech_seconds)


def make_clock(fast: bool) -> Clock:
    return SimulatedClock() if fast else MonotonicClock()


def make_text_inputs(commands_file, fast: bool) -> InputSource:
    """A commands file when given, otherwise typed lines on stdin."""
    if commands_file is not None:
        return ScheduledInputs.from_file(commands_file)
    return TypedInputs(sys.stdin, simulated=fast)


def unfinished_routine(history: History, routines: list[Routine]) -> Callable[[str], Optional[Routine]]:
    by_id = {routine.id: routine for routine in routines}

    def find(user: str) -> Optional[Routine]:
        found = history.unfinished(user)
        return by_id.get(found[0]) if found is not None else None

    return find
