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
        'again': 0.442,
        'back': 0.412,
        'continue': 0.338,
        'done': 0.546,
        'easier': 0.4,
        'eight': 0.324,
        'end session': 0.479,
        'faster': 0.446,
        'finish': 0.358,
        'five': 0.43,
        'four': 0.482,
        'go back': 0.472,
        'go on': 0.492,
        'harder': 0.368,
        'help': 0.395,
        'hold on': 0.454,
        'how long': 0.344,
        'it hurts': 0.377,
        'louder': 0.438,
        'make it easier': 0.335,
        'make it harder': 0.362,
        'next': 0.363,
        'nine': 0.473,
        'no': 0.389,
        'no thanks': 0.492,
        'nope': 0.483,
        'one': 0.558,
        'ouch': 0.522,
        'pain': 0.39,
        'pause': 0.351,
        'previous': 0.411,
        'quieter': 0.513,
        'ready': 0.409,
        'repeat': 0.488,
        'resume': 0.359,
        'say that again': 0.482,
        'seven': 0.452,
        'six': 0.435,
        'skip': 0.418,
        'slow down': 0.352,
        'slower': 0.323,
        'softer': 0.459,
        'speak up': 0.427,
        'speed up': 0.458,
        'stop': 0.55,
        'that hurts': 0.33,
        'three': 0.508,
        'time left': 0.448,
        'two': 0.522,
        'wait': 0.39,
        'what can i say': 0.577,
        'yeah': 0.497,
        'yes please': 0.425,
        'zero': 0.317,
    },
    "vosk": {},
}
"""Engine -> phrase -> threshold, written by the tuning run."""


def threshold_for(engine: str, phrase: str, safety: bool) -> float:
    value = PHRASE_THRESHOLDS.get(engine, {}).get(phrase, DEFAULT_THRESHOLD.get(engine, 0.5))
    return min(value, SAFETY_CEILING) if safety else value
