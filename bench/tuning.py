"""Per-phrase confidence thresholds from the tuning data only: `python -m bench recognition --tune`.

Tuned with every command active, as the benchmark measures. Tuning each phrase in its session
context instead (numbers with only the question grammar active) was tried and made number
thresholds stricter, not looser: every other tuning clip is then forced onto a number.
"""

from __future__ import annotations

import collections
import itertools
import sys

import numpy as np

from bench import dataset, negatives
from bench.recognition import Counter, score_samples
from voicecoach.asr.factory import make_recognizer
from voicecoach.asr.rejection import RejectionRules
from voicecoach.commands import SAFETY_COMMANDS

TUNE_MISS_COST = 1.0
TUNE_FALSE_COST = 3.0
"""A wrong command costs three missed ones: a miss is repeated, a wrong action must be undone."""
TUNE_SAFETY_MISS_COST = 3.0
TUNE_SAFETY_FALSE_COST = 1.0
"""For the safety phrases ("that hurts" and its variants, stop, pause) the costs swap: a missed one
leaves the user in pain, a false one only pauses the session and asks a question."""
TUNE_FLOOR_PERCENTILE = 10.0
"""No phrase's threshold goes below this percentile of all correct tuning confidences pooled: a
phrase with few wrong tuning examples would otherwise get a threshold near zero and accept anything."""
TUNE_MAX_THRESHOLD = 0.6
"""No phrase is tuned out of existence: above this, even clean correct clips are mostly rejected."""

def tuning_samples():
    """The tuning voices in every condition, and the tuning negatives (never the held-out voices)."""
    return itertools.chain(
        dataset.command_samples(splits=("tune",)),
        negatives.synthetic_negatives(splits=("tune",), conditions=("clean", "snr10")),
        negatives.human_tuning_negatives(),
    )


def tune(engine: str) -> dict[str, float]:
    """Per-phrase thresholds. Right: a tuning clip heard as its own command. Wrong: heard as another
    command, or any detection in the tuning negatives."""
    recognizer = make_recognizer(engine)
    rules = RejectionRules(use_thresholds=False)
    right: dict[str, list[float]] = collections.defaultdict(list)
    wrong: dict[str, list[float]] = collections.defaultdict(list)
    safety = set()
    for sample, found, _ in score_samples(recognizer, tuning_samples(), Counter(), rules):
        for detection in found:
            (right if detection.command == sample.label else wrong)[detection.phrase].append(detection.confidence)
            if detection.command.id in SAFETY_COMMANDS:
                safety.add(detection.phrase)
    floor = float(np.percentile([c for values in right.values() for c in values], TUNE_FLOOR_PERCENTILE))
    thresholds = {}
    for phrase in sorted(set(right) | set(wrong)):
        miss_cost = TUNE_SAFETY_MISS_COST if phrase in safety else TUNE_MISS_COST
        false_cost = TUNE_SAFETY_FALSE_COST if phrase in safety else TUNE_FALSE_COST
        grid = sorted(set(right[phrase] + wrong[phrase] + [0.0]))

        def cost(t: float) -> float:
            return (miss_cost * sum(c < t for c in right[phrase])
                    + false_cost * sum(c >= t for c in wrong[phrase]))
        best = min(grid, key=lambda t: (cost(t), -t)) - 1e-3
        thresholds[phrase] = round(min(max(best, floor), TUNE_MAX_THRESHOLD), 3)
        print(f"{phrase!r}: {len(right[phrase])} right, {len(wrong[phrase])} wrong, threshold "
              f"{thresholds[phrase]}, keeps {sum(c >= thresholds[phrase] for c in right[phrase])} right and "
              f"{sum(c >= thresholds[phrase] for c in wrong[phrase])} wrong", file=sys.stderr)
    return thresholds
