"""The pain protocol at each rating band, its timeouts, and what the next session remembers."""

from __future__ import annotations

import pytest

from session_driver import counts_between, first_say, run_session
from voicecoach.routine.model import Side
from voicecoach.session.pain import PainAction, pain_action
from voicecoach.session.profile import CoachSettings, LastSession, UserProfile

LEFT_STIFF = UserProfile("tester", stiffer_side=Side.LEFT)
_, BASELINE = run_session(profile=LEFT_STIFF)
BEGIN = first_say(BASELINE, "Begin.")
HURT_AT = BEGIN.at + BEGIN.duration + 2.2
"""Two seconds into the first couch stretch hold, on the left side, at the standard level."""


def _rate(rating: str, *more: tuple[float, str], profile=LEFT_STIFF, settings=None):
    """Say "that hurts" mid-count, then answer the rating question right after it is asked."""
    _, probe = run_session([(HURT_AT, "that hurts")], profile=profile, settings=settings)
    asked = first_say(probe, "How bad is the pain", after=HURT_AT)
    answer_at = asked.at + asked.duration + 0.5
    commands = [(HURT_AT, "that hurts"), (answer_at, rating)]
    for offset, phrase in more:
        commands.append((answer_at + offset, phrase))
    coach, recorder = run_session(commands, profile=profile, settings=settings)
    return coach, recorder, answer_at


def _couch_counts_after(recorder, at):
    couch_end = [e for e in recorder.events("exercise_start") if e.data["exercise"] == "lunge"]
    end = couch_end[0].at if couch_end else float("inf")
    return counts_between(recorder, at, end)


@pytest.mark.parametrize(
    "rating, threshold, action",
    [
        (0, 6, PainAction.CHOOSE), (3, 6, PainAction.CHOOSE), (4, 6, PainAction.EASIER),
        (5, 6, PainAction.EASIER), (6, 6, PainAction.END_EXERCISE), (7, 7, PainAction.END_EXERCISE),
        (6, 7, PainAction.EASIER), (8, 9, PainAction.END_EXERCISE_OFFER_END),
        (10, 6, PainAction.END_EXERCISE_OFFER_END), (None, 6, PainAction.END_EXERCISE),
    ],
)
def test_rating_bands(rating, threshold, action):
    assert pain_action(rating, threshold) is action


def test_that_hurts_cuts_the_count_and_asks_for_a_rating():
    _, recorder, _ = _rate("two")
    assert recorder.cancels[0].at == pytest.approx(HURT_AT)
    assert first_say(recorder, "Ease off slowly and come out of the stretch.").at == pytest.approx(HURT_AT)
    first_answer = first_say(recorder, "Would you like a gentler version?", after=HURT_AT)
    assert counts_between(recorder, HURT_AT, first_answer.at) == []


def test_mild_pain_lets_the_person_choose_an_easier_level():
    _, recorder, at = _rate("two", (4, "yes"))
    assert recorder.events("pain")[0].data == {"exercise": "couch", "side": "left", "level": 1, "rating": 2}
    assert recorder.events("level")[0].data["to"] == 0
    assert recorder.events("level")[0].data["reason"] == "pain"
    assert first_say(recorder, "Get back into position.", after=at).at > at


def test_mild_pain_with_no_keeps_the_level_by_consent():
    _, recorder, at = _rate("three", (4, "no"))
    assert recorder.events("level") == []
    assert "We'll carry on at the same level. Go only as far as is comfortable." in recorder.texts()
    assert _couch_counts_after(recorder, at)


def test_mild_pain_without_an_answer_ends_the_exercise():
    _, recorder, at = _rate("one")
    assert recorder.events("exercise_end")[0].data == {"exercise": "couch", "status": "pain"}
    assert _couch_counts_after(recorder, at) == []


def test_moderate_pain_continues_one_level_easier():
    _, recorder, at = _rate("five")
    assert "Let's make it gentler. Shorter holds." in recorder.texts()
    assert recorder.events("level")[0].data["to"] == 0
    holds = [h for h in recorder.events("hold") if h.at > at and h.data["exercise"] == "couch"]
    assert holds and all(h.data["level"] == 0 for h in holds)


def test_moderate_pain_at_the_easiest_level_needs_consent_to_continue():
    gentle = UserProfile("tester", stiffer_side=Side.LEFT, levels={"couch": 0})
    _, recorder, at = _rate("four", profile=gentle)
    assert "This is already the gentlest version. Would you like to try it once more? Say yes or no." in recorder.texts()
    assert _couch_counts_after(recorder, at) == []
    _, recorder, at = _rate("four", (3, "yes"), profile=gentle)
    assert _couch_counts_after(recorder, at)


def test_pain_at_the_threshold_ends_the_exercise_and_moves_on():
    coach, recorder, at = _rate("six")
    assert "We'll end this exercise here and move on." in recorder.texts()
    assert _couch_counts_after(recorder, at) == []
    assert first_say(recorder, "Exercise 2 of 3: Kneeling lunge.").at > at
    assert coach.end_status == "completed"
    assert "You reported pain during Couch stretch, rated 6." in recorder.texts()


def test_the_threshold_override_applies():
    _, recorder, _ = _rate("five", settings=CoachSettings(pain_threshold=5))
    assert recorder.events("exercise_end")[0].data["status"] == "pain"


def test_severe_pain_offers_to_end_the_session_and_advises_help():
    coach, recorder, at = _rate("nine", (8, "yes"))
    assert "If the pain persists, please seek advice from a physical therapist or a doctor." in recorder.texts()
    assert coach.end_status == "pain"
    _, probe, at = _rate("eight")
    offer = first_say(probe, "Would you like to end the session?", after=at)
    coach, recorder, at = _rate("eight", (offer.at + offer.duration + 0.5 - at, "no"))
    assert coach.end_status == "completed"
    assert _couch_counts_after(recorder, at) == []


def test_no_rating_within_the_timeout_ends_the_exercise():
    coach, recorder = run_session([(HURT_AT, "ouch")], profile=LEFT_STIFF)
    report = recorder.events("pain")[0]
    assert report.data["rating"] is None
    asked = first_say(recorder, "How bad is the pain")
    assert report.at == pytest.approx(asked.at + asked.duration + CoachSettings().pain_answer_timeout_s)
    assert _couch_counts_after(recorder, HURT_AT) == []


def test_stop_during_the_rating_question_still_never_resumes_that_stretch():
    _, recorder = run_session([(HURT_AT, "pain"), (HURT_AT + 2, "stop"), (HURT_AT + 10, "continue")], profile=LEFT_STIFF)
    assert _couch_counts_after(recorder, HURT_AT) == []
    assert recorder.events("pain")[0].data["rating"] is None


def test_an_exercise_that_hurt_last_time_starts_one_level_easier_and_says_why():
    last = LastSession(session_id=7, pain_free=False, hurt_exercises=frozenset({"couch"}), rated=True)
    _, recorder = run_session(profile=UserProfile("tester", stiffer_side=Side.LEFT, last_session=last))
    assert "Last time this exercise hurt, so we'll start one level gentler." in recorder.texts()
    assert recorder.events("exercise_start")[0].data["level"] == "gentle"


def _morning_after(rating: str, *more, pain_free: bool = True):
    last = LastSession(session_id=3, pain_free=pain_free)
    profile = UserProfile("tester", stiffer_side=Side.LEFT, last_session=last)
    _, probe = run_session(profile=profile)
    asked = first_say(probe, "How did your body feel the morning after the last session?")
    at = asked.at + asked.duration + 0.5
    return run_session([(at, rating)] + [(at + o, p) for o, p in more], profile=profile)[1]


def test_a_worse_morning_after_steps_the_session_down():
    recorder = _morning_after("five")
    assert recorder.events("after_rating")[0].data == {"session": 3, "rating": 5}
    assert "That sounds worse, so today every exercise starts one level gentler." in recorder.texts()
    assert [e.data["level"] for e in recorder.events("exercise_start")] == ["gentle", "standard", "low"]


def test_a_good_morning_after_a_pain_free_session_offers_to_step_up():
    recorder = _morning_after("one", (5, "yes"))
    assert [e.data["level"] for e in recorder.events("exercise_start")] == ["standard", "standard", "high"]
    recorder = _morning_after("one", pain_free=False)
    assert not any("step up" in text for text in recorder.texts())
