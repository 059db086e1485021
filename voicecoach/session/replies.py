"""Short spoken answers that depend on the session's state: help and time left."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from voicecoach.session.actions import AnswerKind
from voicecoach.session.plan import StepKind
from voicecoach.timing import SECONDS_PER_MINUTE, estimate_speech_seconds

if TYPE_CHECKING:
    from voicecoach.session.coach import Coach


def help_text(coach: "Coach") -> str:
    if coach.engine.question is not None:
        if coach.engine.question.ask.expects is AnswerKind.NUMBER:
            return "Say a number from zero to ten. You can also say that hurts, or stop."
        return "Say yes or no. You can also say that hurts, or stop."
    if coach.paused:
        return "Say continue when you're ready, end session to finish, or that hurts."
    options = ["next", "back", "repeat", "pause"]
    step = coach.step
    if step.exercise >= 0 and coach.routine.exercises[step.exercise].level_count > 1:
        options += ["harder", "easier"]
    options += ["slower", "faster", "louder", "quieter", "how long", "end session"]
    return f"You can say {', '.join(options)}, and that hurts."


def time_left_text(coach: "Coach", now: float) -> str:
    parts = []
    hold_left = coach.hold_seconds_left(now)
    if hold_left is not None:
        parts.append(f"{hold_left} seconds left in this hold.")
    minutes = max(1, round(session_seconds_left(coach, now) / SECONDS_PER_MINUTE))
    parts.append(f"About {minutes} {'minute' if minutes == 1 else 'minutes'} left in the session.")
    return " ".join(parts)


def session_seconds_left(coach: "Coach", now: float) -> float:
    """Estimated seconds from `now` to the end of the summary."""
    total = 0.0
    for index in range(coach.position, len(coach.steps)):
        step = coach.steps[index]
        if step.exercise in coach.blocked:
            continue
        total += _step_seconds(coach, step.kind, step.exercise)
    hold_left: Optional[int] = coach.hold_seconds_left(now)
    if hold_left is not None and coach.step.kind is StepKind.HOLD:
        total -= _step_seconds(coach, StepKind.HOLD, coach.step.exercise) - hold_left
    return max(0.0, total)


def _step_seconds(coach: "Coach", kind: StepKind, exercise_index: int) -> float:
    if exercise_index < 0:
        return 0.0
    variant = coach.variant(exercise_index)
    if kind is StepKind.HOLD:
        return variant.rep_seconds + coach.settings.settle_s
    if kind is StepKind.REST:
        return variant.rest_s
    if kind is StepKind.EXERCISE:
        return sum(estimate_speech_seconds(cue, coach.rate) for cue in variant.setup)
    return 0.0
