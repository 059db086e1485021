"""Speech output benchmark: start-up, synthesis, beat accuracy, abort latency, CPU and memory.

    python -m bench speech [--seconds 120] [--write]

Everything that plays goes through the real path: sounddevice -> ALSA "pulse" -> a private
PulseAudio null sink, recorded from its monitor (tests/pulse.py). Onsets are measured in the
recording, aligned to the monotonic clock by a reference tone.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
import pulse  # noqa: E402  (tests/pulse.py: the private PulseAudio)

from bench.results import RESULTS, format_rows, write_section  # noqa: E402
from voicecoach.audio.activity import SpeechLog  # noqa: E402
from voicecoach.audio.format import AudioChunk  # noqa: E402
from voicecoach.audio.playback import PlayerSettings, SoundDevicePlayer  # noqa: E402
from voicecoach.audio.synth_cache import COMMON_CUES, COUNT_WORDS, CachedSynthesizer  # noqa: E402
from voicecoach.audio.tts import Pyttsx3Synthesizer  # noqa: E402

BLOCK_S = 12
"""Seconds per block of the simulated session: a cue, a breath, then ten counts on the second."""
COUNTS_PER_BLOCK = 10
FIRST_COUNT_S = 2
ABORT_TRIALS = 10
REFERENCE_RATE = 22050
"""Hertz of the reference and test tones: the synthesizer's own rate, so they take the same path."""
STARTUP_RUNS = 3
LEAD_S = 0.5
"""Seconds between queuing a run and its reference tone: time to queue all that follows."""
SENTENCES = (
    "Lie on your back with both knees bent.", "Slowly bring your right knee toward your chest.",
    "Keep your lower back heavy on the floor.", "Breathe out and let the hip sink.",
    "If anything pinches, ease off a little.", "Switch sides when you are ready.",
    "Gently rock your knees from side to side.", "Press your heel away and feel the stretch along the front of the hip.",
    "Good. Rest for a moment.", "Now the other leg.",
)
NOTES = """\
Onset error: where each count's first loud sample lands in the recording of the null sink's
monitor, against its target second plus the word's own lead-in, aligned on a reference tone played
first. The speaker device is PortAudio's ALSA "pulse" at 48 kHz (22.05 kHz speech resampled by
AudioConverter). CPU and memory are the benchmark process's (player, cached synthesis, recorder
analysis not yet run), not PulseAudio's or the pyttsx3 worker's. Abort: a 440 Hz tone cut at a
random moment, ten times. The machine was shared with other engineers' test runs."""
FIRST_WORD_CHILD = """
import sys, time
from voicecoach.audio.activity import SpeechLog
from voicecoach.audio.playback import PlayerSettings
from voicecoach.audio.speech import SpeechSettings, make_speaker
kwargs = {} if sys.argv[1] == "warm" else {"warm_phrases": ()}
log = SpeechLog()
speaker = make_speaker(SpeechSettings(player=PlayerSettings(device="pulse"), **kwargs), log)
speaker.say("Begin")
while not log.recent():
    time.sleep(0.001)
print(log.recent()[0].start)
speaker.close()
"""


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def first_word_s(env: dict, warm: bool) -> float:
    """Seconds from launching a fresh process to the first sample of "Begin" at the speaker."""
    launched = time.monotonic()
    result = subprocess.run([sys.executable, "-c", FIRST_WORD_CHILD, "warm" if warm else "cold"],
                            env={**os.environ, **env}, capture_output=True, text=True, timeout=60)
    return float(result.stdout.strip().splitlines()[-1]) - launched


def synthesis_times(synth: Pyttsx3Synthesizer) -> tuple[list[float], list[float]]:
    """Seconds to render each sentence, and its ratio to the audio's own length."""
    seconds, ratios = [], []
    for sentence in SENTENCES:
        started = time.perf_counter()
        chunk = synth.synthesize(sentence)
        elapsed = time.perf_counter() - started
        seconds.append(elapsed)
        ratios.append(elapsed / chunk.duration)
    return seconds, ratios


def reference(rate: int) -> AudioChunk:
    return AudioChunk.from_samples(pulse.tone(rate, 0.05), rate)


def lead_in(chunk: AudioChunk) -> float:
    return pulse.first_sound(chunk.samples()[:, 0] / 32767.0, chunk.format.rate)


def session_run(pulse_server, synth: CachedSynthesizer, seconds: float, folder: Path):
    """Counts and cues for `seconds`: onset errors (s), (target, lead-in) per count, CPU share of
    one core, peak RSS (MB) and the number of cue blocks."""
    log = SpeechLog()
    player = SoundDevicePlayer(PlayerSettings(device="pulse"), log, report=lambda message: None)
    recording = pulse_server.record(f"{pulse.SPEAKER_SINK}.monitor", folder / "session.wav")
    time.sleep(0.3)
    cpu_before, wall_before = os.times(), time.monotonic()
    t0 = time.monotonic() + LEAD_S
    player.play(reference(REFERENCE_RATE), "ref", "ref", at=t0)
    targets = []
    blocks = max(1, int(seconds // BLOCK_S))
    for block in range(blocks):
        start = t0 + 1 + block * BLOCK_S
        cue = COMMON_CUES[block % len(COMMON_CUES)]
        player.play(synth.synthesize(cue), cue, "cue", at=start)
        for n in range(COUNTS_PER_BLOCK):
            chunk = synth.synthesize(COUNT_WORDS[n])
            moment = start + FIRST_COUNT_S + n
            player.play(chunk, COUNT_WORDS[n], "count", at=moment)
            targets.append((moment, lead_in(chunk)))
    # The SpeechLog keeps only recent utterances, so the reference's start is read while it is there.
    ref_start = None
    while ref_start is None:
        ref_start = next((u.start for u in log.recent() if u.kind == "ref"), None)
        time.sleep(0.01)
    player.drain(timeout=seconds + 30)
    cpu_after, wall_after = os.times(), time.monotonic()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    player.close()
    time.sleep(0.2)
    samples = recording.stop()
    rate = recording.rate
    offset = pulse.first_sound(samples, rate) - ref_start
    errors = []
    for moment, lead in targets:
        onset = pulse.first_sound(samples, rate, after_s=moment + offset - 0.3)
        errors.append(onset - (moment + offset + lead))
    cpu = (cpu_after.user + cpu_after.system - cpu_before.user - cpu_before.system) / (wall_after - wall_before)
    return errors, targets, cpu, peak_mb, blocks


def abort_latencies(pulse_server, folder: Path) -> list[float]:
    """Seconds from abort() to the last audible sample at the sink, over ABORT_TRIALS trials."""
    rate = REFERENCE_RATE
    log = SpeechLog()
    player = SoundDevicePlayer(PlayerSettings(device="pulse"), log, report=lambda message: None)
    recording = pulse_server.record(f"{pulse.SPEAKER_SINK}.monitor", folder / "abort.wav")
    time.sleep(0.3)
    tone = AudioChunk.from_samples(pulse.tone(rate, 3.0, 440, 0.3), rate)
    t0 = time.monotonic() + LEAD_S
    player.play(reference(rate), "ref", "ref", at=t0)
    aborts, trial_starts = [], []
    random_source = random.Random(4)
    for trial in range(ABORT_TRIALS):
        start = t0 + 0.5 + trial * 1.5
        trial_starts.append(start)
        player.play(tone, "tone", "cue", at=start)
        abort_at = start + random_source.uniform(0.3, 0.9)
        while time.monotonic() < abort_at:
            time.sleep(0.0005)
        aborts.append(time.monotonic())
        player.abort()
    time.sleep(0.5)
    player.close()
    samples = recording.stop()
    ref_start = next(u.start for u in log.recent() if u.kind == "ref")
    offset = pulse.first_sound(samples, recording.rate) - ref_start
    latencies = []
    for trial, aborted in enumerate(aborts):
        until = trial_starts[trial] + 1.4 + offset
        silent = pulse.last_sound(samples, recording.rate, before_s=until)
        latencies.append(silent - (aborted + offset))
    return latencies


def run(seconds: float) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory(prefix="vc-bench-") as folder:
        server = pulse.start_pulse(Path(folder))
        old = pulse.apply_env(server)
        pulse.rescan_devices()
        try:
            for warm, label in ((False, "no warm-up"), (True, f"default: {len(COUNT_WORDS) + len(COMMON_CUES)} phrases warmed in the background")):
                runs = [first_word_s(server.env, warm) for _ in range(STARTUP_RUNS)]
                rows.append((f"first word after launch ({label})", f"median {ms(statistics.median(runs))}, worst {ms(max(runs))} (n={STARTUP_RUNS})"))
            raw = Pyttsx3Synthesizer()
            raw.synthesize("warm the worker")
            times, ratios = synthesis_times(raw)
            rows.append(("synthesis per sentence (uncached)", f"median {ms(statistics.median(times))}, worst {ms(max(times))} (n={len(times)})"))
            rows.append(("synthesis time / audio length", f"median {statistics.median(ratios):.4f}, worst {max(ratios):.4f}"))
            cached = CachedSynthesizer(raw)
            started = time.perf_counter()
            cached.warm(COUNT_WORDS + COMMON_CUES)
            rows.append(("warm-up of counts + cues", ms(time.perf_counter() - started)))
            errors, targets, cpu, peak_mb, blocks = session_run(server, cached, seconds, Path(folder))
            magnitudes = [abs(e) for e in errors]
            moments = [moment for moment, _ in targets]
            trend_ms_per_min = float(np.polyfit(np.array(moments) - moments[0], errors, 1)[0]) * 60 * 1000
            rows.append((f"count onset error ({len(errors)} counts, {blocks} cues, {blocks * BLOCK_S} s)",
                         f"median {ms(statistics.median(magnitudes))}, worst {ms(max(magnitudes))}, target < 30 ms"))
            rows.append(("count onset drift (linear trend)", f"{trend_ms_per_min:+.2f} ms per minute"))
            rows.append(("CPU while playing (share of one core)", f"{cpu * 100:.1f} %"))
            rows.append(("peak memory of the process (RSS)", f"{peak_mb:.0f} MB"))
            latencies = abort_latencies(server, Path(folder))
            rows.append(("abort -> silence at the sink", f"median {ms(statistics.median(latencies))}, worst {ms(max(latencies))} (n={len(latencies)}), target < 50 ms"))
            raw.close()
        finally:
            server.stop()
            pulse.restore_env(old)
    return rows


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench speech", description=__doc__)
    parser.add_argument("--seconds", type=float, default=120.0, help="length of the counting session")
    parser.add_argument("--write", action="store_true", help=f"write the table into {RESULTS.name}")
    args = parser.parse_args(argv)
    reason = pulse.pulseaudio_missing_reason()
    if reason:
        print(f"speech benchmark skipped: {reason}", file=sys.stderr)
        return 1
    started = time.time()
    table = format_rows(run(args.seconds))
    print(table)
    if args.write:
        command = "python -m bench speech " + " ".join(argv if argv is not None else sys.argv[1:])
        write_section("Speech output", f"Made by `{command.strip()}` in {time.time() - started:.0f} s, on {os.cpu_count()} shared cores.\n\n{table}\n\n{NOTES}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
