"""Runs one script (a generator of beats) against session time.

The engine owns the coach's voice channel: it knows until when the coach is speaking, so untimed
speech queues behind it and a timed count that would talk over it is dropped rather than delayed,
which keeps every count on its second.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Generator, Optional

from voicecoach.commands import Command
from voicecoach.session.actions import (
    Ask,
    Beat,
    CancelSpeech,
    Event,
    Output,
    Record,
    Say,
    SpeechKind,
    Utter,
    WaitUntil,
)

Script = Generator[Beat, Optional[Command], Any]

TIMING_TOLERANCE_S = 1e-6
"""Seconds: float noise below which two session instants are the same instant."""


@dataclass(frozen=True)
class OpenQuestion:
    ask: Ask
    deadline: float
    """Session seconds after which the question counts as unanswered."""


class ScriptEngine:
    def __init__(self, seconds: Callable[[str], float]) -> None:
        self._seconds = seconds
        self.cursor = 0.0
        """Session seconds the running script has reached."""
        self.speaking_until = 0.0
        self.question: Optional[OpenQuestion] = None
        self.last_instruction: Optional[str] = None
        self._script: Optional[Script] = None
        self._pending: Optional[Beat] = None
        self._reply: Optional[Command] = None
        self.result: Any = None
        """What the last script returned; read by the owner when `finished_script` is set."""
        self.finished_script = False
        self._finish_at: Optional[float] = None
        """Session seconds when the returned script's last words end: only then is it finished."""

    @property
    def running(self) -> bool:
        return self._script is not None

    def start(self, script: Script, now: float) -> None:
        """Replace whatever runs with `script`, starting at `now`."""
        if self._script is not None:
            self._script.close()
        self._script, self._pending, self._reply = script, None, None
        self.question = None
        self.finished_script, self._finish_at = False, None
        self.cursor = now

    def stop(self) -> None:
        if self._script is not None:
            self._script.close()
        self._script, self._pending, self.question = None, None, None
        self._finish_at = None

    def is_speaking(self, now: float) -> bool:
        return self.speaking_until > now + TIMING_TOLERANCE_S

    def cancel_speech(self, now: float, out: list[Output]) -> None:
        if self.is_speaking(now):
            out.append(CancelSpeech(now))
        self.speaking_until = min(self.speaking_until, now)

    def say_now(self, text: str, kind: SpeechKind, now: float, out: list[Output], pause_s: float = 0.0) -> None:
        """Speak at once (after `pause_s` seconds of silence), cutting anything being said."""
        self.cancel_speech(now, out)
        self._say(text, kind, now + pause_s, out)

    def answer(self, reply: Optional[Command], now: float, out: list[Output]) -> None:
        """Hand the open question's answer (None: timed out) to the script."""
        if self.question is None:
            return
        self.question = None
        self._reply = reply
        if reply is not None:
            # An answer given while the question is still being asked cuts it short.
            self.cancel_speech(now, out)
        self.cursor = max(self.cursor, now) if reply is None else now
        self.pump(now, out)

    def wake_at(self) -> Optional[float]:
        """The next session time at which `pump` has something to do."""
        if self.question is not None:
            return self.question.deadline
        if self._finish_at is not None:
            return self._finish_at
        if self._pending is not None:
            return self._due(self._pending)
        return None

    def pump(self, now: float, out: list[Output]) -> None:
        """Play the script up to `now`, stopping at the first beat that lies in the future."""
        while self._script is not None and self.question is None:
            if self._pending is None:
                try:
                    reply, self._reply = self._reply, None
                    self._pending = self._script.send(reply)
                except StopIteration as done:
                    self._script = None
                    self.result, self._finish_at = done.value, max(self.cursor, self.speaking_until)
                    break
            due = self._due(self._pending)
            if due > now + TIMING_TOLERANCE_S:
                return
            beat, self._pending = self._pending, None
            self._execute(beat, due, out)
        if self._finish_at is not None and self._finish_at <= now + TIMING_TOLERANCE_S:
            self.cursor = max(self.cursor, self._finish_at)
            self._finish_at, self.finished_script = None, True

    def _due(self, beat: Beat) -> float:
        if isinstance(beat, WaitUntil):
            return max(beat.at, self.cursor)
        if isinstance(beat, Utter) and beat.at is not None:
            return beat.at
        if isinstance(beat, Record):
            return self.cursor
        return max(self.cursor, self.speaking_until)

    def _execute(self, beat: Beat, due: float, out: list[Output]) -> None:
        if isinstance(beat, WaitUntil):
            self.cursor = due
        elif isinstance(beat, Record):
            out.append(Event(beat.kind, due, beat.data))
        elif isinstance(beat, Ask):
            end = self._say(beat.text, SpeechKind.PROMPT, due, out)
            self.cursor = end
            self.question = OpenQuestion(beat, end + beat.timeout_s)
        elif beat.at is not None:
            self.cursor = due
            if not self.is_speaking(due):
                self._say(beat.text, beat.kind, due, out)
        else:
            self.cursor = self._say(beat.text, beat.kind, due, out)

    def _say(self, text: str, kind: SpeechKind, at: float, out: list[Output]) -> float:
        duration = self._seconds(text)
        out.append(Say(text, kind, at, duration))
        self.speaking_until = at + duration
        if kind is SpeechKind.CUE:
            self.last_instruction = text
        return self.speaking_until
