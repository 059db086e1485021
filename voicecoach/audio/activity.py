"""What the coach is saying and when: written by the player, read by the recognizer.

The recognizer uses it to tell the coach's own voice from the user's, so every entry carries its
text and its start and end on the monotonic clock shared by both threads.
"""

from __future__ import annotations

import collections
import threading
from dataclasses import dataclass, replace
from typing import Deque, Optional

from voicecoach.audio.format import AudioChunk

HISTORY_LENGTH = 64
"""Utterances kept: enough to cover the echo tail of anything still audible."""


@dataclass(frozen=True)
class StreamPosition:
    """Where a sample sits in the output stream itself: exact, unlike a callback's clock reading."""

    stream: int
    """Which opening of the output stream: positions compare only within one."""
    frame: int
    """Frames written to that stream before this sample."""
    rate: int
    """Hertz of that stream."""


@dataclass(frozen=True)
class Utterance:
    id: int
    text: str
    kind: str
    """What the session meant by it: "cue", "count", "prompt", ..."""
    start: float
    """Seconds on the monotonic clock when its first sample reached the device."""
    end: Optional[float] = None
    """Seconds when its last sample played, or when it was aborted; None while playing."""
    audio: Optional[AudioChunk] = None
    """What was played, from `start` on, before volume: the echo canceller's reference. None where
    nothing reached a loudspeaker (printed sessions)."""
    position: Optional[StreamPosition] = None
    """Where its first sample went in the output stream. `start` carries the jitter of the audio
    callback's clock reading, a few milliseconds; positions place utterances against each other
    to the sample, as an echo canceller needs."""


class SpeechLog:
    """Thread-safe record of recent utterances."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: Deque[Utterance] = collections.deque(maxlen=HISTORY_LENGTH)
        self._next_id = 1

    def started(self, text: str, kind: str, start: float, audio: Optional[AudioChunk] = None,
                position: Optional[StreamPosition] = None) -> int:
        with self._lock:
            utterance_id = self._next_id
            self._next_id += 1
            self._entries.append(Utterance(utterance_id, text, kind, start, audio=audio, position=position))
            return utterance_id

    def ended(self, utterance_id: int, end: float) -> None:
        with self._lock:
            for index, entry in enumerate(self._entries):
                if entry.id == utterance_id and entry.end is None:
                    self._entries[index] = replace(entry, end=end)

    def overlapping(self, start: float, end: float, tail_s: float = 0.0) -> list[Utterance]:
        """Utterances audible at some moment in [start, end], counting `tail_s` of echo after each."""
        with self._lock:
            entries = list(self._entries)
        return [
            entry
            for entry in entries
            if entry.start <= end and (entry.end is None or entry.end + tail_s >= start)
        ]

    def speaking_at(self, moment: float, tail_s: float = 0.0) -> bool:
        return bool(self.overlapping(moment, moment, tail_s))

    def recent(self) -> list[Utterance]:
        with self._lock:
            return list(self._entries)
