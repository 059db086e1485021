"""What the coach knows before a session starts: the user's memory and the coach's settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Optional

from voicecoach.routine.model import Side

DEFAULT_RATE = 1.0
"""Multiple of the synthesizer's default words per minute."""

DEFAULT_VOLUME = 1.0
"""0 to 1: output gain."""


@dataclass(frozen=True)
class LastSession:
    """The user's previous session, as far as it matters for the next one."""

    session_id: int
    pain_free: bool
    hurt_exercises: frozenset[str] = frozenset()
    """Ids of exercises with a pain report last time: they start one level easier."""
    rated: bool = False
    """The person already said how they felt the morning after it."""


@dataclass(frozen=True)
class ResumePoint:
    """Where an unfinished session of the same routine stopped."""

    exercise: str
    """Exercise id."""
    side_index: int
    """Position in the exercise's side order."""
    rep: int
    completed: bool
    """The hold there was finished: resume at the one after it."""
    ask: bool = True
    """Offer it (a new session); False when the person already asked to resume."""


@dataclass(frozen=True)
class UserProfile:
    name: str
    stiffer_side: Optional[Side] = None
    levels: Mapping[str, int] = field(default_factory=dict)
    """Exercise id -> level index the user last chose."""
    rate: float = DEFAULT_RATE
    """Multiple of the default speech rate."""
    volume: float = DEFAULT_VOLUME
    """0 to 1."""
    last_session: Optional[LastSession] = None
    resume: Optional[ResumePoint] = None


@dataclass(frozen=True)
class CoachSettings:
    """Timings of the coach's own behaviour, as opposed to the routine's."""

    pain_answer_timeout_s: float = 20.0
    """Seconds to wait for a pain rating before ending the exercise anyway."""
    question_timeout_s: float = 15.0
    """Seconds to wait for any other answer."""
    pause_timeout_s: float = 30 * 60.0
    """Seconds paused before an abandoned session is closed as unfinished."""
    settle_s: float = 3.0
    """Seconds to get into position before a hold of the same side begins."""
    side_switch_s: float = 6.0
    """Seconds to change sides before the next hold begins."""
    first_cue_after_s: int = 3
    """Whole seconds into a hold before the first form cue."""
    cue_gap_s: float = 0.4
    """Seconds of silence kept after a cue before the next count."""
    rate_step: float = 0.15
    """Change of the speech-rate multiple per "slower" or "faster"."""
    rate_range: tuple[float, float] = (0.55, 1.75)
    volume_step: float = 0.2
    volume_range: tuple[float, float] = (0.2, 1.0)
    pain_threshold: Optional[int] = None
    """Overrides the routine's threshold when set (0 to 10)."""
