"""What every recognizer engine promises: 16 kHz mono int16 chunks in, command detections out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Protocol, runtime_checkable

from voicecoach.audio.format import AudioChunk
from voicecoach.commands import Command, CommandId


@dataclass(frozen=True)
class Detection:
    """A command heard in the audio."""

    command: Command
    """What it means; `command.value` carries the number for `CommandId.NUMBER`."""

    phrase: str
    """The words recognized, as written in `voicecoach.commands.PHRASES` or `NUMBER_WORDS`."""

    at: float
    """Seconds of stream time at the end of the last chunk fed before the detection was emitted."""

    confidence: float
    """0 to 1: the engine's belief, comparable with the thresholds in `voicecoach.asr.thresholds`."""

    start: float = 0.0
    """Seconds of stream time where the utterance began (segmenter onset, pre-roll included)."""

    end: float = 0.0
    """Seconds of stream time where the utterance's speech ended."""

    def as_json(self) -> dict:
        """The `voicecoach recognize --json` record (without the file name)."""
        return {
            "command": self.command.id.value,
            "value": self.command.value,
            "phrase": self.phrase,
            "at": round(self.at, 3),
            "confidence": round(self.confidence, 3),
        }


@runtime_checkable
class Recognizer(Protocol):
    """An engine decoding one utterance at a time. It never opens a device.

    Chunks must be mono int16 at `RECOGNIZER_RATE`; `chunk.timestamp` is the stream time of the
    chunk's first frame, used for `Detection.at`. The pipeline decides where utterances begin and end.
    """

    engine: str
    """"pocketsphinx" or "vosk": selects the threshold table."""

    description: str
    """Engine and model, for logs and `--help`: which recognizer `auto` picked."""

    def set_active(self, commands: Iterable[CommandId]) -> None:
        """Restrict the phrases listened for; takes effect at the next utterance."""

    def start_utterance(self) -> None: ...

    def process(self, chunk: AudioChunk) -> list[Detection]:
        """Decode more audio of the current utterance; usually returns nothing until the end."""

    def end_utterance(self) -> list[Detection]:
        """The best command for the utterance, or nothing when it matched no phrase."""



