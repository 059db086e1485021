"""Clocks the session runs on: the real monotonic one, and a simulated one for tests and --fast."""

from __future__ import annotations

import threading
import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Seconds on a clock that never goes backwards."""

    def sleep_until(self, deadline: float) -> None:
        """Block until `deadline` on this clock (or return at once if it has passed)."""


class MonotonicClock:
    def now(self) -> float:
        return time.monotonic()

    def sleep_until(self, deadline: float) -> None:
        delay = deadline - time.monotonic()
        if delay > 0:
            time.sleep(delay)


class SimulatedClock:
    """Time moves only when told to: a whole routine runs as fast as the CPU allows."""

    def __init__(self, start: float = 0.0) -> None:
        self._now = start
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return self._now

    def sleep_until(self, deadline: float) -> None:
        with self._lock:
            self._now = max(self._now, deadline)

    advance_to = sleep_until
