"""The ordered steps of a session, derived from the routine and the levels in play."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Optional, Sequence

from voicecoach.routine.model import Exercise, Routine, Side, Sides


class StepKind(str, enum.Enum):
    INTRO = "intro"
    EXERCISE = "exercise"
    """Announcing an exercise and its setup."""
    HOLD = "hold"
    """Counting a rep on one side."""
    REST = "rest"
    SUMMARY = "summary"


@dataclass(frozen=True)
class Step:
    kind: StepKind
    exercise: int = -1
    """Index into the routine's exercises; -1 for intro and summary."""
    side_index: int = 0
    """Position in the exercise's side order."""
    side: Optional[Side] = None
    rep: int = 0
    """0-based rep on this side."""

    @property
    def key(self) -> tuple:
        return (self.kind, self.exercise, self.side_index, self.rep)


def side_order(exercise: Exercise, stiffer: Side) -> list[Optional[Side]]:
    if exercise.sides is Sides.NONE:
        return [None]
    if exercise.sides is Sides.BOTH:
        return [stiffer, stiffer.other]
    return [stiffer, stiffer.other, stiffer]


def build_steps(routine: Routine, reps: Sequence[int], stiffer: Side) -> list[Step]:
    """Every step, with `reps[i]` holds per side for exercise i."""
    steps = [Step(StepKind.INTRO)]
    for index, exercise in enumerate(routine.exercises):
        steps.append(Step(StepKind.EXERCISE, index))
        holds = [
            Step(StepKind.HOLD, index, side_index, side, rep)
            for side_index, side in enumerate(side_order(exercise, stiffer))
            for rep in range(reps[index])
        ]
        for number, hold in enumerate(holds):
            if number:
                steps.append(Step(StepKind.REST, index, hold.side_index, hold.side, hold.rep))
            steps.append(hold)
    steps.append(Step(StepKind.SUMMARY))
    return steps


def find_step(steps: Sequence[Step], key: tuple) -> int:
    """Index of the step with `key`, or of the nearest earlier step of the same exercise."""
    for index, step in enumerate(steps):
        if step.key == key:
            return index
    kind, exercise = key[0], key[1]
    for index, step in enumerate(steps):
        if step.exercise == exercise and step.kind is StepKind.EXERCISE:
            return index
    return 0 if kind is StepKind.INTRO else len(steps) - 1
