"""Per-phrase confidence thresholds, tuned by `python -m bench recognition --tune` on the tuning voices.

Only the tuning split (see `bench/dataset.py`) and the tuning negatives (`bench/negatives.py`) are
ever used to set these; the held-out voices measure them. A phrase without an entry uses the
engine's default. PocketSphinx values were tuned with the comfort-noise floor of `sphinx.py` on.
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
        'again': 0.393,
        'back': 0.438,
        'continue': 0.412,
        'done': 0.6,
        'easier': 0.458,
        'eight': 0.6,
        'end session': 0.363,
        'faster': 0.505,
        'finish': 0.427,
        'five': 0.6,
        'four': 0.599,
        'go back': 0.6,
        'go on': 0.508,
        'harder': 0.504,
        'help': 0.6,
        'hold on': 0.356,
        'how long': 0.43,
        'it hurts': 0.39,
        'louder': 0.521,
        'make it easier': 0.438,
        'make it harder': 0.374,
        'next': 0.429,
        'nine': 0.547,
        'no': 0.568,
        'no thanks': 0.49,
        'nope': 0.6,
        'one': 0.584,
        'ouch': 0.352,
        'pain': 0.334,
        'pause': 0.359,
        'previous': 0.474,
        'quieter': 0.508,
        'ready': 0.518,
        'repeat': 0.568,
        'resume': 0.395,
        'say that again': 0.361,
        'seven': 0.518,
        'six': 0.463,
        'skip': 0.443,
        'slow down': 0.465,
        'slower': 0.465,
        'softer': 0.494,
        'speak up': 0.565,
        'speed up': 0.6,
        'stop': 0.363,
        'ten': 0.435,
        'that hurts': 0.366,
        'three': 0.569,
        'time left': 0.5,
        'two': 0.6,
        'wait': 0.497,
        'what can i say': 0.474,
        'yeah': 0.452,
        'yes': 0.39,
        'yes please': 0.467,
        'zero': 0.354,
    },
    "vosk": {},
}
"""Engine -> phrase -> threshold, written by the tuning run."""


def threshold_for(engine: str, phrase: str, safety: bool) -> float:
    value = PHRASE_THRESHOLDS.get(engine, {}).get(phrase, DEFAULT_THRESHOLD.get(engine, 0.5))
    return min(value, SAFETY_CEILING) if safety else value
