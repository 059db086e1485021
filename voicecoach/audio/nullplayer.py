"""The fallback when no speaker can be opened: prints what the coach would say, keeps its timing.

The session and the recognizer still see a SpeechLog with each utterance's start and end, as if
it had been played, so a coach without a speaker behaves the same apart from the sound.
"""

from __future__ import annotations

import itertools
import sys
import threading
import time
from typing import Optional, TextIO

from voicecoach.audio.activity import SpeechLog
from voicecoach.audio.format import AudioChunk

DRAIN_POLL_S = 0.01
"""Seconds between checks while waiting for the imagined audio to finish."""


class NullPlayer:
    def __init__(self, log: SpeechLog, reason: str, out: TextIO = sys.stdout) -> None:
        self.log = log
        self.problem: Optional[str] = reason
        """Why there is no sound; fixed for the life of this player."""
        self._out = out
        self._lock = threading.Lock()
        self._tickets = itertools.count(1)
        self._busy_until = 0.0
        """Monotonic seconds when the last imagined utterance ends."""

    def play(self, chunk: AudioChunk, text: str, kind: str = "cue", at: Optional[float] = None) -> int:
        now = time.monotonic()
        with self._lock:
            start = max(now, at or now, self._busy_until)
            end = start + chunk.duration
            log_id = self.log.started(text, kind, start)
            self.log.ended(log_id, end)
            self._busy_until = end
            print(f"[coach] {text}", file=self._out, flush=True)
            return next(self._tickets)

    def abort(self) -> None:
        # The log already holds each utterance's predicted end (SpeechLog sets an end only once);
        # with nothing audible that only matters to the recognizer's echo window, which it widens.
        with self._lock:
            self._busy_until = time.monotonic()

    def drain(self, timeout: Optional[float] = None) -> bool:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.is_playing():
            if deadline is not None and time.monotonic() > deadline:
                return False
            time.sleep(DRAIN_POLL_S)
        return True

    stop = drain

    def is_playing(self) -> bool:
        with self._lock:
            return time.monotonic() < self._busy_until

    def set_volume(self, volume: float) -> None:
        """Nothing is audible, so there is nothing to scale."""

    def close(self) -> None:
        self.abort()
