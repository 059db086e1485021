"""The pain protocol, following the sources: mild discomfort is fine, pain is not.

A report never leads to more of the same stretch without the person's consent: continuing at the
same level needs a spoken yes, and an unanswered question always ends the exercise.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator, Optional

from voicecoach.commands import CommandId
from voicecoach.session.actions import AnswerKind, Ask, Beat, Record, SpeechKind, Utter
from voicecoach.session.scripts import RESTART, Transition

if TYPE_CHECKING:
    from voicecoach.session.coach import Coach

MILD_BELOW = 4
"""Ratings under 4 are mild discomfort: the person chooses the same or an easier level."""

SEVERE_FROM = 8
"""From 8 up the coach also offers to end the session and to seek professional advice."""


class PainAction(str, enum.Enum):
    CHOOSE = "choose"
    """Ask whether to make it easier."""
    EASIER = "easier"
    """Continue one level easier."""
    END_EXERCISE = "end_exercise"
    END_EXERCISE_OFFER_END = "end_exercise_offer_end"


def pain_action(rating: Optional[int], threshold: int) -> PainAction:
    """What a rating calls for; no rating (the question timed out) ends the exercise."""
    if rating is None:
        return PainAction.END_EXERCISE
    if rating >= SEVERE_FROM:
        return PainAction.END_EXERCISE_OFFER_END
    if rating >= threshold:
        return PainAction.END_EXERCISE
    if rating >= MILD_BELOW:
        return PainAction.EASIER
    return PainAction.CHOOSE


@dataclass(frozen=True)
class PainContext:
    """Where the person was when they reported pain."""

    exercise: Optional[int]
    """Index of the exercise, or None outside any exercise."""
    side: Optional[str]
    level: Optional[int]


def protocol(coach: "Coach", where: PainContext) -> Iterator[Beat]:
    yield Utter("Ease off slowly and come out of the stretch.", SpeechKind.PROMPT)
    answer = yield Ask(
        "How bad is the pain, from zero to ten?", AnswerKind.NUMBER, coach.settings.pain_answer_timeout_s
    )
    rating = answer.value if answer is not None else None
    coach.record_pain(where, rating)
    exercise_id = coach.routine.exercises[where.exercise].id if where.exercise is not None else None
    yield Record(
        "pain",
        {"exercise": exercise_id, "side": where.side, "level": where.level, "rating": rating},
    )
    action = pain_action(rating, coach.pain_threshold)
    if where.exercise is None:
        return (yield from _outside_exercise(coach, action))
    if action in (PainAction.END_EXERCISE, PainAction.END_EXERCISE_OFFER_END):
        return (yield from _end_exercise(coach, where.exercise, rating, action))
    if action is PainAction.EASIER:
        if coach.change_level(where.exercise, -1, reason="pain"):
            yield Utter(f"Let's make it gentler. {coach.variant(where.exercise).level_description}")
            return RESTART
        return (yield from _consent_same_level(coach, where.exercise))
    reply = yield Ask(
        "Mild discomfort is fine, pain is not. Would you like a gentler version? Say yes or no.",
        AnswerKind.YES_NO,
        coach.settings.question_timeout_s,
    )
    if reply is None:
        return (yield from _end_exercise(coach, where.exercise, rating, PainAction.END_EXERCISE))
    if reply.id is CommandId.YES:
        if coach.change_level(where.exercise, -1, reason="pain"):
            yield Utter(f"Gentler it is. {coach.variant(where.exercise).level_description}")
        else:
            yield Utter("This is already the gentlest version. Go only as far as is comfortable.")
    else:
        yield Utter("We'll carry on at the same level. Go only as far as is comfortable.")
    return RESTART


def _consent_same_level(coach: "Coach", exercise: int) -> Iterator[Beat]:
    reply = yield Ask(
        "This is already the gentlest version. Would you like to try it once more? Say yes or no.",
        AnswerKind.YES_NO,
        coach.settings.question_timeout_s,
    )
    if reply is not None and reply.id is CommandId.YES:
        yield Utter("All right. Go only as far as is comfortable.")
        return RESTART
    return (yield from _end_exercise(coach, exercise, None, PainAction.END_EXERCISE))


def _end_exercise(coach: "Coach", exercise: int, rating: Optional[int], action: PainAction) -> Iterator[Beat]:
    coach.block_exercise(exercise)
    yield Record("exercise_end", {"exercise": coach.routine.exercises[exercise].id, "status": "pain"})
    yield Utter("We'll end this exercise here and move on.")
    if action is PainAction.END_EXERCISE_OFFER_END:
        ending = yield from _offer_end(coach)
        if ending is not None:
            return ending
    return Transition("after_exercise", target=exercise)


def _offer_end(coach: "Coach") -> Iterator[Beat]:
    yield Utter("If the pain persists, please seek advice from a physical therapist or a doctor.")
    reply = yield Ask(
        "Would you like to end the session? Say yes or no.",
        AnswerKind.YES_NO,
        coach.settings.question_timeout_s,
    )
    if reply is None or reply.id is CommandId.YES:
        return Transition("summary", reason="pain")
    return None


def _outside_exercise(coach: "Coach", action: PainAction) -> Iterator[Beat]:
    if action is PainAction.END_EXERCISE_OFFER_END:
        ending = yield from _offer_end(coach)
        if ending is not None:
            return ending
    yield Utter("Thank you. Take your time before we carry on.")
    return RESTART
