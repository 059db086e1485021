"""Random command sequences at random times: no crash, never stuck, ends when asked, and safe."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from session_driver import fixture_routine
from voicecoach.commands import NUMBER_WORDS, PHRASES, Command, CommandId, parse
from voicecoach.routine.model import Side
from voicecoach.session.actions import Event, Say
from voicecoach.session.coach import Coach
from voicecoach.session.profile import CoachSettings, UserProfile
from voicecoach.timing import estimate_speech_seconds

ROUTINE = fixture_routine()
PHRASE_POOL = [p for phrases in PHRASES.values() for p in phrases] + list(NUMBER_WORDS) + ["mumble", "go back to the table"]
MAX_TICKS = 20_000
"""More ticks than any session of the test routine needs: reaching it means the coach is stuck."""
MAX_WIND_DOWN_S = 600.0
"""Seconds of session time an ended session may still take to say its summary."""

commands = st.lists(
    st.tuples(st.floats(min_value=0.0, max_value=25.0, allow_nan=False), st.sampled_from(PHRASE_POOL)),
    max_size=40,
)


def _advance(coach: Coach, until: float, out: list) -> None:
    for _ in range(MAX_TICKS):
        wake = coach.wake_at()
        if coach.finished or wake is None or wake > until:
            assert coach.finished or wake is not None, f"stuck in {coach.state}"
            return
        out.extend(coach.tick(wake))
    raise AssertionError(f"no progress in {coach.state}")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(commands=commands, stiffer=st.sampled_from([None, Side.LEFT, Side.RIGHT]))
def test_random_commands_never_crash_never_stick_and_respect_pain(commands, stiffer):
    coach = Coach(ROUTINE, UserProfile("fuzz", stiffer_side=stiffer), CoachSettings(), estimate_speech_seconds)
    out = list(coach.start(0.0))
    now = 0.0
    for delay, phrase in commands:
        now += delay
        _advance(coach, now, out)
        if coach.finished:
            break
        command = parse(phrase)
        out.extend(coach.handle(command, now) if command else coach.unrecognized(now))
    if not coach.finished:
        _advance(coach, now, out)
        out.extend(coach.handle(Command(CommandId.END), now))
        out.extend(coach.handle(Command(CommandId.YES), now))
        _advance(coach, now + MAX_WIND_DOWN_S, out)
    assert coach.finished
    ends = [o for o in out if isinstance(o, Event) and o.kind == "session_end"]
    assert len(ends) == 1
    _assert_no_hold_after_severe_pain(out, coach.pain_threshold)
    _assert_speech_never_overlaps(out)


def _assert_no_hold_after_severe_pain(out: list, threshold: int) -> None:
    stopped: dict[tuple, float] = {}
    for output in out:
        if not isinstance(output, Event):
            continue
        data = output.data
        if output.kind == "pain" and data["exercise"] and (data["rating"] is None or data["rating"] >= threshold):
            stopped.setdefault((data["exercise"], data["side"]), output.at)
        if output.kind == "hold":
            since = stopped.get((data["exercise"], data["side"]))
            assert since is None or output.at <= since, f"held {data} after pain at {since}"


def _assert_speech_never_overlaps(out: list) -> None:
    from voicecoach.session.actions import CancelSpeech

    busy_until = 0.0
    for output in out:
        if isinstance(output, CancelSpeech):
            busy_until = min(busy_until, output.at)
        elif isinstance(output, Say):
            assert output.at >= busy_until - 1e-6, f"{output} starts over speech lasting to {busy_until}"
            busy_until = output.at + output.duration
