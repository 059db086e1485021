"""Transcript lines: `[MM:SS.s] coach: TEXT`, `[MM:SS.s] heard: PHRASE -> COMMAND`, `[MM:SS.s] event: ...`."""

from __future__ import annotations

from typing import Optional, TextIO

from voicecoach.commands import Command
from voicecoach.session.actions import Event, Output, Say

TENTHS_PER_MINUTE = 600


def stamp(seconds: float) -> str:
    """Session seconds as `[MM:SS.s]`, rounded to the tenth."""
    tenths = int(round(max(0.0, seconds) * 10))
    minutes, rest = divmod(tenths, TENTHS_PER_MINUTE)
    return f"[{minutes:02d}:{rest // 10:02d}.{rest % 10}]"


def coach_line(say: Say) -> str:
    return f"{stamp(say.at)} coach: {say.text}"


def event_line(event: Event) -> str:
    return f"{stamp(event.at)} event: {event.describe()}"


def heard_line(at: float, phrase: str, command: Optional[Command]) -> str:
    return f"{stamp(at)} heard: {phrase} -> {command if command is not None else 'unknown'}"


class TranscriptWriter:
    """Writes each line as it happens, flushed, so a reader sees the session live."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def _write(self, line: str) -> None:
        self._stream.write(line + "\n")
        self._stream.flush()

    def outputs(self, outputs: list[Output]) -> None:
        for output in outputs:
            if isinstance(output, Say):
                self._write(coach_line(output))
            elif isinstance(output, Event):
                self._write(event_line(output))

    def heard(self, at: float, phrase: str, command: Optional[Command]) -> None:
        self._write(heard_line(at, phrase, command))

    def note(self, text: str) -> None:
        self._write(text)
