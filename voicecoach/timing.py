"""Estimates of how long things take to say, for planning when the exact audio is not known."""

from __future__ import annotations

SPEECH_WORDS_PER_SECOND = 2.6
"""Words per second at the default speech rate: espeak-ng's 175 words per minute, plus pauses."""

SECONDS_PER_MINUTE = 60

MIN_UTTERANCE_S = 0.5
"""Seconds: even one short word occupies about this long with its onset and release."""


def estimate_speech_seconds(text: str, rate_factor: float = 1.0) -> float:
    """Seconds to say `text` at `rate_factor` times the default rate."""
    words = max(1, len(text.split()))
    return max(MIN_UTTERANCE_S, words / (SPEECH_WORDS_PER_SECOND * rate_factor))
