"""Input sources: after the input ends, a wait still returns only when its deadline has come."""

from __future__ import annotations

from voicecoach.inputs import QueueInputs
from voicecoach.session.clock import SimulatedClock


def test_queued_phrases_come_out_in_order_then_the_end_waits_out_the_deadline():
    clock, inputs = SimulatedClock(), QueueInputs()
    inputs.put("next", None)
    inputs.end()
    assert inputs.wait(clock, 0.0, 5.0, asking=False).phrase == "next"
    assert inputs.wait(clock, 0.0, 12.0, asking=False) is None
    assert clock.now() == 12.0, "an ended input must not make the runner skip ahead in time"
    assert inputs.wait(clock, 0.0, 20.0, asking=False) is None and clock.now() == 20.0


def test_an_ended_input_with_no_deadline_returns_at_once():
    clock, inputs = SimulatedClock(), QueueInputs()
    inputs.end()
    assert inputs.wait(clock, 0.0, None, asking=False) is None
    assert clock.now() == 0.0
