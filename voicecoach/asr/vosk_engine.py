"""Vosk engine: a Kaldi recognizer restricted to the active phrases plus `[unk]`.

Vosk reports JSON; `parse_result` turns one Result/FinalResult into a command or nothing, so it can
be tested with recorded strings and no model.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Optional

from voicecoach.asr.base import Detection
from voicecoach.asr.grammar import UNKNOWN_WORD, active_phrases, vosk_grammar
from voicecoach.audio.format import RECOGNIZER_RATE, AudioChunk
from voicecoach.commands import Command, CommandId
from voicecoach.errors import EngineUnavailable

STABLE_PARTIAL_UPDATES = 3
"""Identical partial results in a row (each one engine block, 0.1 s) before a partial is trusted."""
PARTIAL_CONFIDENCE = 0.7
"""Confidence given to a stable partial, which carries no word confidences: just above the default
threshold, so it stands only when the final result is missing."""


def parse_result(text: str, table: dict[str, Command]) -> Optional[tuple[str, Command, float]]:
    """(phrase, command, confidence) when a Result's whole text is one phrase, else None.

    Confidence is the lowest word confidence (needs `SetWords(True)`), 1.0 when words are absent.
    """
    result = json.loads(text)
    words = result.get("result") or []
    said = (result.get("text") or " ".join(w.get("word", "") for w in words)).strip()
    if not said or UNKNOWN_WORD in said.split():
        return None
    command = table.get(said)
    if command is None:
        return None
    confidence = min((float(w.get("conf", 1.0)) for w in words), default=1.0)
    return said, command, confidence


def parse_partial(text: str, table: dict[str, Command]) -> Optional[str]:
    """The phrase a PartialResult spells out entirely, else None."""
    said = (json.loads(text).get("partial") or "").strip()
    return said if said in table else None


class VoskRecognizer:
    engine = "vosk"

    def __init__(self, model_path: Path, commands: Optional[Iterable[CommandId]] = None) -> None:
        try:
            import vosk
        except ImportError as error:  # pragma: no cover - a dependency of the package
            raise EngineUnavailable(f"vosk is not installed: {error}") from error
        vosk.SetLogLevel(-1)
        try:
            self._model = vosk.Model(str(model_path))
        except Exception as error:  # vosk raises a bare Exception for a bad folder
            raise EngineUnavailable(f"cannot load Vosk model {model_path}: {error}") from error
        self._vosk = vosk
        self.description = f"vosk {model_path}"
        self._active: frozenset[CommandId] = frozenset()
        self._recognizer = None
        self._table: dict[str, Command] = {}
        self._last_end = 0.0
        self._partial: Optional[str] = None
        self._partial_count = 0
        self._final: list[Detection] = []
        self.set_active(CommandId if commands is None else commands)

    def set_active(self, commands: Iterable[CommandId]) -> None:
        wanted = frozenset(commands)
        if wanted == self._active and self._recognizer is not None:
            return
        self._active = wanted
        self._table = active_phrases(wanted)
        self._recognizer = self._vosk.KaldiRecognizer(self._model, RECOGNIZER_RATE, vosk_grammar(wanted))
        self._recognizer.SetWords(True)

    def start_utterance(self) -> None:
        self._recognizer.Reset()
        self._partial, self._partial_count, self._final = None, 0, []

    def _detection(self, text: str) -> None:
        parsed = parse_result(text, self._table)
        if parsed is not None:
            phrase, command, confidence = parsed
            self._final.append(Detection(command, phrase, self._last_end, confidence))

    def process(self, chunk: AudioChunk) -> list[Detection]:
        if chunk.format.rate != RECOGNIZER_RATE or chunk.format.channels != 1:
            raise ValueError(f"Vosk takes mono {RECOGNIZER_RATE} Hz here, not {chunk.format}")
        if chunk.timestamp is not None:
            self._last_end = chunk.timestamp + chunk.duration
        if self._recognizer.AcceptWaveform(chunk.audio):
            self._detection(self._recognizer.Result())
            return []
        phrase = parse_partial(self._recognizer.PartialResult(), self._table)
        if phrase is not None and phrase == self._partial:
            self._partial_count += 1
        else:
            self._partial, self._partial_count = phrase, 1 if phrase else 0
        return []

    def end_utterance(self) -> list[Detection]:
        self._detection(self._recognizer.FinalResult())
        if not self._final and self._partial and self._partial_count >= STABLE_PARTIAL_UPDATES:
            # Vosk sometimes drops a short final word it showed steadily in the partials.
            command = self._table[self._partial]
            self._final.append(Detection(command, self._partial, self._last_end, PARTIAL_CONFIDENCE))
        found, self._final = self._final[-1:], []
        return found
