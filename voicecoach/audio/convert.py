"""The one audio converter: channel mix-down, width and rate conversion, streaming.

It keeps its filter history between chunks and computes every output instant from whole-number
counters, so the output is the same whatever size the input arrives in.
"""

from __future__ import annotations

from typing import Optional

import numpy as np

from voicecoach.audio.format import SAMPLE_WIDTH_INT16, AudioChunk, AudioFormat, float_to_int16

FILTER_HALF_WIDTH_ZEROS = 16
"""Zero crossings of the sinc kernel on each side: 16 keeps aliasing under about -60 dB."""

PASSBAND_FRACTION = 0.9
"""Fraction of the lower Nyquist frequency kept when the rate changes; the rest is the transition."""


class AudioConverter:
    """Converts a stream of chunks of any format to mono int16 at `target_rate`."""

    def __init__(self, target_rate: int) -> None:
        self.target = AudioFormat(rate=target_rate, width=SAMPLE_WIDTH_INT16, channels=1)
        self._source: Optional[AudioFormat] = None
        self._history = np.zeros(0, dtype=np.float64)
        self._history_start = 0
        """Index, in source frames since the stream began, of `_history[0]`."""
        self._frames_in = 0
        self._frames_out = 0
        self._cutoff = 1.0
        self._half_width = 0.0

    def _configure(self, source: AudioFormat) -> None:
        if self._source is not None and source != self._source:
            raise ValueError(f"stream format changed from {self._source} to {source}; call reset()")
        if self._source is None:
            self._source = source
            self._cutoff = min(1.0, self.target.rate / source.rate) * PASSBAND_FRACTION
            self._half_width = FILTER_HALF_WIDTH_ZEROS / self._cutoff

    def reset(self) -> None:
        """Forget the stream: the next chunk may have another format."""
        self.__init__(self.target.rate)

    def convert(self, chunk: AudioChunk) -> AudioChunk:
        """The converted audio that can be computed so far; the filter delay is kept for later."""
        self._configure(chunk.format)
        samples = chunk.samples().astype(np.float64)
        mono = samples.mean(axis=1) / np.iinfo(chunk.format.dtype).max
        if chunk.format.rate == self.target.rate:
            self._frames_in += len(mono)
            self._frames_out += len(mono)
            return AudioChunk(self.target, float_to_int16(mono).tobytes(), chunk.timestamp)
        self._history = np.concatenate([self._history, mono])
        self._frames_in += len(mono)
        return self._emit(final=False, timestamp=chunk.timestamp)

    def flush(self) -> AudioChunk:
        """The rest of the stream, as if silence followed it."""
        if self._source is None or self._source.rate == self.target.rate:
            return AudioChunk(self.target, b"")
        pad = int(np.ceil(self._half_width)) + 1
        self._history = np.concatenate([self._history, np.zeros(pad)])
        return self._emit(final=True, timestamp=None)

    def _emit(self, final: bool, timestamp: Optional[float]) -> AudioChunk:
        assert self._source is not None
        step = self._source.rate / self.target.rate
        last_input = self._frames_in - 1
        limit = last_input if final else last_input - self._half_width
        # Output n sits at source position n * source_rate / target_rate, in whole-number arithmetic.
        n_end = int(np.floor(limit * self.target.rate / self._source.rate)) + 1
        if final:
            n_end = int(np.ceil(self._frames_in * self.target.rate / self._source.rate))
        if n_end <= self._frames_out:
            return AudioChunk(self.target, b"", timestamp)
        n = np.arange(self._frames_out, n_end, dtype=np.int64)
        centres = n * self._source.rate / self.target.rate
        taps = np.arange(-int(np.ceil(self._half_width)), int(np.ceil(self._half_width)) + 1)
        first = np.floor(centres).astype(np.int64)
        index = first[:, None] + taps[None, :]
        offset = index - centres[:, None]
        window = np.clip(offset / self._half_width, -1.0, 1.0)
        weights = self._cutoff * np.sinc(self._cutoff * offset) * (0.5 + 0.5 * np.cos(np.pi * window))
        weights /= weights.sum(axis=1, keepdims=True)
        local = index - self._history_start
        valid = (local >= 0) & (local < len(self._history))
        values = np.where(valid, self._history[np.clip(local, 0, len(self._history) - 1)], 0.0)
        out = (values * weights).sum(axis=1)
        self._frames_out = n_end
        keep_from = int(np.floor(self._frames_out * step - self._half_width)) - 1
        drop = max(0, keep_from - self._history_start)
        if drop:
            self._history = self._history[drop:]
            self._history_start += drop
        return AudioChunk(self.target, float_to_int16(out).tobytes(), timestamp)


def convert_all(chunk: AudioChunk, target_rate: int) -> AudioChunk:
    """A whole recording converted at once (the same path as streaming, in one chunk)."""
    converter = AudioConverter(target_rate)
    head = converter.convert(chunk)
    tail = converter.flush()
    return AudioChunk(converter.target, head.audio + tail.audio, chunk.timestamp)
