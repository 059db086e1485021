"""Barge-in benchmark: safety commands said over the coach's counts, heard through its own echo.

    python -m bench bargein [--quick] [--tune] [--write]

A microphone beside the loudspeaker hears the coach count once a second while a voice says a
safety phrase ("that hurts", "stop", ...) at a random moment of a count. The player's SpeechLog
carries what it played, as the live player's does, so the pipeline can subtract the echo. Two echo
paths: "near" (the microphone beside the speaker: direct sound, a short tail) and "room" (the
benchmark's reverberant living room), each with the echo as loud as the voice and 6 dB louder.
The same audio without the played samples in the log measures what echo removal adds.
Tuning (`--tune`) uses the tuning voices only; the table reports the held-out voices.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from dataclasses import dataclass
from typing import Iterator, Optional, Sequence

import numpy as np

from bench import dataset, negatives
from bench.recognition import Counter
from bench.results import format_rows, write_section
from voicecoach.asr.factory import make_recognizer
from voicecoach.asr.pipeline import ListeningPipeline
from voicecoach.asr.rejection import RejectionRules
from voicecoach.audio.activity import SpeechLog
from voicecoach.audio.format import RECOGNIZER_RATE, AudioChunk
from voicecoach.commands import SAFETY_COMMANDS, CommandId, all_phrases

RATE = RECOGNIZER_RATE
COUNTS = 8
"""Counts the coach says, one a second from `FIRST_COUNT_S`."""
FIRST_COUNT_S = 1.0
ECHO_DELAY_S = 0.05
"""Seconds from the logged play time to the microphone: output and input buffers and the air."""
SAY_FROM_S, SAY_SPAN_S = 3.0, 1.0
"""The voice starts at a random moment of the count cycle from `SAY_FROM_S` on."""
ECHO_LEVELS_DB = (0.0, 6.0)
"""Echo power over the voice's power: as loud as the person, and louder (the speaker is nearer)."""
NEAR_TAIL_DB = -12.0
"""Power of the near path's reverberant tail relative to its direct sound."""
NEAR_TAIL_S = 0.08
"""Seconds for the near path's tail to fall by 1/e in amplitude."""
NOISE_RMS = 10.0
"""int16 steps of steady room and microphone noise."""
RELIEF_GRID = (0.0, 0.05)
"""Threshold reliefs tried by `--tune`."""
MARGIN_GRID_DB = (6.0, 8.0, 10.0, 12.0)
"""Double-talk margins tried by `--tune`."""
MISS_COST, FALSE_COST = 3.0, 1.0
"""As for the other safety-phrase thresholds: a missed "that hurts" costs three false pauses."""


def near_path(rng: np.random.Generator) -> np.ndarray:
    length = int(4 * NEAR_TAIL_S * RATE)
    t = np.arange(length) / RATE
    tail = rng.standard_normal(length) * np.exp(-t / NEAR_TAIL_S)
    tail *= np.sqrt(10 ** (NEAR_TAIL_DB / 10) / np.sum(tail ** 2))
    tail[0] = 1.0
    return tail


@dataclass
class Trial:
    label: Optional[str]
    """The safety phrase said, or None when nobody speaks a command."""
    audio: np.ndarray
    log: SpeechLog
    voice: str
    split: str


def seed_of(*parts) -> int:
    return int(hashlib.sha1(repr(parts).encode()).hexdigest()[:8], 16)


def over_counts(words: Optional[np.ndarray], seed: int, path: str, echo_db: float, log_audio: bool,
                coach_texts: Sequence[str] = ()) -> tuple[np.ndarray, SpeechLog]:
    """The microphone's audio and the player's log: counts (then `coach_texts`), and `words` over them."""
    rng = np.random.default_rng(seed)
    texts = [str(n) for n in range(1, COUNTS + 1)] + list(coach_texts)
    clips = [dataset.synthesize(dataset.COACH_VOICE, 1.0, text) for text in texts]
    starts, moment = [], FIRST_COUNT_S
    for clip in clips:
        starts.append(moment)
        moment = max(moment + 1.0, moment + len(clip) / RATE + 0.5)
    echo_path = near_path(rng) if path == "near" else dataset.room_impulse(rng)
    mic = np.zeros(int((moment + 1.5) * RATE))
    log = SpeechLog()
    echo = np.zeros_like(mic)
    for text, clip, start in zip(texts, clips, starts):
        entry = log.started(text, "count", start, AudioChunk.from_samples(clip, RATE) if log_audio else None)
        log.ended(entry, start + len(clip) / RATE)
        heard = np.convolve(clip.astype(np.float64), echo_path)
        at = int((start + ECHO_DELAY_S) * RATE)
        echo[at : at + len(heard)] += heard[: len(mic) - at]
    if words is not None:
        voice = words.astype(np.float64)
        active = voice[np.abs(voice) > np.abs(voice).max() * 0.05]
        echo_active = echo[np.abs(echo) > np.abs(echo).max() * 0.05]
        echo *= np.sqrt(np.mean(active ** 2) * 10 ** (echo_db / 10) / np.mean(echo_active ** 2))
        at = int((SAY_FROM_S + rng.uniform(0, SAY_SPAN_S)) * RATE)
        mic[at : at + len(voice)] += voice
    mic += echo + rng.standard_normal(len(mic)) * NOISE_RMS
    return np.clip(mic, -32768, 32767).astype(np.int16), log


def safety_phrases() -> list[str]:
    return sorted(text for text, command in all_phrases().items() if command.id in SAFETY_COMMANDS)


def trials(split: str, log_audio: bool = True, quick: bool = False) -> Iterator[Trial]:
    for voice in dataset.VOICES:
        if voice.split != split:
            continue
        name = f"{voice.synth}:{voice.name}"
        phrases = ["that hurts"] if quick else safety_phrases()
        for text in phrases:
            words = dataset.synthesize(voice, 1.0, text)
            for path in ("near", "room"):
                for echo_db in ECHO_LEVELS_DB:
                    audio, log = over_counts(words, seed_of(name, text, path, echo_db), path, echo_db, log_audio)
                    yield Trial(text, audio, log, name, split)
        # Conversation over the counts: nobody says a command.
        for text in negatives.NEGATIVE_TEXTS[:: 8 if quick else 2]:
            words = dataset.synthesize(voice, 1.0, text)
            path = ("near", "room")[seed_of(name, text) % 2]
            audio, log = over_counts(words, seed_of(name, text, "neg"), path, 0.0, log_audio)
            yield Trial(None, audio, log, name, split)


CUES_PER_STREAM = 6


def coach_alone(split: str, log_audio: bool = True) -> Iterator[Trial]:
    """The counts and routine cues, through both paths, with nobody else speaking. The tuning split
    and the reported one take alternate groups of cues and their own room paths."""
    cues = dataset.cue_texts()
    groups = range(0 if split == "tune" else CUES_PER_STREAM, len(cues), 2 * CUES_PER_STREAM)
    for path in ("near", "room"):
        for first in groups:
            seed = seed_of(split, path, first)
            audio, log = over_counts(None, seed, path, 0.0, log_audio, cues[first : first + CUES_PER_STREAM])
            yield Trial(None, audio, log, "coach", split)


def score(recognizer, items, rules: RejectionRules, counter: Counter) -> dict:
    """Hits per phrase, and false detections on trials with no command, over `items`."""
    hits: dict[str, list[bool]] = {}
    false, seconds = 0, 0.0
    for trial in items:
        pipeline = ListeningPipeline(recognizer, speech_log=trial.log, rules=rules)
        found = [d for d in counter.run(pipeline, trial.audio) if d.command.id in SAFETY_COMMANDS]
        if trial.label is None:
            false += len(found)
            seconds += len(trial.audio) / RATE
        else:
            said = all_phrases()[trial.label]
            ok = len(found) == 1 and found[0].command == said
            hits.setdefault(trial.label, []).append(ok)
            false += sum(d.command != said for d in found)
    return {"hits": hits, "false": false, "negative_seconds": seconds}


def tune(engine: str) -> tuple[float, float]:
    """(double-talk margin dB, threshold relief) with the lowest cost on the tuning split among
    those under which the coach alone triggers nothing (the issue's target: none from its cues)."""
    recognizer = make_recognizer(engine)
    tuning, alone = list(trials("tune")), list(coach_alone("tune"))
    best = None
    for margin in MARGIN_GRID_DB:
        for relief in RELIEF_GRID:
            rules = RejectionRules(double_talk_margin_db=margin, echo_removed_relief=relief)
            result = score(recognizer, tuning, rules, Counter())
            from_coach = score(recognizer, alone, rules, Counter())["false"]
            misses = sum(not ok for oks in result["hits"].values() for ok in oks)
            cost = MISS_COST * misses + FALSE_COST * result["false"]
            print(f"margin {margin} dB, relief {relief}: {misses} missed, {result['false']} false, "
                  f"{from_coach} from the coach alone, cost {cost}", file=sys.stderr)
            if from_coach == 0 and (best is None or cost < best[0]):
                best = (cost, margin, relief)
    if best is None:
        raise SystemExit("no setting kept the coach alone from triggering a command")
    return best[1], best[2]


def run(engine: str, quick: bool) -> list[tuple[str, str]]:
    recognizer = make_recognizer(engine)
    rows = []
    for log_audio, label in ((True, "echo removed"), (False, "no echo removal")):
        counter = Counter()
        result = score(recognizer, trials("test", log_audio, quick), RejectionRules(), counter)
        hurt = result["hits"].get("that hurts", [])
        every = [ok for oks in result["hits"].values() for ok in oks]
        rows.append((f"{label}: \"that hurts\" over counts", f"{np.mean(hurt):.3f} (n={len(hurt)})"))
        rows.append((f"{label}: any safety phrase over counts", f"{np.mean(every):.3f} (n={len(every)})"))
        per_hour = result["false"] / (result["negative_seconds"] / 3600) if result["negative_seconds"] else 0.0
        rows.append((f"{label}: false safety commands, conversation over counts", f"{result['false']} ({per_hour:.1f}/h)"))
        alone = score(recognizer, coach_alone("test", log_audio), RejectionRules(), counter)
        minutes = alone["negative_seconds"] / 60
        rows.append((f"{label}: false commands from the coach alone", f"{alone['false']} in {minutes:.1f} min"))
        rows.append((f"{label}: CPU s per audio s", f"{counter.cpu / counter.audio:.3f}"))
    return rows


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench bargein", description=__doc__)
    parser.add_argument("--engine", default="pocketsphinx")
    parser.add_argument("--quick", action="store_true", help='only "that hurts", fewer conversation phrases')
    parser.add_argument("--tune", action="store_true", help="print the threshold relief tuned on the tuning voices")
    parser.add_argument("--write", action="store_true", help="write the table into bench/RESULTS.md")
    args = parser.parse_args(argv)
    if args.tune:
        print(args.engine, tune(args.engine))
        return 0
    started = time.time()
    rows = run(args.engine, args.quick)
    table = format_rows(rows, ("metric", "value"))
    print(table)
    if args.write:
        command = "python -m bench bargein " + " ".join(argv if argv is not None else sys.argv[1:])
        write_section("Barge-in", f"Made by `{command.strip()}` in {time.time() - started:.0f} s.\n\n{table}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
