"""The coach's control flow: what each command does in each state, and moving between steps.

A mix-in of Coach, kept apart so each file reads on its own: coach.py holds the session's state,
this file holds the decisions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from voicecoach.commands import Command, CommandId
from voicecoach.session import pain, replies, scripts
from voicecoach.session.actions import Adjust, AnswerKind, Event, SpeechKind
from voicecoach.session.plan import StepKind

if TYPE_CHECKING:
    from voicecoach.session.coach import Coach

_LEVEL_WORDS = {1: ("harder", "hardest"), -1: ("gentler", "gentlest")}

BREATH_AFTER_CUT_S = 0.3
"""Seconds of silence between cutting speech on "stop" or "pause" and confirming it, so the
person hears the coach stop at once before hearing why."""


class CoachControl:
    # ---- commands ----

    def dispatch(self: "Coach", command: Command, now: float) -> None:
        cid = command.id
        if cid is CommandId.HURT:
            self._start_pain(now)
        elif cid in (CommandId.STOP, CommandId.PAUSE):
            self._pause(now, "Stopped." if cid is CommandId.STOP else "Paused.")
        elif self.engine.question is not None and self._answers_question(command):
            self.engine.answer(command, now, self._out)
        elif cid is CommandId.END:
            was_paused = self.paused
            self._interrupt(now)
            self.paused = False
            self._start(scripts.confirm_end(self, was_paused), now)
        elif cid is CommandId.REPEAT:
            self._repeat(now)
        elif cid is CommandId.HELP:
            self.reply(replies.help_text(self), now)
        elif cid is CommandId.TIME_LEFT:
            self.reply(replies.time_left_text(self, now), now)
        elif cid in (CommandId.SLOWER, CommandId.FASTER, CommandId.LOUDER, CommandId.QUIETER):
            self._adjust_voice(cid, now)
        elif self.engine.question is not None:
            self.reply(f"Please answer first. {self.engine.question.ask.text}", now)
        elif cid in (CommandId.YES, CommandId.NO, CommandId.NUMBER):
            self.reply("I haven't asked anything just now.", now)
        elif cid is CommandId.RESUME:
            self._resume(now)
        elif cid in (CommandId.NEXT, CommandId.BACK):
            self._navigate(1 if cid is CommandId.NEXT else -1, now)
        elif cid in (CommandId.HARDER, CommandId.EASIER):
            self._change_level_on_request(1 if cid is CommandId.HARDER else -1, now)

    def reply(self: "Coach", text: str, now: float, pause_s: float = 0.0) -> None:
        self.engine.say_now(text, SpeechKind.PROMPT, now, self._out, pause_s)

    def _answers_question(self: "Coach", command: Command) -> bool:
        question = self.engine.question
        assert question is not None
        if question.ask.expects is AnswerKind.NUMBER:
            return command.id is CommandId.NUMBER
        return command.id in (CommandId.YES, CommandId.NO)

    def _repeat(self: "Coach", now: float) -> None:
        question = self.engine.question
        if question is not None:
            self.reply(question.ask.text, now)
            self.engine.question = type(question)(question.ask, self.engine.speaking_until + question.ask.timeout_s)
        elif self.engine.last_instruction:
            self.engine.say_now(self.engine.last_instruction, SpeechKind.CUE, now, self._out)
        else:
            self.reply("There's nothing to repeat yet.", now)

    def _adjust_voice(self: "Coach", cid: CommandId, now: float) -> None:
        s = self.settings
        if cid in (CommandId.SLOWER, CommandId.FASTER):
            sign = -1 if cid is CommandId.SLOWER else 1
            wanted = round(self.rate + sign * s.rate_step, 2)
            limited = min(max(wanted, s.rate_range[0]), s.rate_range[1])
            changed, self.rate = limited != self.rate, limited
            word = "slower" if sign < 0 else "faster"
        else:
            sign = -1 if cid is CommandId.QUIETER else 1
            wanted = round(self.volume + sign * s.volume_step, 2)
            limited = min(max(wanted, s.volume_range[0]), s.volume_range[1])
            changed, self.volume = limited != self.volume, limited
            word = "quieter" if sign < 0 else "louder"
        if not changed:
            self.reply(f"I can't go any {word}.", now)
            return
        self._out.append(Adjust(self.rate, self.volume, now))
        self._out.append(Event("setting", now, {"rate": self.rate, "volume": self.volume}))
        self.reply(f"Okay, {word}.", now)

    def _pause(self: "Coach", now: float, word: str) -> None:
        self._interrupt(now)
        self.paused, self.paused_since = True, now
        self.reply(f"{word} Say continue when you're ready.", now, BREATH_AFTER_CUT_S)

    def _resume(self: "Coach", now: float) -> None:
        if not self.paused:
            self.reply("We're already going.", now)
            return
        self.paused = False
        self._go(self.position, now, resumed=True)

    def _navigate(self: "Coach", direction: int, now: float) -> None:
        target = self._neighbour(direction)
        if target is None:
            if direction > 0:
                self.reply("We're at the end of the session.", now)
            else:
                self.reply("This is the first exercise.", now)
            return
        self._interrupt(now)
        self.paused = False
        self._go(target, now)

    def _neighbour(self: "Coach", direction: int) -> Optional[int]:
        """The step "next" or "back" leads to: holds and exercises, never rests or blocked ones."""
        here = self.step
        if direction < 0 and here.kind in (StepKind.HOLD, StepKind.REST) and not self._is_first_hold(self.position):
            wanted = {StepKind.HOLD}
        else:
            wanted = {StepKind.EXERCISE, StepKind.HOLD, StepKind.SUMMARY} if direction > 0 else {StepKind.EXERCISE}
        index = self.position + direction
        while 0 <= index < len(self.steps):
            step = self.steps[index]
            if step.kind in wanted and step.exercise not in self.blocked:
                return index
            index += direction
        return None

    def _is_first_hold(self: "Coach", index: int) -> bool:
        previous = self.steps[index - 1] if index > 0 else None
        return previous is None or previous.kind is StepKind.EXERCISE

    def _change_level_on_request(self: "Coach", delta: int, now: float) -> None:
        exercise_index = self.step.exercise
        if exercise_index < 0:
            self.reply("There's no exercise to change right now.", now)
            return
        word, extreme = _LEVEL_WORDS[delta]
        if not 0 <= self.levels[exercise_index] + delta < self.routine.exercises[exercise_index].level_count:
            self.reply(f"This is already the {extreme} version.", now)
            return
        self._interrupt(now)  # first, so the hold cut short is recorded at the level it was held
        self.change_level(exercise_index, delta, reason="user")
        variant = self.variant(exercise_index)
        self.reply(f"Okay, {word}. {variant.level_description}", now)
        if not self.paused:
            self._go(self.position, now, resumed=self.step.kind is StepKind.HOLD)

    # ---- pain ----

    def _start_pain(self: "Coach", now: float) -> None:
        if self.in_pain_flow and self.pain_where is not None and not self.pain_rated:
            # Said again while we ask for the rating: ask again, about the same stretch.
            where = self.pain_where
            self.engine.cancel_speech(now, self._out)
            self.engine.stop()
        else:
            step = self.step
            if step.kind in (StepKind.INTRO, StepKind.SUMMARY):
                where = pain.PainContext(None, None, None)
            else:
                where = pain.PainContext(step.exercise, scripts.side_label(step.side), self.levels[step.exercise])
            self._interrupt(now)
        self.paused = False
        self.pain_where, self.pain_rated, self.in_pain_flow = where, False, True
        self._start(pain.protocol(self, where), now)

    def _abandon_pain_flow(self: "Coach") -> None:
        """An interrupted pain flow ends the exercise: nothing more of it without an answer."""
        self.in_pain_flow = False
        where = self.pain_where
        if where is None or where.exercise is None:
            return
        if not self.pain_rated:
            self.record_pain(where, None)
            self._out.append(
                Event("pain", self.engine.cursor, {"exercise": self.routine.exercises[where.exercise].id, "side": where.side, "level": where.level, "rating": None})
            )
        if where.exercise not in self.blocked:
            self.block_exercise(where.exercise)
            self._out.append(Event("exercise_end", self.engine.cursor, {"exercise": self.routine.exercises[where.exercise].id, "status": "pain"}))
        self.position = self._after_exercise(where.exercise)

    # ---- moving between steps ----

    def _interrupt(self: "Coach", now: float) -> None:
        self.engine.cancel_speech(now, self._out)
        if self.in_pain_flow:
            self._abandon_pain_flow()
        if self.step.kind is StepKind.HOLD:
            self.hold_finished(self.step, completed=False, now=now)
        self.engine.stop()

    def _start(self: "Coach", script, now: float, start_at: Optional[float] = None) -> None:
        """Run `script` from `start_at` (default: now), but only as far as `now`."""
        self.engine.start(script, now if start_at is None else start_at)
        self.engine.pump(now, self._out)

    def _go(self: "Coach", index: int, now: float, resumed: bool = False, start_at: Optional[float] = None) -> None:
        while self.steps[index].exercise in self.blocked and self.steps[index].kind is not StepKind.SUMMARY:
            index += 1
        self.position = index
        step = self.step
        if step.kind is StepKind.INTRO:
            script = scripts.intro(self)
        elif step.kind is StepKind.EXERCISE:
            script = scripts.exercise_intro(self, step)
        elif step.kind is StepKind.HOLD:
            script = scripts.hold(self, step, resumed)
        elif step.kind is StepKind.REST:
            script = scripts.rest(self, step)
        else:
            script = scripts.summary(self, "completed")
        self._start(script, now, start_at)

    def _go_summary(self: "Coach", reason: str, now: float, start_at: Optional[float] = None) -> None:
        self.position = len(self.steps) - 1
        self._start(scripts.summary(self, reason), now, start_at)

    def _after_exercise(self: "Coach", exercise_index: int) -> int:
        for index, step in enumerate(self.steps):
            if step.exercise > exercise_index or step.kind is StepKind.SUMMARY:
                return index
        return len(self.steps) - 1

    def _run_until(self: "Coach", now: float) -> None:
        """Pump the engine, following each finished script to the next, until it waits on the future."""
        while True:
            self.engine.pump(now, self._out)
            if not self.engine.finished_script:
                return
            self.engine.finished_script = False
            self._follow(self.engine.result, now)
            if self.finished or self.paused:
                return

    def _follow(self: "Coach", transition: scripts.Transition, now: float) -> None:
        at = self.engine.cursor
        if self.in_pain_flow:
            self.in_pain_flow = False
        kind = transition.kind
        if kind == "next":
            self._go(self.position + 1, now, start_at=at)
        elif kind == "restart":
            self._go(self.position, now, resumed=self.step.kind is StepKind.HOLD, start_at=at)
        elif kind == "goto":
            self._go(transition.target, now, start_at=at)
        elif kind == "after_exercise":
            self._go(self._after_exercise(transition.target), now, start_at=at)
        elif kind == "summary":
            self._go_summary(transition.reason, now, start_at=at)
        elif kind == "pause":
            self.paused, self.paused_since = True, at
        elif kind == "end":
            self.finished, self.end_status = True, transition.reason
            self._out.append(
                Event(
                    "session_end",
                    at,
                    {
                        "status": transition.reason,
                        "exercises_done": self.exercises_completed(),
                        "seconds": round(at - self.started_at, 1),
                    },
                )
            )
