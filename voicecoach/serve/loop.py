"""`serve`'s loop: idle listening, then a session, then idle again, on one timeline."""

from __future__ import annotations

from typing import Callable, Optional, Sequence

from voicecoach.inputs import InputSource
from voicecoach.runner import OutputSink, SessionRunner, begin_sinks
from voicecoach.serve.idle import Decision, IdleCoach
from voicecoach.session.actions import Event
from voicecoach.session.clock import Clock
from voicecoach.session.coach import Coach

SessionFactory = Callable[[Decision], Optional[tuple[Coach, list[OutputSink]]]]
"""Builds the coach (and its own sinks, such as the history) for a decision; None if it cannot."""


class ServeLoop:
    def __init__(
        self,
        idle: IdleCoach,
        clock: Clock,
        inputs: InputSource,
        sinks: Sequence[OutputSink],
        open_session: SessionFactory,
        lookahead_s: float = 0.0,
        lead_in_s: float = 0.0,
    ) -> None:
        """`lookahead_s` and `lead_in_s` as for SessionRunner: for speech that must be on time."""
        self._idle = idle
        self._lead_in_s = lead_in_s
        self._clock = clock
        self._inputs = inputs
        self._sinks = list(sinks)
        self._open_session = open_session
        self._lookahead_s = lookahead_s
        self.sessions_run = 0
        self.state_listeners: list[Callable[[Optional[Coach]], None]] = []
        """Told when listening changes between idle (None) and a session (its coach)."""

    def _emit(self, outputs: list) -> None:
        for sink in self._sinks:
            sink.outputs(outputs)

    def _listening(self, coach: Optional[Coach]) -> None:
        for listener in self.state_listeners:
            listener(coach)

    def run(self) -> int:
        """Serve until the input ends (a commands file or typed input runs out); returns sessions run."""
        zero = self._clock.now() + self._lead_in_s
        begin_sinks(self._sinks, zero)
        self._emit([Event("idle", 0.0, {"user": self._idle.user})])
        self._listening(None)
        while True:
            deadline = self._idle.wake_at()
            heard = self._inputs.wait(self._clock, zero, deadline, self._idle.listening_for_request)
            now = max(0.0, self._clock.now() - zero)
            if heard is None:
                if deadline is None:
                    return self.sessions_run
                self._idle.tick(now)
                continue
            at = max(now, heard.at)
            meaning, says, decision = self._idle.hear(heard.phrase, at)
            for sink in self._sinks:
                sink.heard(at, heard.phrase, meaning)
            self._emit(says)
            if decision is not None and decision.kind in ("start", "resume"):
                self._run_session(decision, zero)

    def _run_session(self, decision: Decision, zero: float) -> None:
        opened = self._open_session(decision)
        if opened is None:
            return
        coach, session_sinks = opened
        self._clock.sleep_until(zero + self._idle.speaking_until)  # let "Starting ..." finish first
        runner = SessionRunner(coach, self._clock, self._inputs, session_sinks + self._sinks, self._lookahead_s)
        for listener in self.state_listeners:
            runner.on_state(listener)
        runner.run(zero=zero)
        self.sessions_run += 1
        self._emit([Event("idle", self._clock.now() - zero, {"user": self._idle.user})])
        self._listening(None)
