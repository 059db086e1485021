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
    "pocketsphinx": {
        'again': 0.308,
        'back': 0.475,
        'continue': 0.364,
        'done': 0.6,
        'easier': 0.532,
        'eight': 0.584,
        'end session': 0.311,
        'faster': 0.397,
        'finish': 0.292,
        'five': 0.6,
        'four': 0.546,
        'go back': 0.472,
        'go on': 0.452,
        'harder': 0.337,
        'help': 0.535,
        'hold on': 0.325,
        'how long': 0.33,
        'it hurts': 0.338,
        'louder': 0.396,
        'make it easier': 0.354,
        'make it harder': 0.36,
        'next': 0.311,
        'nine': 0.454,
        'no': 0.427,
        'no thanks': 0.404,
        'nope': 0.6,
        'one': 0.426,
        'ouch': 0.281,
        'pain': 0.419,
        'pause': 0.529,
        'previous': 0.398,
        'quieter': 0.465,
        'ready': 0.363,
        'repeat': 0.315,
        'resume': 0.411,
        'say that again': 0.284,
        'seven': 0.249,
        'six': 0.503,
        'skip': 0.271,
        'slow down': 0.398,
        'slower': 0.346,
        'softer': 0.388,
        'speak up': 0.442,
        'speed up': 0.506,
        'stop': 0.491,
        'ten': 0.522,
        'that hurts': 0.363,
        'three': 0.595,
        'time left': 0.458,
        'two': 0.476,
        'wait': 0.442,
        'what can i say': 0.441,
        'yeah': 0.487,
        'yes': 0.366,
        'yes please': 0.378,
        'zero': 0.263,
    },
    "vosk": {},
}
"""Engine -> phrase -> threshold, written by the tuning run."""


def threshold_for(engine: str, phrase: str, safety: bool) -> float:
    value = PHRASE_THRESHOLDS.get(engine, {}).get(phrase, DEFAULT_THRESHOLD.get(engine, 0.5))
    return min(value, SAFETY_CEILING) if safety else value
