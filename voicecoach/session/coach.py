"""The coach: walks a person through a routine and reacts to what they say.

Pure logic. Time comes in as session seconds on every call, outputs go out as a list, and the
runner decides how they are heard. The same coach serves text mode, rendering and live audio.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

from voicecoach.commands import ANSWER_COMMANDS, SAFETY_COMMANDS, Command, CommandId
from voicecoach.routine.model import Routine, Side, Sides, Variant
from voicecoach.session import pain, scripts
from voicecoach.session.actions import AnswerKind, Event, Output
from voicecoach.session.coach_control import CoachControl
from voicecoach.session.engine import ScriptEngine
from voicecoach.session.plan import Step, StepKind, build_steps, find_step
from voicecoach.session.profile import CoachSettings, UserProfile


@dataclass(frozen=True)
class PainReport:
    exercise_name: str
    side: Optional[str]
    level: Optional[int]
    rating: Optional[int]
    at: float
    """Session seconds."""


@dataclass
class _HoldInProgress:
    step: Step
    started: float
    """Session seconds when the first phase's count began."""
    ends: float
    """Session seconds when the last phase ends."""


class Coach(CoachControl):
    def __init__(
        self,
        routine: Routine,
        profile: UserProfile,
        settings: CoachSettings,
        speech_seconds: Callable[[str, float], float],
    ) -> None:
        self.routine, self.profile, self.settings = routine, profile, settings
        self._speech_seconds = speech_seconds
        self.rate, self.volume = profile.rate, profile.volume
        self.engine = ScriptEngine(self.speech_seconds)
        self.pain_threshold = settings.pain_threshold if settings.pain_threshold is not None else routine.pain_threshold
        self.stiffer: Optional[Side] = profile.stiffer_side
        self.blocked: set[int] = set()
        self.level_notes: dict[int, str] = {}
        self.levels = [self._starting_level(index) for index in range(len(routine.exercises))]
        self.pain_reports: list[PainReport] = []
        self.paused = False
        self.paused_since = 0.0
        self.finished = False
        self.end_status: Optional[str] = None
        self.started_at = 0.0
        """Session seconds at `start`: a served session starts part-way along the server's timeline."""
        self.in_pain_flow = False
        self.pain_where: Optional[pain.PainContext] = None
        self.pain_rated = False
        self._completed: set[int] = set()
        self._cue_index: dict[int, int] = {}
        self._hold: Optional[_HoldInProgress] = None
        self._out: list[Output] = []
        self.steps = self._build_steps()
        self.position = 0

    # ---- the public surface: every call takes the session time and returns outputs ----

    def start(self, now: float) -> list[Output]:
        self.started_at = now
        self._out = [Event("session_start", now, {"routine": self.routine.id, "user": self.profile.name})]
        self._go(0, now)
        return self._flush(now)

    def tick(self, now: float) -> list[Output]:
        self._out = []
        question = self.engine.question
        if question is not None and now >= question.deadline:
            self.engine.answer(None, now, self._out)
        elif self.paused and now - self.paused_since >= self.settings.pause_timeout_s:
            self.paused = False
            self._go_summary("abandoned", now)
        return self._flush(now)

    def handle(self, command: Command, now: float) -> list[Output]:
        self._out = []
        if not self.finished:
            self.dispatch(command, now)
        return self._flush(now)

    def unrecognized(self, now: float) -> list[Output]:
        self._out = []
        if not self.finished:
            self.reply("Sorry, I didn't catch that.", now)
        return self._flush(now)

    def wake_at(self) -> Optional[float]:
        """Session seconds of the next `tick` that will do something; None when only commands will."""
        if self.finished:
            return None
        if self.paused and self.engine.question is None:
            return self.paused_since + self.settings.pause_timeout_s
        return self.engine.wake_at()

    @property
    def state(self) -> str:
        if self.finished:
            return "finished"
        if self.engine.question is not None:
            return "asking"
        if self.paused:
            return "paused"
        return {
            StepKind.INTRO: "intro",
            StepKind.EXERCISE: "announcing",
            StepKind.HOLD: "counting",
            StepKind.REST: "resting",
            StepKind.SUMMARY: "summary",
        }[self.step.kind]

    def active_commands(self) -> frozenset[CommandId]:
        """What is worth listening for now: numbers only while a question wants one."""
        if self.finished:
            return frozenset()
        question = self.engine.question
        base = set(SAFETY_COMMANDS) | {CommandId.REPEAT, CommandId.HELP, CommandId.END}
        if question is not None:
            answers = {CommandId.NUMBER} if question.ask.expects is AnswerKind.NUMBER else {CommandId.YES, CommandId.NO}
            return frozenset(base | answers)
        return frozenset(set(CommandId) - ANSWER_COMMANDS)

    # ---- state the scripts read and change ----

    @property
    def step(self) -> Step:
        return self.steps[self.position]

    def speech_seconds(self, text: str) -> float:
        return self._speech_seconds(text, self.rate)

    def variant(self, exercise_index: int) -> Variant:
        return self.routine.exercises[exercise_index].variant(self.levels[exercise_index])

    def needs_stiffer_side(self) -> bool:
        return self.stiffer is None and any(
            exercise.sides is Sides.STIFFER_FIRST_AND_LAST for exercise in self.routine.exercises
        )

    def set_stiffer_side(self, side: Side) -> None:
        self.stiffer = side
        self._rebuild_steps()

    def shift_session_levels(self, delta: int) -> None:
        for index, exercise in enumerate(self.routine.exercises):
            self.levels[index] = min(max(self.levels[index] + delta, 0), exercise.level_count - 1)
        self._rebuild_steps()

    def change_level(self, exercise_index: int, delta: int, reason: str) -> bool:
        """Move one exercise's level; False when it is already at that end of the scale."""
        exercise = self.routine.exercises[exercise_index]
        old = self.levels[exercise_index]
        new = old + delta
        if not 0 <= new < exercise.level_count:
            return False
        self.levels[exercise_index] = new
        self._out.append(
            Event(
                "level",
                self.engine.cursor,
                {"exercise": exercise.id, "from": old, "to": new, "name": exercise.variant(new).level_name, "reason": reason},
            )
        )
        self._rebuild_steps()
        return True

    def block_exercise(self, exercise_index: int) -> None:
        self.blocked.add(exercise_index)

    def record_pain(self, where: pain.PainContext, rating: Optional[int]) -> None:
        name = self.routine.exercises[where.exercise].name if where.exercise is not None else "the session"
        self.pain_rated = True
        self.pain_reports.append(PainReport(name, where.side, where.level, rating, self.engine.cursor))

    def exercises_completed(self) -> int:
        return len(self._completed)

    def peek_cue(self, exercise_index: int) -> Optional[str]:
        exercise = self.routine.exercises[exercise_index]
        cues = self.variant(exercise_index).form + exercise.breathing
        return cues[self._cue_index.get(exercise_index, 0) % len(cues)] if cues else None

    def take_cue(self, exercise_index: int) -> None:
        self._cue_index[exercise_index] = self._cue_index.get(exercise_index, 0) + 1

    def hold_started(self, step: Step, phase_index: int, start: float) -> None:
        ends = start + sum(phase.hold_s for phase in self.variant(step.exercise).phases[phase_index:])
        if self._hold is None or self._hold.step != step:
            self._hold = _HoldInProgress(step, start, ends)
        self._hold.ends = ends

    def hold_finished(self, step: Step, completed: bool, now: Optional[float] = None) -> None:
        hold, self._hold = self._hold, None
        if hold is None or hold.step != step:
            return
        end = min(now if now is not None else self.engine.cursor, hold.ends)
        if completed:
            self._completed.add(step.exercise)
        self._out.append(
            Event(
                "hold",
                end,
                {
                    "exercise": self.routine.exercises[step.exercise].id,
                    "side": scripts.side_label(step.side),
                    "level": self.levels[step.exercise],
                    "seconds": round(max(0.0, end - hold.started), 1),
                    "completed": completed,
                    "side_index": step.side_index,
                    "rep": step.rep,
                },
            )
        )

    def resume_target(self) -> Optional[int]:
        """Step index an unfinished session of this routine stopped at, if it still exists."""
        point = self.profile.resume
        if point is None:
            return None
        ids = [exercise.id for exercise in self.routine.exercises]
        if point.exercise not in ids:
            return None
        key = (StepKind.HOLD, ids.index(point.exercise), point.side_index, point.rep)
        for index, step in enumerate(self.steps):
            if step.key == key:
                return index + 1 if point.completed else index
        return find_step(self.steps, key)

    def hold_seconds_left(self, now: float) -> Optional[int]:
        if self._hold is None or self.paused:
            return None
        return max(0, int(round(self._hold.ends - max(now, self._hold.started))))

    # ---- internals ----

    def _starting_level(self, index: int) -> int:
        exercise = self.routine.exercises[index]
        level = self.profile.levels.get(exercise.id, exercise.default_level_index)
        last = self.profile.last_session
        if last is not None and exercise.id in last.hurt_exercises:
            if level > 0:
                level -= 1
                self.level_notes[index] = "Last time this exercise hurt, so we'll start one level gentler."
            else:
                self.level_notes[index] = "Last time this exercise hurt. Go gently, only as far as is comfortable."
        return min(max(level, 0), exercise.level_count - 1)

    def _build_steps(self) -> list[Step]:
        reps = [self.variant(index).reps for index in range(len(self.routine.exercises))]
        return build_steps(self.routine, reps, self.stiffer or Side.LEFT)

    def _rebuild_steps(self) -> None:
        key = self.step.key
        self.steps = self._build_steps()
        self.position = find_step(self.steps, key)

    def _flush(self, now: float) -> list[Output]:
        self._run_until(now)
        out, self._out = self._out, []
        return out
