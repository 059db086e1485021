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

DOUBLE_TALK_MARGIN_DB = 10.0
"""dB by which an utterance in the echo-free residual must exceed the echo expected to remain there
to be the person's: at the expected level it is the coach's own voice, imperfectly removed.
`python -m bench bargein --tune` on the tuning voices found every margin from 6 to 12 dB within 10 %
of the same cost; the most cautious was kept (see bench/RESULTS.md, "Barge-in")."""

ECHO_REMOVED_RELIEF = {"pocketsphinx": 0.0, "vosk": 0.0}
"""Taken off a safety phrase's threshold when it was heard in audio with the coach's echo
subtracted and the double-talk check passed (`asr/bargein.py`). At the 10 dB margin a relief of
0.05 heard 2 more of the 108 tuning phrases and let 2 more false ones through; none is used."""

PHRASE_THRESHOLDS: dict[str, dict[str, float]] = {
    "pocketsphinx": {
        'again': 0.375,
        'back': 0.342,
        'continue': 0.388,
        'done': 0.6,
        'easier': 0.383,
        'eight': 0.335,
        'end session': 0.374,
        'faster': 0.6,
        'finish': 0.6,
        'five': 0.6,
        'four': 0.6,
        'go back': 0.591,
        'go on': 0.469,
        'harder': 0.453,
        'help': 0.6,
        'hold on': 0.34,
        'how long': 0.485,
        'it hurts': 0.335,
        'louder': 0.6,
        'make it easier': 0.441,
        'make it harder': 0.437,
        'next': 0.348,
        'nine': 0.335,
        'no': 0.392,
        'no thanks': 0.462,
        'nope': 0.6,
        'one': 0.414,
        'ouch': 0.335,
        'pain': 0.335,
        'pause': 0.335,
        'previous': 0.42,
        'quieter': 0.465,
        'ready': 0.469,
        'repeat': 0.6,
        'resume': 0.383,
        'say that again': 0.399,
        'seven': 0.514,
        'six': 0.335,
        'skip': 0.335,
        'slow down': 0.383,
        'slower': 0.389,
        'softer': 0.5,
        'speak up': 0.6,
        'speed up': 0.6,
        'stop': 0.335,
        'ten': 0.335,
        'that hurts': 0.343,
        'three': 0.6,
        'time left': 0.457,
        'two': 0.455,
        'wait': 0.354,
        'what can i say': 0.535,
        'yeah': 0.335,
        'yes': 0.335,
        'yes please': 0.348,
        'zero': 0.354,
    },
    "vosk": {},
}
"""Engine -> phrase -> threshold, written by the tuning run."""


def threshold_for(engine: str, phrase: str, safety: bool) -> float:
    value = PHRASE_THRESHOLDS.get(engine, {}).get(phrase, DEFAULT_THRESHOLD.get(engine, 0.5))
    return min(value, SAFETY_CEILING) if safety else value
