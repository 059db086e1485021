"""Hearing the person through the coach: the recent microphone audio with the coach's echo taken out.

The pipeline's segmenter runs on the raw microphone, where "that hurts" said over a count merges
with the count's echo into one utterance that starts with the coach's voice. Once the echo is
subtracted (`echo.py`) the person's words stand alone again, with their own onset and the pause
before them, so they are segmented afresh and judged by the ordinary rules.
"""

from __future__ import annotations

import collections
import logging
from dataclasses import replace
from typing import Callable, Deque, Optional

import numpy as np

from voicecoach.asr.echo import cancel_echo, reference_audio, reference_window
from voicecoach.asr.segmenter import FRAME_S, Segment, UtteranceCutter
from voicecoach.asr.thresholds import DOUBLE_TALK_MARGIN_DB
from voicecoach.audio.activity import SpeechLog
from voicecoach.audio.format import RECOGNIZER_RATE, float_to_int16, int16_to_float

log = logging.getLogger(__name__)

ECHO_CONTEXT_S = 4.0
"""Seconds of microphone audio kept and fitted: the longest command, the pause before it, and a
few of the coach's words to pin the echo path down."""


class EchoRemover:
    """Feed it every 10 ms frame the pipeline sees; ask it for the person's utterances near a segment."""

    def __init__(self, speech_log: SpeechLog, clock: Callable[[float], float],
                 double_talk_margin_db: Optional[float] = None) -> None:
        """`clock` maps stream seconds to the SpeechLog's monotonic seconds."""
        self.speech_log = speech_log
        self.clock = clock
        self.double_talk_margin_db = DOUBLE_TALK_MARGIN_DB if double_talk_margin_db is None else double_talk_margin_db
        self._recent: Deque[bytes] = collections.deque(maxlen=int(round(ECHO_CONTEXT_S / FRAME_S)))
        self._frames = 0

    def frame(self, frame: bytes) -> None:
        self._recent.append(frame)
        self._frames += 1

    def utterances(self, near: Segment) -> list[tuple[Segment, bytes]]:
        """Utterances of the echo-free audio whose speech overlaps `near`'s, each with its audio
        (pre-roll included), in stream seconds. Empty when no played audio was logged."""
        if near.speech_end is None or not self._recent:
            return []
        end = self._frames * FRAME_S
        mic = int16_to_float(np.frombuffer(b"".join(self._recent), dtype=np.int16))
        start = end - len(mic) / RECOGNIZER_RATE
        offset = self.clock(end) - end
        reference_start, reference_end = reference_window(start + offset, end + offset)
        played = self.speech_log.overlapping(reference_start, reference_end)
        reference = reference_audio(played, reference_start, reference_end, RECOGNIZER_RATE)
        cleaned, fit = cancel_echo(mic, reference, RECOGNIZER_RATE)
        if fit is None:
            return []
        log.debug("echo path: delay %.3f s, %.1f dB removed, %.1f dB where the coach alone speaks",
                  fit.delay, fit.suppression_db, fit.erle_db)
        found = []
        for segment, audio in split_utterances(float_to_int16(cleaned).tobytes()):
            shifted = replace(
                segment,
                start=segment.start + start,
                speech_start=segment.speech_start + start,
                speech_end=(segment.speech_end or 0.0) + start,
            )
            if not (shifted.speech_start < near.speech_end and shifted.speech_end > near.speech_start):
                continue
            first, last = (int(round(t * RECOGNIZER_RATE)) for t in (segment.speech_start, segment.speech_end or 0.0))
            heard = float(np.mean(cleaned[first:last] ** 2)) if last > first else 0.0
            margin_db = 10.0 * np.log10((heard + 1e-12) / (fit.residual_echo(first, last) + 1e-12))
            if margin_db < self.double_talk_margin_db:
                log.debug("utterance at %.2f s is the coach's echo, %.1f dB over its expected remainder",
                          shifted.speech_start, margin_db)
                continue
            found.append((shifted, audio))
        return found


def split_utterances(audio: bytes) -> list[tuple[Segment, bytes]]:
    """Every utterance in 16 kHz int16 `audio`, with its audio, as the live segmenter cuts them."""
    cutter = UtteranceCutter()
    return cutter.feed(audio) + cutter.finish()
