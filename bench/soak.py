"""Soak: hours of idle listening and many sessions, watching memory, file descriptors and threads.

`python -m bench soak [--hours 8] [--sessions 20] [--write]`

Idle listening feeds the real listening pipeline (PocketSphinx) with simulated room audio: a noise
floor with speech now and then. Sessions run through the real `serve` loop under the simulated clock,
with random commands, writing a real SQLite history. Nothing waits in real time.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
import wave
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

from bench.dataset import SEEDS
from bench.results import format_rows, write_section
from voicecoach.asr import ListeningPipeline, make_recognizer
from voicecoach.audio.convert import convert_all
from voicecoach.audio.format import RECOGNIZER_RATE, AudioChunk
from voicecoach.commands import NUMBER_WORDS, PHRASES

CHUNK_S = 0.1
"""Seconds per chunk fed, as the microphone delivers them in a few blocks."""
NOISE_RMS = 0.003
"""Linear RMS of the room's noise floor (about -50 dBFS)."""
SPEECH_EVERY_S = (20.0, 90.0)
"""Seconds between bursts of speech in the room, drawn uniformly."""
SAMPLE_EVERY_S = 1800.0
"""Seconds of idle audio between memory samples."""
MAX_GROWTH_MB = 5.0
FALLBACK_SENTENCES = (
    "The psoas is one of your hip flexor muscles.",
    "It connects your upper leg bone to your spine.",
    "We were going to go back to the table after dinner.",
    "What a day it has been, I need to sit down for a while.",
)


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def speech_pool(folder: Path, count: int) -> list[np.ndarray]:
    """Sentences from the seed documents and command phrases, spoken by flite, at 16 kHz."""
    sentences = list(FALLBACK_SENTENCES)
    for seed in sorted(SEEDS.glob("*.txt")):
        text = seed.read_text(encoding="utf-8", errors="replace")
        sentences += [s.strip() for s in text.replace("\n", " ").split(".") if 20 < len(s.strip()) < 160]
    phrases = [p for group in PHRASES.values() for p in group] + list(NUMBER_WORDS)
    rng = random.Random(1)
    chosen = rng.sample(sentences, min(count, len(sentences))) + rng.sample(phrases, min(count // 2, len(phrases)))
    pool = []
    for index, text in enumerate(chosen):
        path = folder / f"speech-{index}.wav"
        subprocess.run(["flite", "-voice", rng.choice(["slt", "kal16", "awb", "rms"]), "-t", text, "-o", str(path)], check=True)
        with wave.open(str(path)) as source:
            samples = np.frombuffer(source.readframes(source.getnframes()), dtype="<i2")
            chunk = convert_all(AudioChunk.from_samples(samples, source.getframerate()), RECOGNIZER_RATE)
        pool.append(chunk.samples()[:, 0])
    return pool


WARM_UP_LISTENING_S = 300.0
"""Seconds of idle audio fed before the baseline, so the recognizer's buffers have grown once."""


def idle_listening(pipeline: ListeningPipeline, hours: float, pool: list[np.ndarray], samples: list, label: str = "idle") -> dict:
    rng = np.random.default_rng(7)
    total_s, detections, next_speech = hours * 3600, 0, rng.uniform(*SPEECH_EVERY_S)
    chunk_frames = int(CHUNK_S * RECOGNIZER_RATE)
    pending = np.zeros(0, dtype=np.int16)
    fed, next_sample, cpu = 0.0, SAMPLE_EVERY_S, time.process_time()
    while fed < total_s:
        block = (rng.normal(0.0, NOISE_RMS, chunk_frames) * np.iinfo(np.int16).max).astype(np.int32)
        if fed >= next_speech and len(pending) == 0:
            pending = pool[int(rng.integers(len(pool)))]
            next_speech = fed + rng.uniform(*SPEECH_EVERY_S)
        if len(pending):
            speech = pending[:chunk_frames]
            block[: len(speech)] += speech
            pending = pending[chunk_frames:]
        chunk = AudioChunk.from_samples(np.clip(block, -32768, 32767).astype(np.int16), RECOGNIZER_RATE)
        detections += len(pipeline.feed(chunk))
        fed += CHUNK_S
        if fed >= next_sample:
            samples.append((f"{label} {fed / 3600:.1f} h", rss_mb(), open_fds(), threading.active_count()))
            next_sample += SAMPLE_EVERY_S
    return {"hours": hours, "detections": detections, "cpu_s_per_audio_s": (time.process_time() - cpu) / total_s}


def sessions(count: int, data_dir: Path, samples: list) -> dict:
    from voicecoach.cli import main as cli_main
    from voicecoach.routine.library import bundled_routines

    rng = random.Random(3)
    titles = [routine.title.lower() for routine in bundled_routines()]
    phrases = [p for group in PHRASES.values() for p in group] + list(NUMBER_WORDS) + ["mumble"]
    ended = 0
    for index in range(count):
        commands, at = [f"1 coach start {rng.choice(titles)}"], 5.0
        for _ in range(rng.randint(5, 40)):
            at += rng.uniform(0.5, 30.0)
            commands.append(f"{at:.1f} {rng.choice(phrases)}")
        commands += [f"{at + 1:.1f} end session", f"{at + 2:.1f} yes", f"{at + 2000:.1f} coach goodbye"]
        script = data_dir / f"session-{index}.txt"
        script.write_text("\n".join(commands) + "\n")
        with open(os.devnull, "w") as quiet:
            stdout, sys.stdout = sys.stdout, quiet
            try:
                code = cli_main(["serve", "--text", "--fast", "--commands", str(script), "--data-dir", str(data_dir)])
            finally:
                sys.stdout = stdout
        ended += code == 0
        samples.append((f"session {index + 1}", rss_mb(), open_fds(), threading.active_count()))
    return {"sessions": count, "ended_cleanly": ended}


def run(hours: float, count: int) -> tuple[list[tuple[str, str]], list[tuple[str, float, int, int]]]:
    samples: list[tuple[str, float, int, int]] = []
    with tempfile.TemporaryDirectory() as folder:
        pool = speech_pool(Path(folder), 24)
        started = time.perf_counter()
        # One recognizer for the whole run, as in `serve`; warm it and the session code up first.
        pipeline = ListeningPipeline(make_recognizer("pocketsphinx"))
        idle_listening(pipeline, WARM_UP_LISTENING_S / 3600, pool, samples, "warm-up")
        sessions(1, Path(folder), samples)
        samples.append(("after warm-up", rss_mb(), open_fds(), threading.active_count()))
        baseline = samples[-1]
        idle = idle_listening(pipeline, hours, pool, samples)
        served = sessions(count, Path(folder), samples)
        wall = time.perf_counter() - started
    final = samples[-1]
    growth = final[1] - baseline[1]
    rows = [
        ("simulated idle listening", f"{idle['hours']:g} h (noise floor, speech every 20-90 s)"),
        ("detections while idle (command grammar)", str(idle["detections"])),
        ("idle CPU s per audio s", f"{idle['cpu_s_per_audio_s']:.4f}"),
        ("sessions served (random commands)", f"{served['ended_cleanly']} of {served['sessions']} ended cleanly"),
        ("memory after warm-up / at end", f"{baseline[1]:.1f} MB / {final[1]:.1f} MB"),
        ("memory growth", f"{growth:+.1f} MB (target < {MAX_GROWTH_MB:g} MB): {'met' if growth < MAX_GROWTH_MB else 'MISSED'}"),
        ("open file descriptors after warm-up / at end", f"{baseline[2]} / {final[2]}: {'no leak' if final[2] <= baseline[2] else 'LEAK'}"),
        ("threads after warm-up / at end", f"{baseline[3]} / {final[3]}: {'no leak' if final[3] <= baseline[3] else 'LEAK'}"),
        ("peak memory (max RSS)", f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f} MB"),
        ("wall time", f"{wall:.0f} s"),
    ]
    return rows, samples


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench soak", description=__doc__)
    parser.add_argument("--hours", type=float, default=8.0, help="simulated hours of idle listening")
    parser.add_argument("--sessions", type=int, default=20, help="sessions served with random commands")
    parser.add_argument("--write", action="store_true", help="write the table into RESULTS.md")
    args = parser.parse_args(argv)
    rows, samples = run(args.hours, args.sessions)
    table = format_rows(rows)
    trace = format_rows([(name, f"{mb:.1f}", fds, threads) for name, mb, fds, threads in samples], ("point", "RSS MB", "fds", "threads"))
    print(table)
    print()
    print(trace)
    if args.write:
        command = "python -m bench soak " + " ".join(argv if argv is not None else sys.argv[1:])
        write_section("Soak", f"Made by `{command.strip()}`.\n\n{table}\n\n<details><summary>trace</summary>\n\n{trace}\n\n</details>")
    failed = any("MISSED" in value or "LEAK" in value for _, value in rows)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
