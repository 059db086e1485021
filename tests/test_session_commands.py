"""Every command in every state: a spoken reaction, never a crash or silence, and the right effect."""

from __future__ import annotations

import pytest

from session_driver import counts_between, first_say, run_session
from voicecoach.commands import PHRASES, CommandId
from voicecoach.routine.model import Side
from voicecoach.session.actions import CancelSpeech, Say, SpeechKind
from voicecoach.session.coach_control import BREATH_AFTER_CUT_S
from voicecoach.session.profile import UserProfile

LEFT_STIFF = UserProfile("tester", stiffer_side=Side.LEFT)
_, BASELINE = run_session(profile=LEFT_STIFF)


def _moment(state: str) -> tuple[float, list[tuple[float, str]]]:
    """A session time in `state`, and the commands that lead there."""
    begin = first_say(BASELINE, "Begin.")
    if state == "announcing":
        return first_say(BASELINE, "Kneel with one knee").at + 0.2, []
    if state == "counting":
        return begin.at + begin.duration + 2.5, []
    if state == "resting":
        return first_say(BASELINE, "Rest for").at + 2.0, []
    if state == "paused":
        at = begin.at + 3
        return at + 5, [(at, "pause")]
    if state == "asking":
        at = begin.at + 3
        return at + 4, [(at, "finish")]
    raise ValueError(state)


STATES = ["announcing", "counting", "resting", "paused", "asking"]
ALL_PHRASES = [phrases[0] for phrases in PHRASES.values()] + ["seven"]


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("phrase", ALL_PHRASES)
def test_every_command_in_every_state_gets_a_spoken_reaction(state, phrase):
    at, lead_in = _moment(state)
    coach, recorder = run_session(lead_in + [(at, phrase)], profile=LEFT_STIFF)
    reaction = [o for o in recorder.after(at) if isinstance(o, Say) and o.at <= at + BREATH_AFTER_CUT_S + 1e-6]
    assert reaction, f"silence after {phrase!r} while {state}"
    assert coach.finished


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("phrase", ["stop", "that hurts"])
def test_stop_and_hurt_cut_speech_at_once_in_every_state(state, phrase):
    at, lead_in = _moment(state)
    # Say it while the coach is mid-sentence: right after some utterance starts.
    speaking = [s for s in BASELINE.says if s.at >= at and s.duration > 0.4][0]
    if state in ("paused", "asking"):
        speaking_at = at
    else:
        speaking_at = speaking.at + 0.2
    _, recorder = run_session(lead_in + [(speaking_at, phrase)], profile=LEFT_STIFF)
    cut = [o for o in recorder.after(speaking_at) if isinstance(o, CancelSpeech)]
    was_speaking = any(s.at < speaking_at < s.at + s.duration for s in recorder.says)
    if was_speaking:
        assert cut and cut[0].at == pytest.approx(speaking_at)


def test_stop_pauses_counting_until_continue():
    begin = first_say(BASELINE, "Begin.")
    stop_at, resume_at = begin.at + 3.2, begin.at + 30
    _, recorder = run_session([(stop_at, "stop"), (resume_at, "continue")], profile=LEFT_STIFF)
    assert first_say(recorder, "Stopped.", after=stop_at).at == pytest.approx(stop_at + BREATH_AFTER_CUT_S)
    assert counts_between(recorder, stop_at, resume_at) == []
    assert first_say(recorder, "Get back into position.", after=resume_at).at == pytest.approx(resume_at)
    assert recorder.events("hold")[0].data["completed"] is False


def test_pause_waits_for_resume_and_says_how():
    begin = first_say(BASELINE, "Begin.")
    coach, recorder = run_session([(begin.at + 2, "hold on"), (begin.at + 60, "ready")], profile=LEFT_STIFF)
    assert first_say(recorder, "Paused.").text == "Paused. Say continue when you're ready."
    assert coach.end_status == "completed"


def test_next_while_counting_moves_to_the_next_side():
    begin = first_say(BASELINE, "Begin.")
    at = begin.at + 3
    _, recorder = run_session([(at, "next")], profile=LEFT_STIFF)
    assert first_say(recorder, "Switch sides. Now your right side.", after=at).at == pytest.approx(at)
    assert recorder.events("hold")[0].data["side"] == "left" and not recorder.events("hold")[0].data["completed"]


def test_next_at_the_last_exercise_goes_to_the_summary_and_back_at_the_first_says_so():
    bridge = first_say(BASELINE, "Lie face up with your knees bent.")
    _, recorder = run_session([(bridge.at + 0.5, "skip")], profile=LEFT_STIFF)
    assert first_say(recorder, "Begin.", after=bridge.at).at == pytest.approx(bridge.at + 0.5)
    at = first_say(recorder, "Begin.", after=bridge.at).at + 1.5
    _, recorder = run_session([(bridge.at + 0.5, "skip"), (at, "next")], profile=LEFT_STIFF)
    assert first_say(recorder, "That's the end of the session.", after=at).at == pytest.approx(at)
    intro = first_say(BASELINE, "Kneel with one knee")
    _, recorder = run_session([(intro.at + 0.3, "go back")], profile=LEFT_STIFF)
    assert first_say(recorder, "This is the first exercise.").at == pytest.approx(intro.at + 0.3)


def test_back_from_the_second_side_repeats_the_first():
    switch = first_say(BASELINE, "Switch sides.")
    begin = first_say(BASELINE, "Begin.", after=switch.at)
    at = begin.at + 2
    _, recorder = run_session([(at, "previous")], profile=LEFT_STIFF)
    sides = [h.data["side"] for h in recorder.events("hold")]
    assert sides[:3] == ["left", "right", "left"]  # left done, right cut short, left again
    assert recorder.events("hold")[1].data["completed"] is False


def test_repeat_says_the_last_instruction_again():
    begin = first_say(BASELINE, "Begin.")
    at = begin.at + begin.duration + 2.5
    last_cue = [s for s in BASELINE.says if s.kind is SpeechKind.CUE and s.at < at][-1]
    _, recorder = run_session([(at, "say that again")], profile=LEFT_STIFF)
    assert last_cue.text == "Begin."
    assert [s for s in recorder.says if s.at == pytest.approx(at)][0].text == "Begin."
    intro = first_say(BASELINE, "Kneel with one knee")
    _, recorder = run_session([(intro.at + 0.5, "repeat")], profile=LEFT_STIFF)
    assert [s.text for s in recorder.says if s.at == pytest.approx(intro.at + 0.5)] == [intro.text]


def test_harder_and_easier_move_one_level_say_what_changed_and_stop_at_the_ends():
    begin = first_say(BASELINE, "Begin.")
    at = begin.at + 2
    _, recorder = run_session([(at, "harder")], profile=LEFT_STIFF)
    assert first_say(recorder, "This is already the hardest version.").at == pytest.approx(at)
    _, recorder = run_session([(at, "easier"), (at + 4, "make it easier")], profile=LEFT_STIFF)
    assert first_say(recorder, "Okay, gentler. Shorter holds.").at == pytest.approx(at)
    assert first_say(recorder, "This is already the gentlest version.").at == pytest.approx(at + 4)
    level = recorder.events("level")[0].data
    assert (level["exercise"], level["from"], level["to"], level["reason"]) == ("couch", 1, 0, "user")


def test_slower_faster_louder_quieter_adjust_the_voice_within_limits():
    at = first_say(BASELINE, "Begin.").at
    _, recorder = run_session([(at, "slower"), (at + 3, "louder"), (at + 6, "quieter")], profile=LEFT_STIFF)
    rates = [(a.rate, a.volume) for a in recorder.adjusts]
    assert rates == [(0.85, 1.0), (0.85, 0.8)]
    assert "I can't go any louder." in recorder.texts()


def test_how_long_tells_the_seconds_left_in_the_hold_and_the_session():
    begin = first_say(BASELINE, "Begin.")
    start = begin.at + begin.duration
    _, recorder = run_session([(start + 3, "time left")], profile=LEFT_STIFF)
    answer = first_say(recorder, "seconds left in this hold.", after=start)
    assert answer.text.startswith("10 seconds left in this hold. About ")  # 8 + 5 s of phases, 3 s gone


def test_help_lists_what_makes_sense_now():
    at, lead_in = _moment("asking")
    _, recorder = run_session(lead_in + [(at, "what can i say")], profile=LEFT_STIFF)
    assert first_say(recorder, "Say yes or no.", after=at).at == pytest.approx(at)
    at, _ = _moment("counting")
    _, recorder = run_session([(at, "help")], profile=LEFT_STIFF)
    assert "harder, easier" in first_say(recorder, "You can say", after=at).text


def test_answers_without_a_question_and_unknown_phrases_get_a_short_reply():
    at, _ = _moment("counting")
    _, recorder = run_session([(at, "yes"), (at + 2, "banana bread")], profile=LEFT_STIFF)
    assert first_say(recorder, "I haven't asked anything just now.").at == pytest.approx(at)
    assert first_say(recorder, "Sorry, I didn't catch that.").at == pytest.approx(at + 2)


def test_end_session_needs_confirmation():
    at, _ = _moment("counting")
    coach, recorder = run_session([(at, "end session"), (at + 5, "no")], profile=LEFT_STIFF)
    assert coach.end_status == "completed"
    coach, recorder = run_session([(at, "finish"), (at + 5, "yes")], profile=LEFT_STIFF)
    assert coach.end_status == "ended"
    assert recorder.events("session_end")[0].data["status"] == "ended"
    assert first_say(recorder, "Ending the session.").at >= at + 5


def test_the_active_command_set_follows_the_state():
    from voicecoach.session.coach import Coach

    coach, _ = run_session(profile=LEFT_STIFF)
    assert coach.active_commands() == frozenset()
    coach = Coach(coach.routine, UserProfile("tester"), coach.settings, lambda text, rate: 1.0)
    coach.start(0.0)
    while coach.state != "asking":
        coach.tick(coach.wake_at())
    assert CommandId.YES in coach.active_commands() and CommandId.NUMBER not in coach.active_commands()
    assert {CommandId.HURT, CommandId.STOP, CommandId.PAUSE} <= coach.active_commands()
