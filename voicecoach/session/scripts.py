"""The coach's scripts: what it says, and when, for each step of a session.

Each is a generator of beats run by the ScriptEngine; it reads session state through the coach
passed in, and returns a Transition saying what comes after it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator, Optional

from voicecoach.commands import CommandId
from voicecoach.routine.model import Audience, CountDirection, Phase, Side
from voicecoach.session.actions import AnswerKind, Ask, Beat, Record, SpeechKind, Utter, WaitUntil
from voicecoach.session.plan import Step
from voicecoach.timing import SECONDS_PER_MINUTE

if TYPE_CHECKING:
    from voicecoach.session.coach import Coach

MORNING_AFTER_WORSE_FROM = 4
"""A morning-after pain rating from here up is clearly worse: the session steps down a level."""

MORNING_AFTER_GOOD_UP_TO = 2
"""A morning-after rating up to here, after a pain-free session, earns the offer to step up."""


@dataclass(frozen=True)
class Transition:
    kind: str
    """"next", "restart", "goto", "after_exercise", "summary", "end"."""
    target: int = -1
    """Step index for "goto"; exercise index for "after_exercise"."""
    reason: str = ""


NEXT = Transition("next")
RESTART = Transition("restart")


def intro(coach: "Coach") -> Iterator[Beat]:
    routine = coach.routine
    yield Utter(f"Welcome. This is {routine.title}.")
    if routine.audience is Audience.CAREGIVER:
        yield Utter("These instructions are for the helper.")
    for note in routine.safety:
        yield Utter(note)
    if routine.warm_up:
        yield Utter(routine.warm_up)
    if coach.profile.last_session is not None and not coach.profile.last_session.rated:
        yield from _morning_after(coach)
    if coach.needs_stiffer_side():
        yield from _ask_stiffer_side(coach)
    yield Utter("You can say help at any time to hear what you can say.", SpeechKind.PROMPT)
    target = coach.resume_target()
    if target is not None:
        return (yield from _offer_resume(coach, target))
    return NEXT


def _offer_resume(coach: "Coach", target: int) -> Iterator[Beat]:
    point = coach.profile.resume
    assert point is not None
    step = coach.steps[min(target, len(coach.steps) - 1)]
    name = coach.routine.exercises[step.exercise].name if step.exercise >= 0 else "the end"
    where = f"{name}, {step.side.value} side" if step.side is not None else name
    if point.ask:
        answer = yield Ask(
            f"Last time the session stopped early. Shall we pick up at {where}? Say yes or no.",
            AnswerKind.YES_NO,
            coach.settings.question_timeout_s,
        )
        if answer is None or answer.id is not CommandId.YES:
            yield Utter("All right, we'll start from the beginning.")
            return NEXT
    yield Record("resumed", {"exercise": coach.routine.exercises[step.exercise].id if step.exercise >= 0 else None})
    yield Utter(f"Picking up at {where}.")
    return Transition("goto", target=target)


def _morning_after(coach: "Coach") -> Iterator[Beat]:
    last = coach.profile.last_session
    assert last is not None
    answer = yield Ask(
        "How did your body feel the morning after the last session? "
        "Give me a number from zero, no pain at all, to ten.",
        AnswerKind.NUMBER,
        coach.settings.question_timeout_s,
    )
    rating = answer.value if answer is not None else None
    yield Record("after_rating", {"session": last.session_id, "rating": rating})
    if rating is None:
        yield Utter("No answer, so we'll keep the usual levels.")
    elif rating >= MORNING_AFTER_WORSE_FROM:
        coach.shift_session_levels(-1)
        yield Utter("That sounds worse, so today every exercise starts one level gentler.")
    elif rating <= MORNING_AFTER_GOOD_UP_TO and last.pain_free:
        reply = yield Ask(
            "Last time went well. Would you like to step up one level today? Say yes or no.",
            AnswerKind.YES_NO,
            coach.settings.question_timeout_s,
        )
        if reply is not None and reply.id is CommandId.YES:
            coach.shift_session_levels(1)
            yield Utter("Good. Every exercise starts one level up today.")
        else:
            yield Utter("We'll keep the usual levels.")
    else:
        yield Utter("Thanks. We'll keep the usual levels.")


def _ask_stiffer_side(coach: "Coach") -> Iterator[Beat]:
    answer = yield Ask(
        "Some stretches start and end with your stiffer side. "
        "Is your left side the stiffer one? Say yes or no.",
        AnswerKind.YES_NO,
        coach.settings.question_timeout_s,
    )
    side = Side.LEFT if answer is None or answer.id is CommandId.YES else Side.RIGHT
    coach.set_stiffer_side(side)
    # Recorded before it is confirmed aloud: a command cutting the confirmation must not lose it.
    yield Record("setting", {"stiffer_side": side.value})
    if answer is None:
        yield Utter("I didn't hear an answer, so we'll start on the left.")
    else:
        yield Utter(f"Got it: your {side.value} side is stiffer.")


def exercise_intro(coach: "Coach", step: Step) -> Iterator[Beat]:
    exercise = coach.routine.exercises[step.exercise]
    variant = coach.variant(step.exercise)
    yield Record("exercise_start", {"exercise": exercise.id, "level": variant.level_name})
    total = len(coach.routine.exercises)
    yield Utter(f"Exercise {step.exercise + 1} of {total}: {exercise.name}.")
    note = coach.level_notes.pop(step.exercise, None)
    if note:
        yield Utter(note)
    if exercise.level_count > 1:
        yield Utter(f"Level {variant.level_index + 1} of {exercise.level_count}: {variant.level_description}")
    for cue in variant.setup + exercise.cautions:
        yield Utter(cue)
    return NEXT


def hold(coach: "Coach", step: Step, resumed: bool = False) -> Iterator[Beat]:
    exercise = coach.routine.exercises[step.exercise]
    variant = coach.variant(step.exercise)
    settings = coach.settings
    if resumed:
        yield Utter("Get back into position.")
        settle = settings.settle_s
    elif step.rep == 0 and step.side is not None:
        verb = "Start with" if step.side_index == 0 else "Switch sides. Now"
        yield Utter(f"{verb} your {step.side.value} side.")
        settle = settings.settle_s if step.side_index == 0 else settings.side_switch_s
    elif step.rep > 0:
        yield Utter(f"Get into position for rep {step.rep + 1} of {variant.reps}.")
        settle = settings.settle_s
    else:
        settle = 0.0
    yield WaitUntil(coach.engine.cursor + settle)
    for index, phase in enumerate(variant.phases):
        for text in phase.say + phase.breathing:
            yield Utter(text)
        if index == 0:
            yield Utter("Begin.")
        start = coach.engine.cursor
        coach.hold_started(step, index, start)
        if phase.count:
            yield from _count(coach, step.exercise, phase, start, exercise.count)
        yield WaitUntil(start + phase.hold_s)
    coach.hold_finished(step, completed=True)
    yield Utter("And relax.")
    return NEXT


def _count(coach: "Coach", exercise_index: int, phase: Phase, start: float, direction: CountDirection) -> Iterator[Beat]:
    """Count each whole second of the phase, giving whole-second slots to form cues."""
    settings = coach.settings
    exercise = coach.routine.exercises[exercise_index]
    seconds = int(math.floor(phase.hold_s))
    second, cue_due = 1, settings.first_cue_after_s
    while second <= seconds:
        cue = coach.peek_cue(exercise_index) if second >= cue_due else None
        if cue is not None:
            slot = math.ceil(coach.speech_seconds(cue) + settings.cue_gap_s)
            if second + slot <= seconds:
                coach.take_cue(exercise_index)
                yield Utter(cue, SpeechKind.CUE, at=start + second)
                second += slot
                cue_due = second + exercise.cue_every_s
                continue
            cue_due = seconds + 1
        word = second if direction is CountDirection.UP else seconds - second
        if word > 0:
            yield Utter(str(word), SpeechKind.COUNT, at=start + second)
        second += 1


def rest(coach: "Coach", step: Step) -> Iterator[Beat]:
    seconds = coach.variant(step.exercise).rest_s
    start = coach.engine.cursor
    yield Utter(f"Rest for {seconds:g} seconds.")
    yield WaitUntil(start + seconds)
    return NEXT


def summary(coach: "Coach", reason: str) -> Iterator[Beat]:
    done, total = coach.exercises_completed(), len(coach.routine.exercises)
    minutes = max(1, round((coach.engine.cursor - coach.started_at) / SECONDS_PER_MINUTE))
    opening = "That's the end of the session." if reason == "completed" else "Ending the session."
    unit = "minute" if minutes == 1 else "minutes"
    yield Utter(f"{opening} You did {done} of {total} exercises in about {minutes} {unit}.")
    reports = coach.pain_reports
    if not reports:
        yield Utter("You reported no pain.")
    for report in reports:
        rating = "no rating" if report.rating is None else f"rated {report.rating}"
        yield Utter(f"You reported pain during {report.exercise_name}, {rating}.")
    if reason == "completed":
        for tip in coach.routine.tips:
            yield Utter(tip)
    return Transition("end", reason=reason)


def confirm_end(coach: "Coach", was_paused: bool) -> Iterator[Beat]:
    answer = yield Ask(
        "Do you want to end the session now? Say yes or no.",
        AnswerKind.YES_NO,
        coach.settings.question_timeout_s,
    )
    if answer is not None and answer.id is CommandId.YES:
        return Transition("summary", reason="ended")
    yield Utter("All right, we'll carry on.", SpeechKind.PROMPT)
    return Transition("pause") if was_paused else RESTART


def side_label(side: Optional[Side]) -> Optional[str]:
    return side.value if side is not None else None
