"""Playing speech: one sounddevice OutputStream owned by the project, abortable at any sample.

The audio callback only copies from a PlayQueue. A supervisor thread moves the queue's start/end
events into the SpeechLog, watches the stream, and reopens it with a backoff when the device
comes back after being lost.
"""

from __future__ import annotations

import collections
import itertools
import sys
import threading
import time
from dataclasses import dataclass
from typing import Callable, Optional, OrderedDict, Protocol

import numpy as np

from voicecoach.audio import devices
from voicecoach.audio.activity import SpeechLog
from voicecoach.audio.convert import AudioConverter
from voicecoach.audio.format import AudioChunk
from voicecoach.audio.playqueue import MAX_QUEUED_UTTERANCES, PlayQueue
from voicecoach.errors import AudioDeviceError

BLOCK_S = 0.005
"""Seconds per callback block: an abort takes effect at the next block, so small blocks mean a fast stop."""

LATENCY_S = 0.02
"""Seconds of output buffering asked of PortAudio; with BLOCK_S it bounds abort latency (< 50 ms)."""

MAX_PLAUSIBLE_AHEAD_S = 1.0
"""Seconds; a PortAudio DAC time further ahead than this is garbage and the stream latency is used."""

SUPERVISE_INTERVAL_S = 0.01
"""Seconds between supervisor passes: how late a SpeechLog entry can be written."""

STALL_TIMEOUT_S = 3.0
"""Seconds with no callback before the stream counts as lost; PulseAudio's null sink idles in 2 s blocks."""

REOPEN_FIRST_DELAY_S = 0.25
REOPEN_MAX_DELAY_S = 4.0
"""Seconds between attempts to reopen a lost device, doubling from the first to the max."""

RESAMPLE_PIECE_S = 0.25
"""Seconds converted at a time so the converter's working arrays stay small on a Raspberry Pi."""

PREPARED_CACHE = 128
"""Resampled utterances kept, so cached counts are not resampled on every beat."""


@dataclass(frozen=True)
class PlayerSettings:
    device: devices.DeviceSpec = None
    """PortAudio index or name (part); None for the default output."""

    rate: Optional[int] = None
    """Hertz to open the device at; None picks the device's default or 48000/44100."""

    volume: float = 1.0
    """Linear gain 0..1 applied as samples go out, so a change is heard within one block."""

    rescan_when_lost: bool = True
    """Let a lost speaker be found again by re-scanning PortAudio's devices (a replugged USB
    card gets a new entry). Re-scanning resets PortAudio for the whole process, so any other
    stream in it (a microphone) must reopen too; set False where that is not wanted."""


class AudioPlayer(Protocol):
    def play(self, chunk: AudioChunk, text: str, kind: str = "cue", at: Optional[float] = None) -> int:
        """Queue `chunk`; returns a ticket. `at` is the monotonic time its first sample should play."""

    def abort(self) -> None:
        """Silence now: drop what is playing and queued."""

    def drain(self, timeout: Optional[float] = None) -> bool:
        """Wait until everything queued has played; False on timeout."""

    def is_playing(self) -> bool: ...

    def set_volume(self, volume: float) -> None: ...

    def close(self) -> None: ...


def report_to_stderr(message: str) -> None:
    """The one way the audio and listening layers tell the person something outside the transcript."""
    print(f"voicecoach: {message}", file=sys.stderr, flush=True)


class SoundDevicePlayer:
    def __init__(
        self,
        settings: PlayerSettings,
        log: SpeechLog,
        report: Callable[[str], None] = report_to_stderr,
    ) -> None:
        self.settings = settings
        self.log = log
        self.report = report
        self._lock = threading.Lock()
        """Guards everything below that the supervisor and callers both touch."""
        self._tickets = itertools.count(1)
        self._log_ids: dict[int, int] = {}
        self._queued_audio: OrderedDict[int, AudioChunk] = collections.OrderedDict()
        """Ticket -> the chunk queued, handed to the SpeechLog when it starts playing."""
        self._prepared: OrderedDict[tuple[AudioChunk, int], np.ndarray] = collections.OrderedDict()
        self._stream = None
        self._lost_reason: Optional[str] = None
        self._closing = threading.Event()
        self.device = devices.find_output(settings.device, settings.rate)
        self._queue = PlayQueue(self.device.rate, time.monotonic())
        self._queue.set_gain(settings.volume)
        self._open_stream()
        self._supervisor = threading.Thread(target=self._supervise, name="speech-player", daemon=True)
        self._supervisor.start()

    # --- the API -------------------------------------------------------------------------------

    def play(self, chunk: AudioChunk, text: str, kind: str = "cue", at: Optional[float] = None) -> int:
        samples, rate = self._prepare(chunk)
        with self._lock:
            ticket = next(self._tickets)
            lost = self._lost_reason
        # While the device is lost the words are dropped, not kept: played late they would be stale.
        if lost is None:
            with self._lock:
                self._queued_audio[ticket] = chunk
                while len(self._queued_audio) > MAX_QUEUED_UTTERANCES:
                    self._queued_audio.popitem(last=False)
            self._queue.put(ticket, text, kind, samples, at, rate)
        return ticket

    def abort(self) -> None:
        self._forget_audio(self._queue.abort(time.monotonic()))
        self._flush_events()

    def drain(self, timeout: Optional[float] = None) -> bool:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.is_playing():
            if deadline is not None and time.monotonic() > deadline:
                return False
            time.sleep(SUPERVISE_INTERVAL_S)
        return True

    stop = drain

    def is_playing(self) -> bool:
        return self._queue.busy(time.monotonic())

    def set_volume(self, volume: float) -> None:
        self._queue.set_gain(min(1.0, max(0.0, volume)))

    @property
    def problem(self) -> Optional[str]:
        """Why nothing can be heard right now, or None while the device works."""
        with self._lock:
            return self._lost_reason

    def close(self) -> None:
        self._closing.set()
        self.abort()
        self._supervisor.join(timeout=2.0)
        self._close_stream()

    # --- inside --------------------------------------------------------------------------------

    def _prepare(self, chunk: AudioChunk) -> tuple[np.ndarray, int]:
        """The chunk as int16 frames at the device's rate, and that rate."""
        with self._lock:
            rate = self.device.rate
        key = (chunk, rate)
        with self._lock:
            cached = self._prepared.get(key)
            if cached is not None:
                self._prepared.move_to_end(key)
                return cached, rate
        if chunk.format.rate == rate and chunk.format.channels == 1:
            samples = chunk.samples()[:, 0].copy()
        else:
            converter = AudioConverter(rate)
            piece = max(1, chunk.format.frames(RESAMPLE_PIECE_S)) * chunk.format.bytes_per_frame
            parts = [converter.convert(AudioChunk(chunk.format, chunk.audio[i : i + piece])).audio
                     for i in range(0, len(chunk.audio), piece)]
            parts.append(converter.flush().audio)
            samples = np.frombuffer(b"".join(parts), dtype=np.int16).copy()
        with self._lock:
            self._prepared[key] = samples
            while len(self._prepared) > PREPARED_CACHE:
                self._prepared.popitem(last=False)
        return samples, rate

    def _callback(self, outdata, frames, time_info, status) -> None:
        now = time.monotonic()
        ahead = time_info.outputBufferDacTime - time_info.currentTime
        if not 0.0 <= ahead < MAX_PLAUSIBLE_AHEAD_S:
            ahead = LATENCY_S
        self._queue.fill(outdata[:, 0], now + ahead, now)

    def _open_stream(self) -> None:
        import sounddevice

        self._queue.reset(self.device.rate, time.monotonic())
        try:
            stream = sounddevice.OutputStream(
                device=self.device.index, samplerate=self.device.rate, channels=1, dtype="int16",
                blocksize=max(1, int(self.device.rate * BLOCK_S)), latency=LATENCY_S,
                callback=self._callback,
            )
            stream.start()
        except (sounddevice.PortAudioError, ValueError) as error:
            raise AudioDeviceError(f"cannot open {self.device.name!r}: {error}") from None
        with self._lock:
            self._stream = stream

    def _close_stream(self) -> None:
        with self._lock:
            stream, self._stream = self._stream, None
        if stream is not None:
            try:
                stream.abort()
                stream.close()
            except Exception:  # a vanished device fails to close too; nothing is left to release
                pass

    def _forget_audio(self, tickets: list[int]) -> None:
        """Drop the kept audio of utterances that will never start."""
        with self._lock:
            for ticket in tickets:
                self._queued_audio.pop(ticket, None)

    def _flush_events(self) -> None:
        for event in self._queue.take_events():
            with self._lock:
                if event.what == "start":
                    audio = self._queued_audio.pop(event.ticket, None)
                    self._log_ids[event.ticket] = self.log.started(
                        event.text, event.kind, event.time, audio, event.position
                    )
                    continue
                log_id = self._log_ids.pop(event.ticket, None)
            if log_id is not None:
                self.log.ended(log_id, event.time)

    def _stream_failure(self) -> Optional[str]:
        with self._lock:
            stream = self._stream
        if stream is None:
            return None
        if not stream.active:
            return "the output stream stopped"
        if time.monotonic() - self._queue.last_fill() > STALL_TIMEOUT_S:
            return f"no audio requested for {STALL_TIMEOUT_S:.0f} s"
        return None

    def _supervise(self) -> None:
        delay = REOPEN_FIRST_DELAY_S
        next_try = 0.0
        while not self._closing.wait(SUPERVISE_INTERVAL_S):
            self._flush_events()
            failure = self._stream_failure()
            if failure is not None:
                self._forget_audio(self._queue.abort(time.monotonic(), device_gone=True))
                self._flush_events()
                self._close_stream()
                with self._lock:
                    self._lost_reason = f"speaker {self.device.name!r} lost: {failure}"
                    self._log_ids.clear()
                self.report(f"{self.problem}; retrying")
                delay, next_try = REOPEN_FIRST_DELAY_S, time.monotonic() + REOPEN_FIRST_DELAY_S
            elif self.problem is not None and time.monotonic() >= next_try:
                if self._try_reopen():
                    self.report(f"speaker {self.device.name!r} is back")
                else:
                    delay = min(REOPEN_MAX_DELAY_S, delay * 2)
                    next_try = time.monotonic() + delay

    def _try_reopen(self) -> bool:
        # First with PortAudio's old device list (enough when the same card comes back), then
        # rescanned: that resets PortAudio for the whole process, so it is the second choice.
        for rescan in (False, True) if self.settings.rescan_when_lost else (False,):
            try:
                if rescan:
                    devices.rescan()
                device = devices.find_output(self.settings.device, self.settings.rate)
                with self._lock:
                    self.device = device
                self._open_stream()
            except AudioDeviceError:
                continue
            with self._lock:
                self._lost_reason = None
            return True
        return False
