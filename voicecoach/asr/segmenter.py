"""Energy voice-activity segmenter: where utterances start and end, and how isolated they are.

A command is a short utterance with a pause on both sides; the segmenter measures exactly that,
so the pipeline can reject command words buried in ordinary speech.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Optional

import numpy as np

from voicecoach.audio.format import RECOGNIZER_RATE

FRAME_S = 0.01
"""Seconds per analysis frame: the recognizers' own 10 ms hop."""
FRAME_SAMPLES = int(RECOGNIZER_RATE * FRAME_S)

ONSET_MARGIN_DB = 6.0
"""dB above the noise floor for a frame to count as speech: 10 ms frames of steady noise vary by
about 1 dB, and at 10 dB SNR much of a word is less than 9 dB above the noise."""
HOLD_MARGIN_DB = 3.0
"""dB above the floor that keeps an utterance going: hysteresis so soft word endings stay inside."""
MIN_SPEECH_DB = 36.0
"""dB re one int16 step (about -54 dBFS): quieter frames are never speech, even in a silent room."""
ONSET_FRAMES = 3
"""Consecutive speech frames (30 ms) that start an utterance: a click or a tap is shorter."""
END_SILENCE_S = 0.22
"""Seconds of non-speech that end an utterance: longer than gaps between words, short for latency."""
PRE_ROLL_S = 0.3
"""Seconds kept before the onset: soft consonants ("f", "h", "th") sit below the onset margin."""
FLOOR_FALL = 0.3
"""Per-frame smoothing when the floor drops: a quieter room is adopted within a few frames."""
FLOOR_RISE = 0.01
"""Per-frame smoothing when the floor rises: about a second, so speech itself never becomes the floor."""
FORCE_END_S = 8.0
"""Seconds after which an utterance is closed whatever the energy: a fan switched on mid-utterance
would otherwise look like endless speech. The floor then jumps to the quietest frame heard."""


@dataclass
class Segment:
    """One utterance as the segmenter saw it. Times are stream seconds at 16 kHz."""

    start: float
    """Seconds: first frame handed to the recognizer (pre-roll included)."""
    speech_start: float
    """Seconds: first frame above the onset margin."""
    speech_end: Optional[float] = None
    """Seconds: end of the last speech frame; None while the utterance goes on."""
    pause_before: float = 0.0
    """Seconds of non-speech between the previous utterance's end and `speech_start`."""

    @property
    def speech_seconds(self) -> float:
        return 0.0 if self.speech_end is None else self.speech_end - self.speech_start


@dataclass
class FrameEvent:
    """What one frame did: began an utterance (with the pre-roll audio), continued it, or ended it."""

    started: Optional[Segment] = None
    pre_roll: bytes = b""
    """int16 audio before and including the onset frames, to feed the recognizer first."""
    in_speech: bool = False
    ended: Optional[Segment] = None


class EnergySegmenter:
    """Feed 10 ms frames of 16 kHz int16 audio in order; get utterance boundaries back."""

    def __init__(self) -> None:
        self._floor_db: Optional[float] = None
        """dB; None until the first frame, which sets it: the stream's first sound is usually room."""
        self._segment_min_db = 0.0
        self._frame_index = 0
        self._run = 0
        self._silence_run = 0
        self._history: list[bytes] = []
        self._segment: Optional[Segment] = None
        self._last_speech_end = 0.0
        """Stream start counts as silence: a file or a microphone opened mid-sentence is rare."""

    @property
    def active(self) -> Optional[Segment]:
        return self._segment

    def _time(self, frame_index: int) -> float:
        return frame_index * FRAME_S

    def frame(self, frame: bytes) -> FrameEvent:
        samples = np.frombuffer(frame, dtype=np.int16).astype(np.float64)
        energy_db = 10.0 * np.log10(np.mean(samples * samples) + 1.0)
        index = self._frame_index
        self._frame_index += 1
        if self._floor_db is None:
            self._floor_db = energy_db
        loud = energy_db > max(self._floor_db + ONSET_MARGIN_DB, MIN_SPEECH_DB)
        held = energy_db > max(self._floor_db + HOLD_MARGIN_DB, MIN_SPEECH_DB)
        event = FrameEvent()
        pre_roll_frames = int(round(PRE_ROLL_S / FRAME_S))
        self._history.append(frame)
        if len(self._history) > pre_roll_frames + ONSET_FRAMES:
            del self._history[0]
        if self._segment is None:
            self._run = self._run + 1 if loud else 0
            if not loud:
                rate = FLOOR_FALL if energy_db < self._floor_db else FLOOR_RISE
                self._floor_db += rate * (energy_db - self._floor_db)
            if self._run >= ONSET_FRAMES:
                onset = index - ONSET_FRAMES + 1
                start_index = max(0, index + 1 - len(self._history))
                self._segment = Segment(
                    start=self._time(start_index),
                    speech_start=self._time(onset),
                    pause_before=self._time(onset) - self._last_speech_end,
                )
                self._silence_run = 0
                self._segment_min_db = energy_db
                event.started = self._segment
                event.pre_roll = b"".join(self._history)
                event.in_speech = True
            return event
        event.in_speech = True
        self._segment_min_db = min(self._segment_min_db, energy_db)
        if self._time(index + 1) - self._segment.speech_start > FORCE_END_S:
            self._floor_db = self._segment_min_db
            self._silence_run = 0
            event.ended = self._close(index + 1)
            return event
        if held:
            self._silence_run = 0
            return event
        self._silence_run += 1
        if self._silence_run * FRAME_S >= END_SILENCE_S:
            event.ended = self._close(index + 1 - self._silence_run)
        return event

    def _close(self, end_index: int) -> Segment:
        ended = self._segment
        assert ended is not None
        ended.speech_end = self._time(end_index)
        self._last_speech_end = ended.speech_end
        self._segment = None
        self._run = 0
        return ended

    def finish(self) -> Optional[Segment]:
        """End any open utterance at the end of the stream (files end; silence is implied)."""
        if self._segment is None:
            return None
        ended = self._segment
        ended.speech_end = self._time(self._frame_index - self._silence_run)
        self._last_speech_end = ended.speech_end
        self._segment = None
        return ended


class FrameCutter:
    """Re-cuts 16 kHz int16 audio arriving in any sizes into the segmenter's fixed frames, keeping
    the remainder for next time, so what follows never depends on how the input was chunked."""

    frame_bytes = FRAME_SAMPLES * 2

    def __init__(self) -> None:
        self._pending = b""

    def frames(self, audio: bytes) -> Iterator[bytes]:
        buffer = self._pending + audio
        whole = len(buffer) // self.frame_bytes * self.frame_bytes
        self._pending = buffer[whole:]
        for offset in range(0, whole, self.frame_bytes):
            yield buffer[offset : offset + self.frame_bytes]


class UtteranceCutter:
    """The segmenter with each utterance's audio: 16 kHz int16 audio in any chunking in, finished
    utterances out, each with its audio from the pre-roll on."""

    def __init__(self) -> None:
        self._frames = FrameCutter()
        self._segmenter = EnergySegmenter()
        self._audio = bytearray()

    def feed(self, audio: bytes) -> list[tuple[Segment, bytes]]:
        finished: list[tuple[Segment, bytes]] = []
        for frame in self._frames.frames(audio):
            event = self._segmenter.frame(frame)
            if event.started is not None:
                self._audio = bytearray(event.pre_roll)
            elif event.in_speech:
                self._audio += frame
            if event.ended is not None:
                finished.append((event.ended, self._take()))
        return finished

    def finish(self) -> list[tuple[Segment, bytes]]:
        """End of stream: the utterance still open, if any."""
        segment = self._segmenter.finish()
        return [(segment, self._take())] if segment is not None else []

    def _take(self) -> bytes:
        audio, self._audio = bytes(self._audio), bytearray()
        return audio
