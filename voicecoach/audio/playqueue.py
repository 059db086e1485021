"""What the output stream plays next: a lock-protected queue the audio callback copies from.

Pure logic with no device, so its timing can be tested with made-up block times. Times are on the
monotonic clock: the callback says when the first frame of each block will reach the speaker and
the queue places every utterance's first sample on its frame.
"""

from __future__ import annotations

import collections
import threading
from dataclasses import dataclass
from typing import Deque, Optional

import numpy as np

from voicecoach.audio.activity import StreamPosition

MAX_QUEUED_UTTERANCES = 256
"""Bounded so a runaway caller cannot grow memory; a session queues a few at most."""


@dataclass(frozen=True)
class PlaybackEvent:
    ticket: int
    text: str
    kind: str
    what: str
    """"start" when the first sample plays, "end" when the last one (or the abort) does."""
    time: float
    """Seconds on the monotonic clock."""
    position: StreamPosition
    """The same moment as a frame of the output stream."""


@dataclass
class _Item:
    ticket: int
    text: str
    kind: str
    samples: np.ndarray
    """int16 frames at the stream's rate."""
    at: Optional[float]
    """Monotonic seconds for the first sample; None for "as soon as the previous one ends"."""
    position: int = 0


class QueueFull(Exception):
    pass


class PlayQueue:
    def __init__(self, rate: int, now: float) -> None:
        self._lock = threading.Lock()
        self.rate = rate
        """Hertz of the stream the queue feeds; changed only through reset()."""
        self._items: Deque[_Item] = collections.deque()
        self._events: Deque[PlaybackEvent] = collections.deque()
        self._written_until = 0.0
        """Monotonic seconds when the last frame handed to the device will have played."""
        self._last_fill = now
        """Monotonic seconds of the latest callback (or of the reset), for the stall watchdog."""
        self._last_end = 0.0
        """Monotonic seconds when the latest utterance handed out ends."""
        self._gain = 1.0
        """Linear 0..1, applied as frames are copied out so a volume change is heard at once."""
        self._stream = 0
        """Openings of the output stream so far, counted by reset()."""
        self._frames_out = 0
        """Frames handed to the current stream before the block being filled."""

    def set_gain(self, gain: float) -> None:
        with self._lock:
            self._gain = gain

    def reset(self, rate: int, now: float) -> None:
        """Empty, for a newly opened stream at `rate`; call abort() first to end what was playing."""
        with self._lock:
            self.rate = rate
            self._items.clear()
            self._written_until = now
            self._last_fill = now
            self._stream += 1
            self._frames_out = 0

    def put(self, ticket: int, text: str, kind: str, samples: np.ndarray, at: Optional[float],
            rate: Optional[int] = None) -> bool:
        """Queue an utterance; False (dropped) when it was prepared for a stream since replaced."""
        with self._lock:
            if rate is not None and rate != self.rate:
                return False
            if len(self._items) >= MAX_QUEUED_UTTERANCES:
                raise QueueFull(f"more than {MAX_QUEUED_UTTERANCES} utterances queued")
            self._items.append(_Item(ticket, text, kind, samples, at))
            return True

    def fill(self, out: np.ndarray, block_time: float, now: float) -> None:
        """Copy the next len(out) frames into `out`; `block_time` is when out[0] will play."""
        frames = len(out)
        pos = 0
        with self._lock:
            self._last_fill = now
            while pos < frames and self._items:
                item = self._items[0]
                if item.position == 0:
                    if item.at is not None:
                        start = int(round((item.at - block_time) * self.rate))
                        if start >= frames:
                            break
                        if start > pos:
                            out[pos:start] = 0
                            pos = start
                    self._event(item, "start", block_time + pos / self.rate, pos)
                count = min(frames - pos, len(item.samples) - item.position)
                source = item.samples[item.position : item.position + count]
                if self._gain >= 1.0:
                    out[pos : pos + count] = source
                else:
                    # A scaled copy: a few hundred multiplies, still a copy and nothing more.
                    out[pos : pos + count] = (source * self._gain).astype(np.int16)
                item.position += count
                pos += count
                if item.position >= len(item.samples):
                    self._event(item, "end", block_time + pos / self.rate, pos)
                    self._items.popleft()
            out[pos:] = 0
            self._written_until = block_time + frames / self.rate
            self._frames_out += frames

    def abort(self, now: float, device_gone: bool = False) -> list[int]:
        """Drop everything. The one playing ends when its last written frame plays, or at `now`
        when the device is gone and took its buffer with it. Returns the dropped tickets."""
        with self._lock:
            if device_gone:
                self._written_until = now
                self._last_end = min(self._last_end, now)
            dropped = [item.ticket for item in self._items]
            for item in self._items:
                if item.position > 0:
                    self._event(item, "end", max(now, self._written_until), 0)
            self._items.clear()
            return dropped

    def _event(self, item: _Item, what: str, moment: float, frame_in_block: int) -> None:
        """`frame_in_block`: the event's frame within the block being filled (0 outside a fill)."""
        if what == "end":
            self._last_end = max(self._last_end, moment)
        position = StreamPosition(self._stream, self._frames_out + frame_in_block, self.rate)
        self._events.append(PlaybackEvent(item.ticket, item.text, item.kind, what, moment, position))

    def take_events(self) -> list[PlaybackEvent]:
        with self._lock:
            events = list(self._events)
            self._events.clear()
            return events

    def pending(self) -> list[int]:
        with self._lock:
            return [item.ticket for item in self._items]

    def busy(self, now: float) -> bool:
        """Something is queued, or still sounding at `now`."""
        with self._lock:
            return bool(self._items) or now < self._last_end

    def audible_until(self) -> float:
        """Monotonic seconds when what was already handed to the device stops playing."""
        with self._lock:
            return self._written_until

    def last_fill(self) -> float:
        with self._lock:
            return self._last_fill
