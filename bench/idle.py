"""Idle listening for `serve`: are requests understood, and does room speech ever wake the coach?

`python -m bench idle [--quick] [--write]`

Requests ("hey coach, start psoas basics", ...) are synthesized by the dataset's voices, split into
tuning and held-out voices, clean and degraded. False wakes are counted on ordinary speech with no
requests in it: LibriSpeech read speech and the seed documents read aloud. A false wake is any
phrase heard that begins with the wake phrase.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections import defaultdict
from typing import Optional, Sequence

import numpy as np

from bench import dataset
from bench.results import format_rows, write_section
from voicecoach.asr.phrase_listener import MIN_CONFIDENCE, WAKE_MIN_CONFIDENCE, PhraseListener
from voicecoach.audio.format import RECOGNIZER_RATE, AudioChunk
from voicecoach.routine.library import bundled_routines
from voicecoach.serve.grammar import idle_phrases, wake_threshold
from voicecoach.serve.requests import parse_request, strip_wake

WAKES = ("coach", "hey coach")
CHUNK_S = 0.1
REQUESTS = (
    "coach",
    "hey coach",
    "coach, what routines are there",
    "hey coach, start psoas basics",
    "coach, start the assisted stretch",
    "coach, start hip flexor stretches",
    "coach, start psoas release",
    "hey coach, start the spine and hip strength routine",
    "coach, resume",
    "coach, goodbye",
    "coach, help",
)
SECONDS_PER_HOUR = 3600


def meaning(text: str, routines) -> tuple:
    rest = strip_wake(text, WAKES)
    if rest is None:
        return ("no wake",)
    if rest == "":
        return ("wake",)
    request = parse_request(rest, routines)
    return (request.kind, tuple(r.id for r in request.routines))


def listen(listener: PhraseListener, audio: np.ndarray) -> list:
    heard = []
    block = int(CHUNK_S * RECOGNIZER_RATE)
    for start in range(0, len(audio), block):
        heard += listener.feed(AudioChunk.from_samples(audio[start : start + block], RECOGNIZER_RATE))
    return heard


def make_listener(routines) -> PhraseListener:
    return PhraseListener(
        idle_phrases(WAKES, routines, ["anna"]), min_confidence=wake_threshold(WAKES, WAKE_MIN_CONFIDENCE, MIN_CONFIDENCE)
    )


def requests(routines, conditions: Sequence[str]) -> dict:
    results: dict = defaultdict(lambda: [0, 0])
    misses: dict = defaultdict(list)
    latencies: list[float] = []
    listener = make_listener(routines)
    silence = np.zeros(int(1.0 * RECOGNIZER_RATE), np.int16)
    for voice in dataset.VOICES:
        for text in REQUESTS:
            clean = dataset.synthesize(voice, 1.0, text.replace(",", ""))
            for index, condition in enumerate(conditions):
                audio = dataset.pad(dataset.degrade(clean, condition, index) if condition != "clean" else clean)
                offset = listener.stream_seconds
                heard = listen(listener, np.concatenate([audio, silence]))
                merged = " ".join(h.phrase for h in heard)
                ok = meaning(merged, routines) == meaning(text, routines)
                tally = results[(voice.split, condition)]
                tally[0] += ok
                tally[1] += 1
                if not ok and condition == "clean":
                    misses[voice.split].append(f"{voice.name}: {text!r} heard as {merged!r}")
                if ok and heard:
                    speech_end = dataset.LEAD_SILENCE_S + dataset.speech_end(clean)
                    latencies.append(heard[-1].at - offset - speech_end)
    return {"accuracy": dict(results), "latency": latencies, "misses": misses}


def false_wakes(routines, limit_s: Optional[float]) -> dict:
    listener = make_listener(routines)
    seconds, wakes, examples, cpu = 0.0, 0, [], time.process_time()
    for name, audio in dataset.ordinary_speech():
        for heard in listen(listener, audio) + listener.finish():
            if strip_wake(heard.phrase, WAKES) is not None:
                wakes += 1
                examples.append(f"{name}: {heard.phrase} ({heard.confidence})")
        seconds += len(audio) / RECOGNIZER_RATE
        if limit_s is not None and seconds >= limit_s:
            break
    return {
        "minutes": seconds / 60,
        "wakes": wakes,
        "per_hour": wakes / (seconds / SECONDS_PER_HOUR),
        "examples": examples,
        "cpu": (time.process_time() - cpu) / seconds,
    }


def run(quick: bool) -> list[tuple[str, str]]:
    routines = bundled_routines()
    conditions = ("clean", "snr10") if quick else ("clean", "snr20", "snr10", "echo")
    found = requests(routines, conditions)
    wakes = false_wakes(routines, 15 * 60 if quick else None)
    rows = []
    for (split, condition), (ok, total) in sorted(found["accuracy"].items()):
        rows.append((f"requests understood, {split} voices, {condition}", f"{ok / total:.1%} ({ok}/{total})"))
    latency = np.array(found["latency"])
    rows += [
        ("latency, end of speech to phrase, median / p95", f"{np.median(latency) * 1000:.0f} / {np.percentile(latency, 95) * 1000:.0f} ms"),
        ("ordinary speech listened to", f"{wakes['minutes']:.1f} min (LibriSpeech, seed documents read by flite)"),
        ("false wakes", f"{wakes['wakes']} = {wakes['per_hour']:.1f} per hour"),
        ("CPU s per audio s (ordinary speech)", f"{wakes['cpu']:.3f}"),
        ("bench process peak memory (it holds the whole data set in memory)", f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"),
    ]
    rows += [("false wake", example) for example in wakes["examples"][:10]]
    rows += [("missed (clean, held-out voices)", miss) for miss in found["misses"]["test"][:12]]
    return rows


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench idle", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="two conditions and 15 minutes of ordinary speech")
    parser.add_argument("--write", action="store_true", help="write the table into RESULTS.md")
    args = parser.parse_args(argv)
    started = time.time()
    table = format_rows(run(args.quick))
    print(table)
    if args.write:
        command = "python -m bench idle " + " ".join(argv if argv is not None else sys.argv[1:])
        note = (
            f"Made by `{command.strip()}` in {time.time() - started:.0f} s. Thresholds: wake phrases "
            f"{WAKE_MIN_CONFIDENCE}, other phrases {MIN_CONFIDENCE}. The wake threshold was chosen on "
            "the same LibriSpeech clips counted here, so the false-wake rate is not from held-out audio."
        )
        write_section("Idle listening (serve)", f"{note}\n\n{table}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
