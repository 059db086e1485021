"""The labelled recognition set: synthetic voices at several speeds, clean, noisy and echoed,
plus the real human recordings in ../shared/audio/human and ordinary speech for false accepts.

Split by voice: the "tune" voices may set thresholds, the "test" voices never do. Synthesized
audio is cached (keyed by synthesizer, voice, speed and text) so reruns are fast.
"""

from __future__ import annotations

import csv
import hashlib
import os
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

import numpy as np
import yaml

from voicecoach.audio.convert import convert_all
from voicecoach.audio.format import RECOGNIZER_RATE, AudioChunk
from voicecoach.commands import Command, all_phrases

SHARED = Path(__file__).resolve().parents[2] / "shared"
"""The shared folder beside the project's checkout (as CI and the workplace lay them out)."""
HUMAN = Path(os.environ.get("VOICECOACH_HUMAN_AUDIO", SHARED / "audio" / "human"))
SEEDS = Path(os.environ.get("VOICECOACH_SEEDS", SHARED / "seeds"))
ROUTINES = Path(__file__).resolve().parents[1] / "routines"
CACHE = Path(os.environ.get("VOICECOACH_BENCH_CACHE", Path(tempfile.gettempdir()) / "voicecoach-bench"))

LEAD_SILENCE_S = 0.6
"""Seconds of quiet before each clip: more than the pause a command needs before it."""
TAIL_SILENCE_S = 0.8
"""Seconds after: room for the end-of-utterance silence and the decision."""
SPEEDS = (0.85, 1.0, 1.2)
"""Speaking rate factors: a tired slow voice, normal, hurried."""
SNRS_DB = (20, 10)
"""Signal-to-noise ratios of the noisy conditions, speech power over noise power."""
ROOM_RT60_S = 0.4
"""Seconds for the synthetic room's echo to fall 60 dB: a furnished living room."""
ROOM_DIRECT_TO_REVERB = 2.0
"""Direct path amplitude over the reverberant tail's first tap: a speaker a metre or two away."""
SPEECH_END_DB = 35.0
"""dB below the clip's loudest 10 ms frame that still counts as speech, to label where speech ends."""


@dataclass(frozen=True)
class Voice:
    synth: str
    """"flite", "festival" or "espeak"."""
    name: str
    split: str
    """"tune" or "test"."""


VOICES = (
    Voice("flite", "kal", "tune"),
    Voice("flite", "awb", "tune"),
    Voice("espeak", "en", "tune"),
    Voice("flite", "slt", "test"),
    Voice("flite", "rms", "test"),
    Voice("festival", "kal_diphone", "test"),
    Voice("espeak", "en-us+f3", "test"),
)


def _synth_command(voice: Voice, speed: float, text: str, out: Path) -> list[str]:
    if voice.synth == "flite":
        return ["flite", "-voice", voice.name, "--setf", f"duration_stretch={1 / speed:.3f}", "-t", text, "-o", str(out)]
    if voice.synth == "espeak":
        return ["espeak-ng", "-v", voice.name, "-s", str(int(175 * speed)), "-w", str(out), text]
    if voice.synth == "festival":
        stretch = f"(Parameter.set 'Duration_Stretch {1 / speed:.3f})"
        return ["text2wave", "-eval", stretch, "-o", str(out)]
    raise ValueError(voice.synth)


def read_wav(path: Path) -> np.ndarray:
    """Any PCM WAV as 16 kHz mono int16, through the project's one converter."""
    with wave.open(str(path), "rb") as reader:
        rate, width, channels = reader.getframerate(), reader.getsampwidth(), reader.getnchannels()
        data = reader.readframes(reader.getnframes())
    if width != 2:
        raise ValueError(f"{path}: {8 * width}-bit audio; only 16-bit is used here")
    samples = np.frombuffer(data, np.int16).reshape(-1, channels)
    converted = convert_all(AudioChunk.from_samples(samples, rate), RECOGNIZER_RATE)
    return np.frombuffer(converted.audio, np.int16)


def read_any(path: Path) -> np.ndarray:
    """FLAC and headerless files via sox to a WAV first, then `read_wav`."""
    if path.suffix == ".wav":
        return read_wav(path)
    with tempfile.TemporaryDirectory() as work:
        out = Path(work) / "a.wav"
        source = ["-t", "raw", "-r", "16000", "-e", "signed", "-b", "16", "-c", "1"] if path.suffix == ".raw" else []
        subprocess.run(["sox", *source, str(path), "-b", "16", str(out)], check=True, capture_output=True)
        return read_wav(out)


def synthesize(voice: Voice, speed: float, text: str) -> np.ndarray:
    key = hashlib.sha1(f"{voice.synth}|{voice.name}|{speed}|{text}".encode()).hexdigest()[:16]
    path = CACHE / "tts" / f"{key}.wav"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part.wav")
        command = _synth_command(voice, speed, text, partial)
        stdin = text if voice.synth == "festival" else None
        subprocess.run(command, input=stdin, text=True, check=True, capture_output=True)
        partial.replace(path)
    return read_wav(path)


def speech_end(samples: np.ndarray) -> float:
    """Seconds into `samples` where the last frame within SPEECH_END_DB of the peak ends."""
    frame = RECOGNIZER_RATE // 100
    usable = len(samples) // frame * frame
    energy = (samples[:usable].astype(np.float64).reshape(-1, frame) ** 2).mean(axis=1) + 1.0
    db = 10 * np.log10(energy)
    loud = np.nonzero(db > db.max() - SPEECH_END_DB)[0]
    return float((loud[-1] + 1) * frame / RECOGNIZER_RATE) if len(loud) else 0.0


def pad(samples: np.ndarray) -> np.ndarray:
    lead = np.zeros(int(LEAD_SILENCE_S * RECOGNIZER_RATE), np.int16)
    tail = np.zeros(int(TAIL_SILENCE_S * RECOGNIZER_RATE), np.int16)
    return np.concatenate([lead, samples, tail])


def room_impulse(rng: np.random.Generator) -> np.ndarray:
    length = int(ROOM_RT60_S * RECOGNIZER_RATE)
    t = np.arange(length) / RECOGNIZER_RATE
    # 60 dB decay over RT60: amplitude falls by 10**(-3) at t = RT60.
    tail = rng.standard_normal(length) * 10 ** (-3 * t / ROOM_RT60_S) / ROOM_DIRECT_TO_REVERB
    tail[0] = 1.0
    return tail / np.sqrt(np.sum(tail ** 2))


def degrade(samples: np.ndarray, condition: str, seed: int) -> np.ndarray:
    """"clean", "snr20", "snr10" (white noise over the whole padded clip) or "echo"."""
    rng = np.random.default_rng(seed)
    x = samples.astype(np.float64)
    if condition == "clean":
        return samples
    if condition == "echo":
        y = np.convolve(x, room_impulse(rng))[: len(x)]
    else:
        snr = float(condition.removeprefix("snr"))
        active = x[np.abs(x) > np.abs(x).max() * 0.05]
        power = np.mean(active ** 2) if len(active) else 1.0
        y = x + rng.standard_normal(len(x)) * np.sqrt(power / 10 ** (snr / 10))
    return np.clip(y, -32768, 32767).astype(np.int16)


@dataclass
class Sample:
    label: Optional[Command]
    """The command said, or None for speech that contains no command."""
    text: str
    group: str
    """What the sample measures: "synthetic", "speech_commands", "fsdd", ..."""
    audio: np.ndarray
    """16 kHz mono int16, silence around the speech."""
    speech_end: float
    """Seconds into `audio` where the speech ends."""
    voice: str = ""
    split: str = "test"
    condition: str = "clean"
    speed: float = 1.0


def command_samples(splits=("tune", "test"), conditions=("clean", "snr20", "snr10", "echo")) -> Iterator[Sample]:
    phrases = all_phrases()
    for voice in VOICES:
        if voice.split not in splits:
            continue
        for speed in SPEEDS:
            for text, command in phrases.items():
                clip = synthesize(voice, speed, text)
                padded = pad(clip)
                end = LEAD_SILENCE_S + speech_end(clip)
                for index, condition in enumerate(conditions):
                    seed = int(hashlib.sha1(f"{voice}{speed}{text}{index}".encode()).hexdigest()[:8], 16)
                    yield Sample(command, text, "synthetic", degrade(padded, condition, seed), end,
                                 f"{voice.synth}:{voice.name}", voice.split, condition, speed)


def human_command_samples(fsdd_per_digit: int = 20) -> Iterator[Sample]:
    """Speech Commands and FSDD words that are commands (stop, yes, no, digits) and those that are not."""
    lookup = all_phrases()
    manifest = HUMAN / "speech_commands" / "MANIFEST.csv"
    with manifest.open() as rows:
        for row in csv.DictReader(rows):
            clip = read_wav(HUMAN / row["path"])
            yield Sample(lookup.get(row["word"]), row["word"], "speech_commands", pad(clip),
                         LEAD_SILENCE_S + speech_end(clip), row["speaker_id"])
    names = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
    for digit, word in enumerate(names):
        files = sorted((HUMAN / "fsdd" / word).glob("*.wav"))
        # An even spread over speakers and takes, fixed, so runs compare.
        step = max(1, len(files) // fsdd_per_digit)
        for path in files[::step][:fsdd_per_digit]:
            clip = read_wav(path)
            yield Sample(lookup[word], word, "fsdd", pad(clip), LEAD_SILENCE_S + speech_end(clip), path.stem)


def ordinary_speech() -> Iterator[tuple[str, np.ndarray]]:
    """(name, audio) of speech without commands: LibriSpeech, and the seed documents read by TTS."""
    for path in sorted((HUMAN / "librispeech").rglob("*.flac")):
        yield f"librispeech:{path.stem}", read_any(path)
    reader = Voice("flite", "kal", "test")
    for path in sorted(SEEDS.glob("*.txt")):
        paragraphs = [p.strip() for p in path.read_text(encoding="utf-8").split("\n") if p.strip()]
        for index, text in enumerate(paragraphs):
            yield f"seed:{path.stem}:{index}", synthesize(reader, 1.0, text)


def cue_texts() -> list[str]:
    """Every sentence the coach says in the bundled routines: string values of three words or more."""
    texts: list[str] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        elif isinstance(node, str) and len(node.split()) >= 3:
            texts.append(" ".join(node.split()))

    for path in sorted(ROUTINES.glob("*.yaml")):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return sorted(set(texts))


COACH_VOICE = Voice("espeak", "en-us", "test")
"""The coach speaks with espeak-ng by default, so its echo is espeak-ng through a room."""


def coach_echo(text: str, seed: int) -> np.ndarray:
    return degrade(synthesize(COACH_VOICE, 1.0, text), "echo", seed)


MEMORY_SAMPLE_S = 60.0
"""Seconds of ordinary speech run through the CLI to measure its peak memory."""


def ordinary_speech_sample() -> np.ndarray:
    parts, total = [], 0
    for _, audio in ordinary_speech():
        parts.append(audio)
        total += len(audio)
        if total >= MEMORY_SAMPLE_S * RECOGNIZER_RATE:
            break
    return np.concatenate(parts)
