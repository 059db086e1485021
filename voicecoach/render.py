"""Renders a whole session onto one audio timeline, exactly as it would be heard.

The session runs under the simulated clock with the real synthesizer's durations, so the file is a
faithful recording of a session, a guide for any player, and a way to check timing with no sound card.
"""

from __future__ import annotations

import json
import wave
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Optional

import numpy as np

from voicecoach.audio.format import SAMPLE_WIDTH_INT16
from voicecoach.audio.synth_cache import CachedSynthesizer
from voicecoach.session.actions import Adjust, CancelSpeech, Output, Say
from voicecoach.speaker_sink import rate_wpm

INT16_MAX = np.iinfo(np.int16).max


@dataclass
class TimelineEntry:
    start: float
    """Seconds from the start of the file."""
    end: float
    """Seconds: where the audio stops, earlier than planned when it was cut off."""
    text: str
    kind: str
    cut: bool = False


class RenderSink:
    """Synthesizes each utterance and lays it on the timeline at its session time."""

    def __init__(self, synthesizer: CachedSynthesizer) -> None:
        self._synthesizer = synthesizer
        self.rate = synthesizer.synthesize("Begin.").format.rate
        self._audio = np.zeros(0, dtype=np.float32)
        self._volume = synthesizer.settings.volume
        self.timeline: list[TimelineEntry] = []

    def speech_seconds(self, text: str, rate: float) -> float:
        return self._synthesizer.duration(text)

    def outputs(self, outputs: list[Output]) -> None:
        for output in outputs:
            if isinstance(output, Say):
                self._place(output)
            elif isinstance(output, CancelSpeech):
                self._cut(output.at)
            elif isinstance(output, Adjust):
                self.apply(output.rate, output.volume)

    def heard(self, at: float, phrase: str, command) -> None:
        pass

    def apply(self, rate: float, volume: float) -> None:
        from dataclasses import replace

        self._synthesizer.configure(replace(self._synthesizer.settings, rate_wpm=rate_wpm(rate), volume=volume))
        self._volume = volume

    def _place(self, say: Say) -> None:
        chunk = self._synthesizer.synthesize(say.text)
        samples = chunk.samples()[:, 0].astype(np.float32) / INT16_MAX * self._volume
        start = int(round(say.at * self.rate))
        end = start + len(samples)
        if end > len(self._audio):
            self._audio = np.concatenate([self._audio, np.zeros(end - len(self._audio), dtype=np.float32)])
        self._audio[start:end] += samples
        self.timeline.append(TimelineEntry(round(say.at, 3), round(end / self.rate, 3), say.text, say.kind.value))

    def _cut(self, at: float) -> None:
        """Silence from `at` on: what was playing then stops mid-word, as on a real speaker."""
        index = int(round(at * self.rate))
        self._audio[index:] = 0.0
        for entry in self.timeline:
            if entry.start <= at < entry.end:
                entry.end, entry.cut = round(at, 3), True

    def write_wav(self, path: Path, tail_s: float = 1.0) -> None:
        audio = np.concatenate([self._audio, np.zeros(int(tail_s * self.rate), dtype=np.float32)])
        pcm = (np.clip(audio, -1.0, 1.0) * INT16_MAX).astype("<i2")
        with wave.open(str(path), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(SAMPLE_WIDTH_INT16)
            out.setframerate(self.rate)
            out.writeframes(pcm.tobytes())

    def write_timeline(self, path: Path, sample_rate: Optional[int] = None) -> None:
        document = {"rate": sample_rate or self.rate, "utterances": [asdict(entry) for entry in self.timeline]}
        path.write_text(json.dumps(document, indent=2) + "\n")
