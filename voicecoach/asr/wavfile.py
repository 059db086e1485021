"""Streaming WAV files through the pipeline exactly as the microphone would, without waiting."""

from __future__ import annotations

import wave
from pathlib import Path
from typing import Iterator

from voicecoach.asr.base import Detection
from voicecoach.asr.microphone import BLOCK_S
from voicecoach.asr.pipeline import ListeningPipeline
from voicecoach.audio.format import AudioChunk, AudioFormat
from voicecoach.errors import UsageError


def wav_chunks(path: Path, block_s: float = BLOCK_S) -> Iterator[AudioChunk]:
    """The file's audio in microphone-sized chunks, in the file's own format."""
    try:
        with wave.open(str(path), "rb") as reader:
            fmt = AudioFormat(reader.getframerate(), reader.getsampwidth(), reader.getnchannels())
            frames_per_block = max(1, fmt.frames(block_s))
            position = 0
            while True:
                audio = reader.readframes(frames_per_block)
                if not audio:
                    return
                yield AudioChunk(fmt, audio, position / fmt.rate)
                position += len(audio) // fmt.bytes_per_frame
    except (wave.Error, EOFError, ValueError) as error:
        raise UsageError(f"{path}: not a PCM WAV file the recognizer can read ({error})") from error
    except FileNotFoundError as error:
        raise UsageError(f"{path}: no such file") from error


def recognize_file(pipeline: ListeningPipeline, path: Path, block_s: float = BLOCK_S) -> list[Detection]:
    """Every detection in the file, through the same path as live audio."""
    detections: list[Detection] = []
    for chunk in wav_chunks(path, block_s):
        detections += pipeline.feed(chunk)
    return detections + pipeline.finish()
