"""Recognition benchmark: accuracy, false accepts, latency, CPU and memory for each engine.

    python -m bench recognition [--engines pocketsphinx,vosk] [--quick] [--tune] [--write]

Everything runs through `ListeningPipeline`, the path the microphone uses. `--tune` sets the
per-phrase thresholds from the tuning voices only and prints them for voicecoach/asr/thresholds.py.
"""

from __future__ import annotations

import argparse
import collections
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path
from typing import Iterable, Optional, Sequence

import numpy as np

from bench import dataset, negatives
from bench.results import RESULTS, write_section
from voicecoach.asr.factory import make_recognizer
from voicecoach.asr.pipeline import ListeningPipeline
from voicecoach.asr.rejection import RejectionRules
from voicecoach.audio.activity import SpeechLog
from voicecoach.audio.format import RECOGNIZER_RATE, AudioChunk
from voicecoach.commands import SAFETY_COMMANDS, CommandId
from voicecoach.errors import EngineUnavailable

FEED_S = 0.02
"""Seconds per chunk fed: the microphone's block size."""
COACH_GAP_S = 0.5
"""Seconds of quiet between coach cues in the echo stream."""
TARGETS = {
    "clean accuracy": (">=", 0.95), "snr10 accuracy": (">=", 0.90), "that hurts accuracy": (">=", 0.98),
    "FA/h ordinary speech": ("<=", 1.0), "FA/h coach cues": ("<=", 0.0),
    "latency median s": ("<=", 0.30), "latency p95 s": ("<=", 0.50),
    "CPU s per audio s": ("<=", 0.10), "peak memory MB": ("<=", 250.0),
}


def feed(pipeline: ListeningPipeline, audio: np.ndarray) -> list:
    step = int(FEED_S * RECOGNIZER_RATE)
    found = []
    for start in range(0, len(audio), step):
        found += pipeline.feed(AudioChunk.from_samples(audio[start:start + step], RECOGNIZER_RATE))
    return found + pipeline.finish()


class Counter:
    def __init__(self) -> None:
        self.cpu = 0.0
        self.audio = 0.0

    def run(self, pipeline: ListeningPipeline, audio: np.ndarray) -> list:
        begin = time.process_time()
        found = feed(pipeline, audio)
        self.cpu += time.process_time() - begin
        self.audio += len(audio) / RECOGNIZER_RATE
        return found


def score_samples(recognizer, samples: Iterable[dataset.Sample], counter: Counter, rules=RejectionRules(),
                  commands=None):
    """Per sample: (sample, detections, latency or None); `commands` active (default: all)."""
    for sample in samples:
        pipeline = ListeningPipeline(recognizer, rules=rules, commands=commands)
        found = counter.run(pipeline, sample.audio)
        latency = None
        if sample.label is not None and found and found[0].command == sample.label:
            latency = found[0].at - sample.speech_end
        yield sample, found, latency


def correct(sample, found) -> bool:
    if sample.label is None:
        return not found
    return len(found) == 1 and found[0].command == sample.label


def false_accepts(recognizer, streams, counter: Counter, speech_log_for=None) -> tuple[int, float, list, int]:
    """(detections, seconds, examples, detections that only pause: hurt, stop or pause)."""
    count, seconds, examples, pausing = 0, 0.0, [], 0
    for name, audio, log in streams:
        pipeline = ListeningPipeline(recognizer, speech_log=log)
        found = counter.run(pipeline, audio)
        count += len(found)
        pausing += sum(d.command.id in SAFETY_COMMANDS for d in found)
        seconds += len(audio) / RECOGNIZER_RATE
        examples += [f"{name}: {d.phrase}" for d in found]
    return count, seconds, examples, pausing


def coach_stream():
    """Each cue, echoed, as its own stream with a SpeechLog (stream time) marking it as the coach.

    One log per cue: a SpeechLog keeps only its recent history, as the live one does.
    """
    gap = np.zeros(int(COACH_GAP_S * RECOGNIZER_RATE), np.int16)
    for index, text in enumerate(dataset.cue_texts()):
        clip = dataset.coach_echo(text, index)
        log = SpeechLog()
        # With the samples played, as the live player logs them, so the echo remover runs too.
        played = AudioChunk.from_samples(dataset.synthesize(dataset.COACH_VOICE, 1.0, text), RECOGNIZER_RATE)
        utterance = log.started(text, "cue", COACH_GAP_S, played)
        log.ended(utterance, COACH_GAP_S + len(clip) / RECOGNIZER_RATE)
        yield f"cue {index}", np.concatenate([gap, clip, gap]), log


MEMORY_PROBE = (
    "import re, sys\n"
    "from voicecoach.cli import main\n"
    "main(['recognize', '--engine', sys.argv[1], sys.argv[2]])\n"
    "status = open('/proc/self/status').read()\n"
    "print(re.search(r'VmHWM:\\s+(\\d+)', status).group(1), file=sys.stderr)\n"
)
"""Runs `voicecoach recognize` in a fresh interpreter and reports its peak RSS (VmHWM, kB).
Not ru_maxrss: Linux carries that over exec from the forked benchmark process."""


def peak_memory_mb(engine: str, audio: np.ndarray) -> float:
    """Peak resident memory of `voicecoach recognize` on `audio`, in its own process."""
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "m.wav"
        with wave.open(str(path), "wb") as writer:
            writer.setnchannels(1), writer.setsampwidth(2), writer.setframerate(RECOGNIZER_RATE)
            writer.writeframes(audio.tobytes())
        done = subprocess.run([sys.executable, "-c", MEMORY_PROBE, engine, str(path)],
                              check=True, capture_output=True, text=True)
    return int(done.stderr.strip().splitlines()[-1]) / 1024


def pct(values: list[bool]) -> Optional[float]:
    return sum(values) / len(values) if values else None


def run(engines: Sequence[str] = ("pocketsphinx", "vosk"), quick: bool = False) -> list[dict]:
    """One row per (engine, metric): {"engine", "metric", "value", "target", "met"}."""
    rows: list[dict] = []
    speeds = (1.0,) if quick else dataset.SPEEDS
    for engine in engines:
        try:
            recognizer = make_recognizer(engine)
        except EngineUnavailable as error:
            rows.append({"engine": engine, "metric": "unavailable", "value": str(error), "target": "", "met": None})
            continue
        counter = Counter()
        by: dict[str, list[bool]] = collections.defaultdict(list)
        latencies: list[float] = []
        samples = (s for s in dataset.command_samples(splits=("test",)) if s.speed in speeds)
        for sample, found, latency in score_samples(recognizer, samples, counter):
            ok = correct(sample, found)
            by[f"{sample.condition} accuracy"].append(ok)
            if sample.label.id is CommandId.HURT and sample.text == "that hurts":
                by["that hurts accuracy"].append(ok)
            if latency is not None and sample.condition == "clean":
                latencies.append(latency)
        others = negatives.synthetic_negatives(splits=("test",))
        for sample, found, _ in score_samples(recognizer, others, counter):
            by["synthetic other words (no detection)"].append(correct(sample, found))
        human = dataset.human_command_samples(fsdd_per_digit=5 if quick else 20)
        for sample, found, _ in score_samples(recognizer, human, counter):
            key = f"human {sample.group} {'command words' if sample.label else 'other words (no detection)'}"
            by[key].append(correct(sample, found))
        ordinary = [(n, a, None) for n, a in dataset.ordinary_speech()]
        if quick:
            ordinary = ordinary[::5]
        n_ord, s_ord, ex_ord, pausing_ord = false_accepts(recognizer, ordinary, counter)
        n_cue, s_cue, ex_cue, _ = false_accepts(recognizer, coach_stream(), counter)
        values = {name: pct(v) for name, v in sorted(by.items())}
        values["FA/h ordinary speech"] = n_ord / (s_ord / 3600)
        values["FA/h ordinary speech, only pausing (hurt, stop, pause)"] = pausing_ord / (s_ord / 3600)
        values["FA/h coach cues"] = n_cue / (s_cue / 3600)
        values["ordinary speech minutes"] = s_ord / 60
        values["coach cue minutes"] = s_cue / 60
        if latencies:
            values["latency median s"] = statistics.median(latencies)
            values["latency p95 s"] = float(np.percentile(latencies, 95))
        values["CPU s per audio s"] = counter.cpu / counter.audio
        values["peak memory MB"] = peak_memory_mb(engine, dataset.ordinary_speech_sample())
        for metric, value in values.items():
            target = TARGETS.get(metric)
            met = None
            if target and value is not None:
                met = value >= target[1] if target[0] == ">=" else value <= target[1]
            rows.append({"engine": engine, "metric": metric, "value": value,
                         "target": f"{target[0]} {target[1]}" if target else "", "met": met,
                         "n": len(by[metric]) if metric in by else None})
        for example in (ex_ord + ex_cue)[:20]:
            rows.append({"engine": engine, "metric": "false accept", "value": example, "target": "", "met": None})
    return rows


def format_rows(rows: list[dict]) -> str:
    lines = ["| engine | metric | value | target | met |", "|---|---|---|---|---|"]
    for row in rows:
        value = row["value"]
        shown = f"{value:.3f}" if isinstance(value, float) else str(value)
        if row.get("n"):
            shown += f" (n={row['n']})"
        met = {True: "yes", False: "**no**", None: ""}[row["met"]]
        lines.append(f"| {row['engine']} | {row['metric']} | {shown} | {row['target']} | {met} |")
    return "\n".join(lines)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench recognition", description=__doc__)
    parser.add_argument("--engines", default="pocketsphinx,vosk")
    parser.add_argument("--quick", action="store_true", help="one speed, fewer human clips and less ordinary speech")
    parser.add_argument("--tune", action="store_true", help="print thresholds tuned on the tuning voices")
    parser.add_argument("--write", action="store_true", help=f"write the table into {RESULTS.name}")
    args = parser.parse_args(argv)
    engines = [e for e in args.engines.split(",") if e]
    if args.tune:
        from bench.tuning import tune

        for engine in engines:
            print(engine, tune(engine))
        return 0
    started = time.time()
    rows = run(engines, args.quick)
    table = format_rows(rows)
    print(table)
    if args.write:
        command = "python -m bench recognition " + " ".join(argv if argv is not None else sys.argv[1:])
        write_section("Recognition", f"Made by `{command.strip()}` in {time.time() - started:.0f} s.\n\n{table}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
