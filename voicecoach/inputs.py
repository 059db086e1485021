"""Where heard phrases come from: a commands file, typed lines, or (later) the microphone.

Each source waits on the session's clock, so the same runner serves real time and simulated time.
"""

from __future__ import annotations

import logging
import queue
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Protocol, TextIO

from voicecoach.commands import Command, parse
from voicecoach.errors import UsageError
from voicecoach.session.clock import Clock

log = logging.getLogger(__name__)

INPUT_QUEUE_SIZE = 32
"""Phrases waiting for the coach; more than this means nobody is reading, so further ones are dropped."""

_COMMAND_LINE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s+(\S.*?)\s*$")


@dataclass(frozen=True)
class Heard:
    at: float
    """Session seconds."""
    phrase: str
    command: Optional[Command]
    """None when the phrase means nothing."""


class InputSource(Protocol):
    def wait(self, clock: Clock, zero: float, deadline: Optional[float], asking: bool) -> Optional[Heard]:
        """Block until something is heard (returned) or session time reaches `deadline` (None returned)."""


class ScheduledInputs:
    """`SECONDS PHRASE` lines, each heard at that session time."""

    def __init__(self, items: list[tuple[float, str]]) -> None:
        self._items = sorted(items, key=lambda item: item[0])

    @classmethod
    def from_file(cls, path: Path) -> "ScheduledInputs":
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            raise UsageError(f"cannot read commands file {path}: {error}") from error
        items = []
        for number, line in enumerate(lines, start=1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            match = _COMMAND_LINE.match(line)
            if match is None:
                raise UsageError(f"{path}:{number}: expected 'SECONDS PHRASE', got {line.strip()!r}")
            items.append((float(match.group(1)), match.group(2)))
        return cls(items)

    def wait(self, clock: Clock, zero: float, deadline: Optional[float], asking: bool) -> Optional[Heard]:
        if self._items and (deadline is None or self._items[0][0] <= deadline):
            at, phrase = self._items.pop(0)
            clock.sleep_until(zero + at)
            return Heard(max(at, clock.now() - zero), phrase, parse(phrase))
        if deadline is not None:
            clock.sleep_until(zero + deadline)
        return None


class QueueInputs:
    """Phrases pushed by any number of listener threads (microphone, typed lines), read by the runner."""

    def __init__(self) -> None:
        self._queue: "queue.Queue[Optional[tuple[str, Optional[Command]]]]" = queue.Queue(maxsize=INPUT_QUEUE_SIZE)
        self._ended = False

    def put(self, phrase: str, command: Optional[Command]) -> None:
        try:
            self._queue.put_nowait((phrase, command))
        except queue.Full:
            log.warning("dropped %r: the coach is not reading its input", phrase)

    def end(self) -> None:
        """Nothing more will come: once the queue is empty, waits end at their deadline, or at once."""
        self._queue.put(None)

    def wait(self, clock: Clock, zero: float, deadline: Optional[float], asking: bool) -> Optional[Heard]:
        if not self._ended:
            timeout = None if deadline is None else max(0.0, zero + deadline - clock.now())
            try:
                item = self._queue.get(timeout=timeout)
            except queue.Empty:
                return None
            if item is not None:
                phrase, command = item
                return Heard(clock.now() - zero, phrase, command)
            self._ended = True
        # Input has ended: a None must still mean "the deadline has come", so wait for it.
        if deadline is not None:
            clock.sleep_until(zero + deadline)
        return None


def read_lines(stream: TextIO, inputs: QueueInputs, end_at_eof: bool) -> threading.Thread:
    """Start a thread that puts each non-empty line of `stream` into `inputs` as a phrase heard."""

    def read() -> None:
        for line in stream:
            if line.strip():
                inputs.put(line.strip(), parse(line))
        if end_at_eof:
            inputs.end()

    thread = threading.Thread(target=read, name="typed-input", daemon=True)
    thread.start()
    return thread


class TypedInputs:
    """Lines typed on a stream. In simulated time a line is read only when a question waits for it."""

    def __init__(self, stream: TextIO, simulated: bool) -> None:
        self._stream = stream
        self._ended = False
        self._live: Optional[QueueInputs] = None if simulated else QueueInputs()
        if self._live is not None:
            read_lines(stream, self._live, end_at_eof=True)

    def wait(self, clock: Clock, zero: float, deadline: Optional[float], asking: bool) -> Optional[Heard]:
        if self._live is not None:
            return self._live.wait(clock, zero, deadline, asking)
        line = self._stream.readline() if asking and not self._ended else ""
        if line.strip():
            return Heard(clock.now() - zero, line.strip(), parse(line))
        self._ended = self._ended or (asking and line == "")
        if deadline is not None:
            clock.sleep_until(zero + deadline)
        return None
