"""Generates the speech the recognition tests listen to, with the TTS engines on the machine."""

from __future__ import annotations

import subprocess
import wave
from pathlib import Path

import numpy as np

from voicecoach.audio.convert import convert_all
from voicecoach.audio.format import RECOGNIZER_RATE, AudioChunk

SILENCE_S = 0.6
"""Seconds of quiet around each clip: more than the pause a command needs on each side."""


def synthesize(folder: Path, engine: str, voice: str, text: str, speed: float = 1.0) -> np.ndarray:
    """16 kHz mono int16 speech of `text`, cached as a WAV in `folder`."""
    path = folder / f"{engine}-{voice}-{speed}-{text.replace(' ', '_')[:60]}.wav"
    if not path.exists():
        if engine == "flite":
            command = ["flite", "-voice", voice, "--setf", f"duration_stretch={1 / speed:.3f}", "-t", text, "-o", str(path)]
            subprocess.run(command, check=True, capture_output=True)
        elif engine == "espeak":
            subprocess.run(["espeak-ng", "-v", voice, "-s", str(int(175 * speed)), "-w", str(path), text],
                           check=True, capture_output=True)
        elif engine == "festival":
            subprocess.run(["text2wave", "-o", str(path)], input=text, text=True, check=True, capture_output=True)
        else:
            raise ValueError(engine)
    with wave.open(str(path), "rb") as reader:
        rate = reader.getframerate()
        samples = np.frombuffer(reader.readframes(reader.getnframes()), np.int16)
    return np.frombuffer(convert_all(AudioChunk.from_samples(samples, rate), RECOGNIZER_RATE).audio, np.int16)


def with_silence(*clips: np.ndarray) -> np.ndarray:
    gap = np.zeros(int(SILENCE_S * RECOGNIZER_RATE), np.int16)
    parts = [gap]
    for clip in clips:
        parts += [clip, gap]
    return np.concatenate(parts)


def write_wav(path: Path, samples: np.ndarray, rate: int = RECOGNIZER_RATE) -> Path:
    with wave.open(str(path), "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(samples.astype(np.int16).tobytes())
    return path
