"""Per-phrase confidence thresholds, tuned by `python -m bench recognition --tune` on the tuning voices.

Only the tuning split (see `bench/dataset.py`) is ever used to set these; the held-out voices
measure them. A phrase without an entry uses the engine's default.
"""

from __future__ import annotations

DEFAULT_THRESHOLD = {"pocketsphinx": 0.45, "vosk": 0.6}
"""Confidence below which a detection is rejected, by engine, where no per-phrase value exists."""

SAFETY_CEILING = 0.35
"""Thresholds for "that hurts" and the other safety phrases never exceed this: missing one is worse
than a false stop, which the user undoes with one word."""

ECHO_MARGIN = 0.1
"""Added to every threshold while the coach is speaking: its voice leaks back into the microphone."""

PHRASE_THRESHOLDS: dict[str, dict[str, float]] = {
    "pocketsphinx": {},
    "vosk": {},
}
"""Engine -> phrase -> threshold, written by the tuning run."""


def threshold_for(engine: str, phrase: str, safety: bool) -> float:
    value = PHRASE_THRESHOLDS.get(engine, {}).get(phrase, DEFAULT_THRESHOLD.get(engine, 0.5))
    return min(value, SAFETY_CEILING) if safety else value
