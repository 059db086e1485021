"""Whole sessions under the simulated clock: order, timing on the second, sides, levels, summary."""

from __future__ import annotations

import time

import pytest

from session_driver import counts_between, first_say, run_session
from voicecoach.routine.library import bundled_routines
from voicecoach.routine.model import Side
from voicecoach.session.profile import UserProfile

LEFT_STIFF = UserProfile("tester", stiffer_side=Side.LEFT)
MIN_SPEEDUP = 100
"""A simulated session must run at least this many times faster than real time."""


@pytest.mark.parametrize("routine", bundled_routines(), ids=lambda r: r.id)
def test_every_bundled_routine_completes_under_the_simulated_clock(routine):
    started = time.perf_counter()
    coach, recorder = run_session(routine=routine, profile=LEFT_STIFF)
    wall = time.perf_counter() - started
    end = recorder.events("session_end")
    assert coach.end_status == "completed"
    assert end[0].data["exercises_done"] == len(routine.exercises)
    assert end[0].at / wall > MIN_SPEEDUP
    assert len(recorder.events("exercise_start")) == len(routine.exercises)


def test_utterances_never_overlap():
    _, recorder = run_session(profile=LEFT_STIFF)
    says = recorder.says
    for earlier, later in zip(says, says[1:]):
        assert later.at >= earlier.at + earlier.duration - 1e-9, (earlier, later)


def test_counts_land_exactly_on_the_second_and_count_down():
    _, recorder = run_session(profile=LEFT_STIFF)
    begin = first_say(recorder, "Begin.")
    start = begin.at + begin.duration
    stretch = counts_between(recorder, start, start + 8)
    for say in stretch:
        offset = say.at - start
        assert offset == pytest.approx(round(offset), abs=1e-9)
        assert int(say.text) == 8 - round(offset)
    cue = first_say(recorder, "Tilt your pelvis.", after=start)
    assert (cue.at - start) == pytest.approx(round(cue.at - start), abs=1e-9)
    spoken = [int(s.text) for s in stretch]
    assert spoken == sorted(spoken, reverse=True) and spoken[0] == 7 and spoken[-1] == 1


def test_count_up_ends_on_the_hold_length():
    _, recorder = run_session(profile=LEFT_STIFF)
    lunge = first_say(recorder, "Kneeling lunge")
    begin = first_say(recorder, "Begin.", after=lunge.at)
    start = begin.at + begin.duration
    assert [s.text for s in counts_between(recorder, start, start + 7)] == ["1", "2", "3", "4", "5", "6"]


def test_stiffer_side_first_and_last_and_both_sides_alternate():
    _, recorder = run_session(profile=UserProfile("tester", stiffer_side=Side.RIGHT))
    holds = recorder.events("hold")
    assert [(h.data["exercise"], h.data["side"]) for h in holds] == [
        ("couch", "right"), ("couch", "left"), ("couch", "right"),
        ("lunge", "right"), ("lunge", "right"), ("lunge", "left"), ("lunge", "left"),
        ("bridge", None),
    ]
    assert all(h.data["completed"] for h in holds)


def test_asks_for_the_stiffer_side_once_and_records_it():
    stiff_answer = lambda recorder: first_say(recorder, "Is your left side the stiffer one?")
    _, baseline = run_session()
    question = stiff_answer(baseline)
    _, recorder = run_session([(question.at + question.duration + 1, "no")])
    assert recorder.events("setting")[0].data == {"stiffer_side": "right"}
    assert recorder.events("hold")[0].data["side"] == "right"
    _, remembered = run_session(profile=LEFT_STIFF)
    assert not any("stiffer one" in text for text in remembered.texts())


def test_unanswered_stiffer_side_question_defaults_to_left_and_says_so():
    _, recorder = run_session()
    assert "I didn't hear an answer, so we'll start on the left." in recorder.texts()


def test_starts_each_exercise_at_the_remembered_or_default_level():
    profile = UserProfile("tester", stiffer_side=Side.LEFT, levels={"bridge": 2})
    _, recorder = run_session(profile=profile)
    starts = {e.data["exercise"]: e.data["level"] for e in recorder.events("exercise_start")}
    assert starts == {"couch": "standard", "lunge": "standard", "bridge": "high"}


def test_summary_reports_exercises_time_and_no_pain():
    _, recorder = run_session(profile=LEFT_STIFF)
    summary = first_say(recorder, "That's the end of the session.")
    assert "You did 3 of 3 exercises" in summary.text
    assert "You reported no pain." in recorder.texts()
    assert recorder.texts()[-1] == "Breathe deeply during each stretch."


def test_rest_lasts_the_routines_rest_seconds():
    _, recorder = run_session(profile=LEFT_STIFF)
    rest = first_say(recorder, "Rest for 4 seconds.")
    following = [s for s in recorder.says if s.at > rest.at][0]
    assert following.at == pytest.approx(rest.at + 4)
