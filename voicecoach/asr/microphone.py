"""Microphone input: a sounddevice stream whose callback only copies into a bounded queue.

Everything else (conversion, recognition) happens on the consumer's thread via the pipeline.
To listen through an echo-cancelled source (see docs/echo-cancel.md), pass its device name or
index, or set PULSE_SOURCE for the PulseAudio/PipeWire "pulse" ALSA device.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from typing import Iterator, Optional, Union

from voicecoach.audio.format import RECOGNIZER_RATE, SAMPLE_WIDTH_INT16, AudioChunk, AudioFormat
from voicecoach.errors import AudioDeviceError

log = logging.getLogger(__name__)

BLOCK_S = 0.02
"""Seconds per callback block, and per file chunk in `voicecoach recognize`: short for latency."""
QUEUE_SECONDS = 2.0
"""Seconds of audio the queue holds before blocks are dropped: a stalled consumer loses audio, the
audio thread never blocks."""
READ_TIMEOUT_S = 0.5
"""Seconds `chunks()` waits before checking whether it should stop."""


def choose_rate(device: Optional[Union[int, str]]) -> int:
    """16 kHz when the device takes it (no resampling), else its default rate."""
    import sounddevice

    try:
        sounddevice.check_input_settings(device=device, samplerate=RECOGNIZER_RATE, channels=1, dtype="int16")
        return RECOGNIZER_RATE
    except Exception:  # sounddevice raises PortAudioError or ValueError for unsupported settings
        info = sounddevice.query_devices(device, "input")
        return int(info["default_samplerate"])


class MicrophoneSource:
    """`with MicrophoneSource() as mic: for chunk in mic.chunks(): pipeline.feed(chunk)`."""

    def __init__(self, device: Optional[Union[int, str]] = None, rate: Optional[int] = None) -> None:
        self.device = device
        self.rate = rate
        self.format: Optional[AudioFormat] = None
        self.dropped_blocks = 0
        self._queue: "queue.Queue[bytes]" = queue.Queue()
        self._stream = None
        self._start_monotonic: Optional[float] = None
        self._running = False

    def _callback(self, indata, frames, time_info, status) -> None:  # audio thread: copy only
        if self._start_monotonic is None:
            self._start_monotonic = time.monotonic() - frames / self.format.rate
        try:
            self._queue.put_nowait(bytes(indata))
        except queue.Full:
            self.dropped_blocks += 1

    def __enter__(self) -> "MicrophoneSource":
        try:
            import sounddevice

            rate = self.rate or choose_rate(self.device)
            self.format = AudioFormat(rate, SAMPLE_WIDTH_INT16, 1)
            blocks = max(1, int(QUEUE_SECONDS / BLOCK_S))
            self._queue = queue.Queue(maxsize=blocks)
            self._stream = sounddevice.RawInputStream(
                samplerate=rate, blocksize=self.format.frames(BLOCK_S), device=self.device,
                channels=1, dtype="int16", callback=self._callback,
            )
            self._stream.start()
        except Exception as error:  # PortAudioError, ValueError, OSError: all mean no usable device
            raise AudioDeviceError(f"cannot open microphone {self.device!r}: {error}") from error
        self._running = True
        log.info("microphone %r at %d Hz", self.device, self.format.rate)
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        self._running = False
        stream, self._stream = self._stream, None
        if stream is not None:
            try:
                stream.abort()  # drop what is buffered: nobody reads it any more
                stream.close()
            except Exception as error:  # a stream whose device vanished fails to close; it is gone anyway
                log.debug("closing the microphone: %s", error)

    def audio_to_monotonic(self, stream_seconds: float) -> float:
        """The pipeline's `clock`: stream time to time.monotonic(), within one block plus latency."""
        start = self._start_monotonic if self._start_monotonic is not None else time.monotonic()
        return start + stream_seconds

    @property
    def active(self) -> bool:
        """The device is still delivering: false once PortAudio stopped the stream (device gone)."""
        try:
            return self._stream is not None and bool(self._stream.active)
        except Exception:  # sounddevice.PortAudioError: a broken stream is not an active one
            return False

    def chunks_until(self, stop: "threading.Event", timeout_s: float) -> Iterator[Optional[AudioChunk]]:
        """Chunks until `stop` is set; None after each `timeout_s` with no audio, so a caller can
        notice a device that went silent for good."""
        position = 0
        while not stop.is_set():
            try:
                audio = self._queue.get(timeout=timeout_s)
            except queue.Empty:
                yield None
                continue
            yield AudioChunk(self.format, audio, position / self.format.rate)
            position += len(audio) // self.format.bytes_per_frame

    def chunks(self) -> Iterator[AudioChunk]:
        position = 0
        while self._running:
            try:
                audio = self._queue.get(timeout=READ_TIMEOUT_S)
            except queue.Empty:
                continue
            yield AudioChunk(self.format, audio, position / self.format.rate)
            position += len(audio) // self.format.bytes_per_frame
