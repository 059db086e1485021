"""The listening pipeline: any audio in, accepted command detections out.

Microphone and file input both arrive here as `AudioChunk`s of any format and size. One
`AudioConverter` makes 16 kHz mono, the segmenter finds utterances, the engine decodes each one,
and the rejection rules (length, pause, confidence, the coach's own voice) decide what stands.
Results do not depend on chunk size: audio is re-cut into fixed frames and engine blocks here.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Callable, Iterable, Optional

from voicecoach.asr.bargein import EchoRemover
from voicecoach.asr.base import Detection, Recognizer
from voicecoach.asr.rejection import RejectionRules, coach_utterances, reject_reason
from voicecoach.asr.segmenter import EnergySegmenter, FrameCutter, Segment
from voicecoach.audio.activity import SpeechLog
from voicecoach.audio.convert import AudioConverter
from voicecoach.audio.format import MONO_16K, RECOGNIZER_RATE, SAMPLE_WIDTH_INT16, AudioChunk
from voicecoach.commands import SAFETY_COMMANDS, CommandId

log = logging.getLogger(__name__)

ENGINE_BLOCK_S = 0.1
"""Seconds of audio per engine call: fixed, so decoding is identical whatever the input chunking."""
ENGINE_BLOCK_BYTES = int(RECOGNIZER_RATE * ENGINE_BLOCK_S) * SAMPLE_WIDTH_INT16
BARGE_IN_MARGIN_S = 0.05
"""Seconds after the coach's last sample before listening again: the loudspeaker-to-microphone
delay and the first reflections, short enough not to eat the start of "that hurts"."""


def identity_clock(stream_seconds: float) -> float:
    """For SpeechLogs written in stream time (tests, benchmark, files)."""
    return stream_seconds


class ListeningPipeline:
    """Feed chunks as they arrive; each call returns the commands accepted so far."""

    def __init__(
        self,
        recognizer: Recognizer,
        *,
        commands: Optional[Iterable[CommandId]] = None,
        speech_log: Optional[SpeechLog] = None,
        clock: Callable[[float], float] = identity_clock,
        rules: RejectionRules = RejectionRules(),
        on_reject: Optional[Callable[[Detection, str], None]] = None,
    ) -> None:
        """`clock` maps stream seconds to `time.monotonic()` seconds, the SpeechLog's clock."""
        self.recognizer = recognizer
        self.speech_log = speech_log
        self.clock = clock
        self.rules = rules
        self.on_reject = on_reject
        self._converter = AudioConverter(RECOGNIZER_RATE)
        self._segmenter = EnergySegmenter()
        self._cutter = FrameCutter()
        self._segment_audio = bytearray()
        self._fed_bytes = 0
        self._segment_start = 0.0
        self._too_long = False
        self._input_frames = 0
        self._input_rate: Optional[int] = None
        self._active: frozenset[CommandId] = frozenset(CommandId if commands is None else commands)
        self.recognizer.set_active(self._active)
        self._echo = (
            EchoRemover(speech_log, clock, rules.double_talk_margin_db) if speech_log is not None else None
        )

    @property
    def stream_seconds(self) -> float:
        """Seconds of input fed so far: the `at` of a detection emitted now."""
        return self._input_frames / self._input_rate if self._input_rate else 0.0

    def set_active(self, commands: Iterable[CommandId]) -> None:
        """Listen for these commands from the next utterance on (safe to call from another thread)."""
        self._active = frozenset(commands)

    def feed(self, chunk: AudioChunk) -> list[Detection]:
        # Counted in whole frames, not summed float durations, so `at` is exact for any chunking.
        self._input_rate = chunk.format.rate
        self._input_frames += len(chunk.audio) // chunk.format.bytes_per_frame
        converted = self._converter.convert(chunk)
        return self._frames(converted.audio)

    def finish(self) -> list[Detection]:
        """End of stream: decode what is left as if silence followed."""
        detections = self._frames(self._converter.flush().audio)
        segment = self._segmenter.finish()
        if segment is not None:
            detections += self._close(segment)
        return detections

    def _frames(self, audio: bytes) -> list[Detection]:
        detections: list[Detection] = []
        for frame in self._cutter.frames(audio):
            if self._echo is not None:
                self._echo.frame(frame)
            event = self._segmenter.frame(frame)
            if event.started is not None:
                self._open(event.started, event.pre_roll)
            elif event.in_speech:
                self._segment_audio += frame
            active = self._segmenter.active
            if active is not None and not self._too_long:
                self._feed_engine(final=False)
                speech_so_far = (len(self._segment_audio) / SAMPLE_WIDTH_INT16 / RECOGNIZER_RATE
                                 + self._segment_start - active.speech_start)
                if speech_so_far > self.rules.max_command_s:
                    # Already too long to be a command: stop spending CPU on it.
                    self._too_long = True
                    self.recognizer.end_utterance()
            if event.ended is not None:
                detections += self._close(event.ended)
        return detections

    def _open(self, segment: Segment, pre_roll: bytes) -> None:
        self.recognizer.set_active(self._active)
        self.recognizer.start_utterance()
        self._segment_audio = bytearray(pre_roll)
        self._segment_start = segment.start
        self._fed_bytes = 0
        self._too_long = False

    def _feed_engine(self, final: bool) -> None:
        while len(self._segment_audio) - self._fed_bytes >= ENGINE_BLOCK_BYTES or (
            final and len(self._segment_audio) > self._fed_bytes
        ):
            self._fed_bytes += self._send_block(self._segment_audio, self._fed_bytes, self._segment_start)

    def _send_block(self, audio: bytes | bytearray, offset: int, start: float) -> int:
        """Hand the engine one block of `audio` (which begins at stream second `start`) from byte
        `offset`; returns its length."""
        block = bytes(audio[offset : offset + ENGINE_BLOCK_BYTES])
        timestamp = start + offset / SAMPLE_WIDTH_INT16 / RECOGNIZER_RATE
        self.recognizer.process(AudioChunk(MONO_16K, block, timestamp))
        return len(block)

    def _close(self, segment: Segment) -> list[Detection]:
        if self._too_long:
            self._too_long = False
            self._reject_silently(segment, f"too long: over {self.rules.max_command_s} s of speech")
            return []
        self._feed_engine(final=True)
        candidates = self.recognizer.end_utterance()
        coach = coach_utterances(segment, self.speech_log, self.clock, self.rules.echo_tail_s)
        removable = self._echo is not None and any(utterance.audio is not None for utterance in coach)
        accepted = self._judge(candidates, segment, coach, echo_removable=removable)
        if coach and not accepted:
            accepted = self._barge_in(segment, coach)
        return accepted

    def _barge_in(self, segment: Segment, coach: list) -> list[Detection]:
        """Listen again for the safety commands in an utterance that overlapped the coach's voice:
        first with the coach's echo subtracted, then in what follows the coach's last word."""
        safety = self._active & SAFETY_COMMANDS
        if not safety:
            return []
        if self._echo is not None:
            for utterance, audio in self._echo.utterances(segment):
                found = self._decode_safety(audio, utterance.start, utterance, safety, echo_removed=True)
                if found:
                    return found
        return self._after_coach(segment, coach, safety)

    def _after_coach(self, segment: Segment, coach: list, safety: frozenset[CommandId]) -> list[Detection]:
        """Decode again what was said after the coach's own words ended.

        Spoken over a count, an utterance starts with the count's echo, which drags the whole
        decode down; the coach knows when its words ended, so it can listen from there.
        """
        ends = [utterance.end for utterance in coach if utterance.end is not None]
        if not ends or segment.speech_end is None:
            return []
        # The clock maps stream seconds to monotonic seconds by a fixed offset within a segment.
        offset = self.clock(segment.speech_start) - segment.speech_start
        cut = min(max(ends) + BARGE_IN_MARGIN_S - offset, segment.speech_end)
        if segment.speech_end - cut < self.rules.min_command_s:
            return []
        skip = int((cut - self._segment_start) * RECOGNIZER_RATE) * SAMPLE_WIDTH_INT16
        if skip <= 0:
            return []
        tail = replace(segment, speech_start=cut, pause_before=segment.pause_before)
        return self._decode_safety(bytes(self._segment_audio[skip:]), cut, tail, safety)

    def _decode_safety(self, audio: bytes, start: float, segment: Segment, safety: frozenset[CommandId],
                       echo_removed: bool = False) -> list[Detection]:
        """Decode `audio` (starting at stream second `start`) with only the safety commands active,
        and judge the result as `segment`."""
        self.recognizer.set_active(safety)
        self.recognizer.start_utterance()
        for offset in range(0, len(audio), ENGINE_BLOCK_BYTES):
            self._send_block(audio, offset, start)
        candidates = self.recognizer.end_utterance()
        self.recognizer.set_active(self._active)
        coach = coach_utterances(segment, self.speech_log, self.clock, self.rules.echo_tail_s)
        return [d for d in self._judge(candidates, segment, coach, echo_removed) if d.command.id in safety]

    def _judge(self, candidates: list[Detection], segment: Segment, coach: list,
               echo_removed: bool = False, echo_removable: bool = False) -> list[Detection]:
        accepted = []
        for candidate in candidates:
            detection = replace(
                candidate, at=self.stream_seconds, start=segment.start, end=segment.speech_end or 0.0
            )
            reason = reject_reason(
                detection, segment, self.recognizer.engine, coach, self.rules, self.clock, echo_removed,
                echo_removable,
            )
            if reason is None:
                log.debug("accepted %r (%.2f), speech %.2f-%.2f s%s", detection.phrase, detection.confidence,
                          segment.speech_start, segment.speech_end or 0.0, ", echo removed" if echo_removed else "")
                accepted.append(detection)
            else:
                log.debug("rejected %r: %s", detection.phrase, reason)
                if self.on_reject is not None:
                    self.on_reject(detection, reason)
        return accepted

    def _reject_silently(self, segment: Segment, reason: str) -> None:
        log.debug("utterance at %.2f s rejected: %s", segment.speech_start, reason)
