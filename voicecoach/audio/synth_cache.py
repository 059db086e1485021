"""Synthesize frequent short phrases once: counts and cues must be ready the instant they are due."""

from __future__ import annotations

import collections
import threading
from typing import Iterable, Optional, OrderedDict

from voicecoach.audio.format import AudioChunk
from voicecoach.audio.tts import Synthesizer, VoiceSettings

_ONES = ("", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
         "eighteen", "nineteen")
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty")

LONGEST_HOLD_S = 60
"""Seconds: the longest hold counted aloud, so counts "one".."sixty" are kept ready."""

CACHE_CAPACITY = 512
"""Utterances kept; well above the counts plus a routine's cues, and about 25 MB at worst."""


def count_word(n: int) -> str:
    """1..60 as the word the coach says ("twenty-one")."""
    if not 1 <= n <= LONGEST_HOLD_S:
        raise ValueError(f"counts run from 1 to {LONGEST_HOLD_S}, not {n}")
    if n < 20:
        return _ONES[n]
    tens, ones = divmod(n, 10)
    return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")


COUNT_WORDS = tuple(count_word(n) for n in range(1, LONGEST_HOLD_S + 1))
COMMON_CUES = ("Begin", "Relax", "Hold", "Breathe in", "Breathe out", "Switch sides", "Stopping")
DEFAULT_PHRASES = COUNT_WORDS + COMMON_CUES


class CachedSynthesizer:
    """A Synthesizer that remembers what it rendered, keyed by (text, voice, rate)."""

    def __init__(self, inner: Synthesizer, capacity: int = CACHE_CAPACITY) -> None:
        self.inner = inner
        self.capacity = capacity
        self._lock = threading.Lock()
        self._chunks: OrderedDict[tuple[str, str, int], AudioChunk] = collections.OrderedDict()
        self.hits = 0
        self.misses = 0

    @property
    def settings(self) -> VoiceSettings:
        return self.inner.settings

    def configure(self, settings: VoiceSettings) -> None:
        self.inner.configure(settings)

    def warm(self, phrases: Iterable[str]) -> None:
        """Render `phrases` now, at the current settings, so later requests are instant."""
        for phrase in phrases:
            self.synthesize(phrase)

    def synthesize(self, text: str, settings: Optional[VoiceSettings] = None) -> AudioChunk:
        settings = settings or self.inner.settings
        key = (text, settings.voice, settings.rate_wpm)
        with self._lock:
            chunk = self._chunks.get(key)
            if chunk is not None:
                self._chunks.move_to_end(key)
                self.hits += 1
                return chunk
            self.misses += 1
        # Rendered outside the lock: a long cue must not hold up a count that is already cached.
        # The settings go along so a rate change meanwhile cannot file it under the wrong key.
        chunk = self.inner.synthesize(text, settings)
        with self._lock:
            self._chunks[key] = chunk
            while len(self._chunks) > self.capacity:
                self._chunks.popitem(last=False)
        return chunk

    def duration(self, text: str) -> float:
        return self.synthesize(text).duration

    def __len__(self) -> int:
        with self._lock:
            return len(self._chunks)

    def close(self) -> None:
        self.inner.close()
