"""Audio format and chunks: every buffer of samples travels with its rate, width and channels."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np

RECOGNIZER_RATE = 16000
"""Hertz. What both recognizers expect."""

SAMPLE_WIDTH_INT16 = 2
"""Bytes per sample of signed 16-bit PCM, the one width the project stores and plays."""

_DTYPES = {2: np.int16, 4: np.int32}


@dataclass(frozen=True)
class AudioFormat:
    rate: int
    """Hertz."""

    width: int = SAMPLE_WIDTH_INT16
    """Bytes per sample; 2 (int16) or 4 (int32)."""

    channels: int = 1
    """Interleaved channels per frame."""

    def __post_init__(self) -> None:
        if self.rate <= 0:
            raise ValueError(f"sample rate must be positive, not {self.rate}")
        if self.width not in _DTYPES:
            raise ValueError(f"sample width must be one of {sorted(_DTYPES)} bytes, not {self.width}")
        if self.channels <= 0:
            raise ValueError(f"channels must be positive, not {self.channels}")

    @property
    def dtype(self) -> type:
        return _DTYPES[self.width]

    @property
    def bytes_per_frame(self) -> int:
        return self.width * self.channels

    def seconds(self, n_bytes: int) -> float:
        """Seconds of audio in `n_bytes` bytes of this format."""
        return n_bytes / self.bytes_per_frame / self.rate

    def frames(self, seconds: float) -> int:
        """Whole frames in `seconds` seconds of this format."""
        return int(round(seconds * self.rate))


MONO_16K = AudioFormat(rate=RECOGNIZER_RATE)


@dataclass(frozen=True)
class AudioChunk:
    format: AudioFormat
    audio: bytes
    """Raw little-endian PCM, interleaved frames."""

    timestamp: Optional[float] = None
    """Seconds: the stream time of the chunk's first frame, where the source knows it."""

    @property
    def duration(self) -> float:
        """Seconds."""
        return self.format.seconds(len(self.audio))

    def samples(self) -> np.ndarray:
        """Frames as an array of shape (frames, channels), in the chunk's own integer type."""
        data = np.frombuffer(self.audio, dtype=self.format.dtype)
        return data.reshape(-1, self.format.channels)

    @classmethod
    def from_samples(
        cls, samples: np.ndarray, rate: int, timestamp: Optional[float] = None
    ) -> "AudioChunk":
        """A mono or (frames, channels) int16 array as a chunk."""
        array = np.asarray(samples)
        if array.dtype != np.int16:
            raise TypeError(f"expected int16 samples, got {array.dtype}")
        channels = 1 if array.ndim == 1 else array.shape[1]
        fmt = AudioFormat(rate=rate, width=SAMPLE_WIDTH_INT16, channels=channels)
        return cls(fmt, np.ascontiguousarray(array).tobytes(), timestamp)


def float_to_int16(samples: np.ndarray) -> np.ndarray:
    """Float samples in [-1, 1] to int16, clipping what lies outside."""
    return (np.clip(samples, -1.0, 1.0) * np.iinfo(np.int16).max).astype(np.int16)


def int16_to_float(samples: np.ndarray) -> np.ndarray:
    return samples.astype(np.float32) / np.iinfo(np.int16).max
