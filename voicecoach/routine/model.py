"""The routine data model. YAML keys are exactly these field names; times are in seconds."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from voicecoach.timing import estimate_speech_seconds


class Audience(str, enum.Enum):
    SELF = "self"
    """The person exercising hears the cues."""
    CAREGIVER = "caregiver"
    """A helper hears the cues and moves the person's leg."""


class Sides(str, enum.Enum):
    NONE = "none"
    """Symmetric exercise, done once per rep."""
    BOTH = "both"
    """Left, then right."""
    STIFFER_FIRST_AND_LAST = "stiffer_first_and_last"
    """Stiffer side, other side, stiffer side again."""


class Side(str, enum.Enum):
    LEFT = "left"
    RIGHT = "right"

    @property
    def other(self) -> "Side":
        return Side.RIGHT if self is Side.LEFT else Side.LEFT


class CountDirection(str, enum.Enum):
    UP = "up"
    """One, two, three... to the hold's length."""
    DOWN = "down"
    """The seconds left, down to one."""


@dataclass(frozen=True)
class Phase:
    """One timed part of a rep, such as stretch, contract, relax-and-stretch-further."""

    name: str
    hold_s: float
    """Seconds."""
    say: tuple[str, ...] = ()
    """Spoken when the phase starts, before its count."""
    breathing: tuple[str, ...] = ()
    """Breathing instructions for this phase, spoken after `say`."""
    count: bool = True
    """Count the phase aloud; a short transition phase may be timed silently."""


@dataclass(frozen=True)
class Level:
    """One variant on the easier-to-harder scale. None means: as the exercise says."""

    name: str
    description: str
    """Spoken when the person moves to this level: what to do differently."""
    hold_s: Optional[float] = None
    """Seconds."""
    reps: Optional[int] = None
    rest_s: Optional[float] = None
    """Seconds."""
    setup: Optional[tuple[str, ...]] = None
    form: Optional[tuple[str, ...]] = None
    phases: Optional[tuple[Phase, ...]] = None


@dataclass(frozen=True)
class Variant:
    """An exercise with one level's overrides applied: what the session actually plays."""

    level_index: int
    level_name: str
    level_description: str
    hold_s: float
    """Seconds."""
    reps: int
    rest_s: float
    """Seconds."""
    setup: tuple[str, ...]
    form: tuple[str, ...]
    phases: tuple[Phase, ...]

    @property
    def rep_seconds(self) -> float:
        return sum(phase.hold_s for phase in self.phases)


@dataclass(frozen=True)
class Exercise:
    id: str
    name: str
    source: str
    """The seed document the exercise is taken from, e.g. `000_a465804d0a70793e.txt`."""
    setup: tuple[str, ...]
    """Spoken before the first hold: how to get into position."""
    hold_s: float
    """Seconds per hold when there are no phases."""
    reps: int = 1
    """Holds per side."""
    rest_s: float = 10.0
    """Seconds of rest between holds."""
    form: tuple[str, ...] = ()
    """Spoken during holds, one at a time, every `cue_every_s`."""
    breathing: tuple[str, ...] = ()
    """Breathing reminders, mixed in with the form cues."""
    cue_every_s: float = 6.0
    """Seconds between cues during a hold."""
    cautions: tuple[str, ...] = ()
    """Spoken with the setup: what the source says to avoid."""
    count: CountDirection = CountDirection.UP
    sides: Sides = Sides.NONE
    phases: tuple[Phase, ...] = ()
    """Empty means one counted phase of `hold_s`."""
    levels: tuple[Level, ...] = ()
    """Easiest first. Empty means one level: the exercise as written."""
    default_level: Optional[str] = None
    """Name of the level to start at; None means the first."""

    @property
    def level_count(self) -> int:
        return max(1, len(self.levels))

    @property
    def default_level_index(self) -> int:
        names = [level.name for level in self.levels]
        return names.index(self.default_level) if self.default_level in names else 0

    def variant(self, level_index: int) -> Variant:
        """The exercise as played at `level_index`, clamped to the levels that exist."""
        index = min(max(level_index, 0), self.level_count - 1)
        level = self.levels[index] if self.levels else Level(name="standard", description="")
        hold_s = level.hold_s if level.hold_s is not None else self.hold_s
        phases = level.phases if level.phases is not None else self.phases
        if not phases:
            phases = (Phase(name="hold", hold_s=hold_s),)
        elif level.hold_s is not None and level.phases is None:
            # A level that only changes the hold length scales the counted phases with it.
            phases = tuple(_with_hold(phase, hold_s) for phase in phases)
        return Variant(
            level_index=index,
            level_name=level.name,
            level_description=level.description,
            hold_s=hold_s,
            reps=level.reps if level.reps is not None else self.reps,
            rest_s=level.rest_s if level.rest_s is not None else self.rest_s,
            setup=level.setup if level.setup is not None else self.setup,
            form=level.form if level.form is not None else self.form,
            phases=phases,
        )

    def side_count(self) -> int:
        return {Sides.NONE: 1, Sides.BOTH: 2, Sides.STIFFER_FIRST_AND_LAST: 3}[self.sides]


def _with_hold(phase: Phase, hold_s: float) -> Phase:
    return Phase(phase.name, hold_s, phase.say, phase.breathing, phase.count) if phase.count else phase


@dataclass(frozen=True)
class Routine:
    id: str
    title: str
    description: str
    exercises: tuple[Exercise, ...]
    audience: Audience = Audience.SELF
    safety: tuple[str, ...] = ()
    """Spoken at the start of every session."""
    pain_threshold: int = 6
    """0 to 10: a pain rating at or above it ends the exercise."""
    warm_up: Optional[str] = None
    tips: tuple[str, ...] = ()
    """Advice from the sources (frequency, breathing), spoken in the closing summary."""
    sources: tuple[str, ...] = field(default=())
    """Every seed document the routine draws on."""
    path: Optional[Path] = field(default=None, compare=False)
    """Where the routine was loaded from."""

    def exercise(self, exercise_id: str) -> Exercise:
        for exercise in self.exercises:
            if exercise.id == exercise_id:
                return exercise
        raise KeyError(exercise_id)

    def estimated_seconds(self) -> float:
        """Seconds for a session at every exercise's default level, speech included."""
        total = sum(estimate_speech_seconds(note) for note in self.safety)
        for exercise in self.exercises:
            variant = exercise.variant(exercise.default_level_index)
            holds = exercise.side_count() * variant.reps
            total += sum(estimate_speech_seconds(cue) for cue in variant.setup + exercise.cautions)
            total += holds * variant.rep_seconds + max(0, holds - 1) * variant.rest_s
        return total
