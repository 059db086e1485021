"""Drives a Coach: waits on the clock and the inputs, and hands every output to the sinks.

The coach never sees a device or a thread; the runner never decides what to say.
"""

from __future__ import annotations

from typing import Optional, Protocol

from voicecoach.inputs import Heard, InputSource
from voicecoach.session.actions import Event, Output
from voicecoach.session.clock import Clock
from voicecoach.session.coach import Coach


class OutputSink(Protocol):
    def outputs(self, outputs: list[Output]) -> None:
        """Play, print or store what the coach produced."""

    def heard(self, at: float, phrase: str, command) -> None:
        """Note what was heard (a transcript prints it; a speaker ignores it)."""


def begin_sinks(sinks, zero: float) -> None:
    """Tell each sink that wants it which clock reading is session time 0."""
    for sink in sinks:
        begin = getattr(sink, "begin", None)
        if begin is not None:
            begin(zero)


class HistorySink:
    """Stores the coach's events in the history as they happen."""

    def __init__(self, history) -> None:
        self._history = history

    def outputs(self, outputs: list[Output]) -> None:
        for output in outputs:
            if isinstance(output, Event):
                self._history.record(output)

    def heard(self, at: float, phrase: str, command) -> None:
        pass


class SessionRunner:
    def __init__(
        self,
        coach: Coach,
        clock: Clock,
        inputs: InputSource,
        sinks: list[OutputSink],
        lookahead_s: float = 0.0,
        lead_in_s: float = 0.0,
    ) -> None:
        """`lookahead_s`: seconds early the coach is ticked, so a player can start sounds on time.
        `lead_in_s`: seconds between starting and session time 0, so even the first words, which
        nothing has synthesized yet, start on time."""
        self.coach = coach
        self._clock = clock
        self._inputs = inputs
        self._sinks = sinks
        self._lookahead_s = lookahead_s
        self._lead_in_s = lead_in_s
        self._listeners: list = []
        self.zero = 0.0

    def on_state(self, listener) -> None:
        """Call `listener(coach)` whenever the coach may have changed state (e.g. to set a grammar)."""
        self._listeners.append(listener)

    def _emit(self, outputs: list[Output]) -> None:
        for sink in self._sinks:
            sink.outputs(outputs)
        for listener in self._listeners:
            listener(self.coach)

    def run(self, zero: Optional[float] = None) -> Optional[str]:
        """Play the session to its end; returns how it ended.

        `zero`: the clock reading that is session time 0 (default: now), so a server can keep one
        timeline across sessions.
        """
        self.zero = self._clock.now() + self._lead_in_s if zero is None else zero
        begin_sinks(self._sinks, self.zero)
        logical = max(0.0, self._clock.now() - self.zero)
        self._emit(self.coach.start(logical))
        while not self.coach.finished:
            deadline = self.coach.wake_at()
            early = None if deadline is None else deadline - self._lookahead_s
            heard = self._inputs.wait(self._clock, self.zero, early, self.coach.state == "asking")
            logical = max(logical, self._clock.now() - self.zero)
            if heard is not None:
                self._hear(heard, logical)
            elif deadline is not None:
                logical = max(logical, deadline)
                self._emit(self.coach.tick(logical))
            else:
                break
        return self.coach.end_status

    def _hear(self, heard: Heard, now: float) -> None:
        at = max(now, heard.at)
        for sink in self._sinks:
            sink.heard(at, heard.phrase, heard.command)
        if heard.command is None:
            self._emit(self.coach.unrecognized(at))
        else:
            self._emit(self.coach.handle(heard.command, at))
