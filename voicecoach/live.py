"""Hands-free input: the microphone through the listening pipeline, on a thread of its own.

The listener never blocks the coach. If the microphone disappears, the coach keeps its schedule,
says once that it cannot hear, and the listener reopens the device when it comes back.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Callable, Iterable, Optional

from voicecoach.commands import CommandId
from voicecoach.errors import AudioDeviceError
from voicecoach.inputs import QueueInputs

log = logging.getLogger(__name__)

NO_AUDIO_LOST_S = 2.0
"""Seconds without a single block from the microphone before it counts as gone."""

REOPEN_EVERY_S = 2.0
"""Seconds between attempts to reopen a microphone that went away."""


class StreamClock:
    """Maps the pipeline's stream seconds to time.monotonic(), anchored at the newest chunk.

    Anchoring on arrival rather than on a device's start keeps the mapping right across a
    microphone that is unplugged and reopened, whose own stream time starts again at zero.
    """

    def __init__(self) -> None:
        self._stream_end = 0.0
        self._arrived = time.monotonic()

    def mark(self, stream_end: float, arrived: float) -> None:
        """The chunk ending at `stream_end` stream seconds arrived at monotonic `arrived`."""
        self._stream_end, self._arrived = stream_end, arrived

    def __call__(self, stream_seconds: float) -> float:
        return self._arrived - (self._stream_end - stream_seconds)


class SwitchingPipeline:
    """One microphone, two listeners: the idle phrase listener between sessions, the command
    pipeline during one. Each keeps its own stream clock, since only the one in use is fed."""

    def __init__(self, idle, commands, idle_clock: StreamClock, commands_clock: StreamClock) -> None:
        """Each clock is the one its pipeline was built with, so it maps that pipeline's time."""
        self._idle, self._commands = idle, commands
        self._clocks = {id(idle): idle_clock, id(commands): commands_clock}
        self._lock = threading.Lock()
        self._current = idle

    def use_idle(self) -> None:
        with self._lock:
            self._current = self._idle

    def use_commands(self, commands: Iterable[CommandId]) -> None:
        self._commands.set_active(commands)
        with self._lock:
            self._current = self._commands

    def set_active(self, commands: Iterable[CommandId]) -> None:
        self._commands.set_active(commands)

    @property
    def stream_seconds(self) -> float:
        with self._lock:
            return self._current.stream_seconds

    def feed(self, chunk) -> list:
        with self._lock:
            current = self._current
        self._clocks[id(current)].mark(current.stream_seconds + chunk.duration, time.monotonic())
        return current.feed(chunk)


class VoiceListener:
    """Microphone -> ListeningPipeline -> QueueInputs, with device loss and return handled."""

    def __init__(
        self,
        open_microphone: Callable[[], object],
        pipeline,
        inputs: QueueInputs,
        notify: Callable[[str], None],
        stream_clock: Optional[StreamClock] = None,
    ) -> None:
        """`open_microphone()` returns a started MicrophoneSource-like object (or raises
        AudioDeviceError); `notify(text)` tells the person something, once per change."""
        self._open = open_microphone
        self._pipeline = pipeline
        self._inputs = inputs
        self._notify = notify
        self._stream_clock = stream_clock or StreamClock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="voice-listener", daemon=True)

    def start(self) -> "VoiceListener":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=REOPEN_EVERY_S + NO_AUDIO_LOST_S)

    def set_active(self, commands: Iterable[CommandId]) -> None:
        self._pipeline.set_active(commands)

    def _run(self) -> None:
        told_lost = False
        while not self._stop.is_set():
            try:
                microphone = self._open()
            except AudioDeviceError as error:
                if not told_lost:
                    log.info("%s", error)  # the person is told below, in words
                    self._notify("I can't hear you right now. I'll keep going, and listen again when I can.")
                    told_lost = True
                self._stop.wait(REOPEN_EVERY_S)
                continue
            if told_lost:
                self._notify("I can hear you again.")
                told_lost = False
            try:
                self._listen(microphone)
            except Exception:  # noqa: BLE001 - a failing device or recognizer must not end listening
                log.exception("listening failed; reopening the microphone")
            finally:
                microphone.stop()
            if not self._stop.is_set() and not told_lost:
                self._notify("I can't hear you right now. I'll keep going, and listen again when I can.")
                told_lost = True

    def _listen(self, microphone) -> None:
        """Feed the pipeline until told to stop or the device goes quiet for good."""
        last_audio = time.monotonic()
        for chunk in microphone.chunks_until(self._stop, NO_AUDIO_LOST_S / 2):
            if chunk is None:
                if time.monotonic() - last_audio > NO_AUDIO_LOST_S and not microphone.active:
                    return
                continue
            last_audio = time.monotonic()
            self._stream_clock.mark(self._pipeline.stream_seconds + chunk.duration, last_audio)
            for detection in self._pipeline.feed(chunk):
                self._inputs.put(detection.phrase, detection.command)
