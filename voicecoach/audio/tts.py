"""Speech synthesis: text in, mono int16 audio out. Nothing here plays sound.

pyttsx3 (espeak-ng driver) is used as a renderer only: `save_to_file` in a worker process
(see synth_worker.py for why a process), read back as PCM. Volume is not the engine's business:
the player applies it as gain, so "louder" works on the very next sample.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, replace
from typing import Optional, Protocol, Sequence

from voicecoach.audio.format import AudioChunk, AudioFormat
from voicecoach.errors import EngineUnavailable

DEFAULT_RATE_WPM = 175
"""Words per minute: espeak-ng's own default, the pace its voices are tuned for."""

MIN_RATE_WPM = 80
"""Slower than this espeak-ng stretches vowels until words become hard to follow."""

MAX_RATE_WPM = 300
"""Faster than this the counts and cues blur for someone breathing through a stretch."""

WORKER_START_TIMEOUT_S = 10.0
"""Seconds for the worker to import pyttsx3 and load a voice; generous for a busy Raspberry Pi."""

SYNTH_TIMEOUT_S = 10.0
"""Seconds one utterance may take: espeak-ng renders about 100x real time, so this means a hang."""

WORKER_COMMAND = (sys.executable, "-m", "voicecoach.audio.synth_worker")
"""The worker process; its arguments (--rate, --voice) are appended."""

INSTALL_HINT = "install espeak-ng (apt install espeak-ng libespeak-ng1) and pyttsx3 (pip install pyttsx3)"


@dataclass(frozen=True)
class VoiceSettings:
    voice: str = ""
    """espeak-ng voice id such as "gmw/en-us"; empty for the engine's default."""

    rate_wpm: int = DEFAULT_RATE_WPM
    """Words per minute, MIN_RATE_WPM..MAX_RATE_WPM."""

    volume: float = 1.0
    """Linear gain 0..1 the player applies; not passed to the engine."""

    def __post_init__(self) -> None:
        if not MIN_RATE_WPM <= self.rate_wpm <= MAX_RATE_WPM:
            raise ValueError(f"rate must be {MIN_RATE_WPM}..{MAX_RATE_WPM} words per minute, not {self.rate_wpm}")
        if not 0.0 <= self.volume <= 1.0:
            raise ValueError(f"volume must be 0..1, not {self.volume}")

    def with_rate(self, delta_wpm: int) -> "VoiceSettings":
        """These settings with the rate moved by `delta_wpm`, kept inside the allowed range."""
        rate = min(MAX_RATE_WPM, max(MIN_RATE_WPM, self.rate_wpm + delta_wpm))
        return replace(self, rate_wpm=rate)

    def with_volume(self, delta: float) -> "VoiceSettings":
        return replace(self, volume=min(1.0, max(0.0, self.volume + delta)))


class Synthesizer(Protocol):
    settings: VoiceSettings

    def synthesize(self, text: str, settings: Optional[VoiceSettings] = None) -> AudioChunk:
        """`text` spoken with `settings` (default: the current ones), as mono int16."""

    def duration(self, text: str) -> float:
        """Seconds `text` lasts when spoken, measured on the synthesized audio."""

    def configure(self, settings: VoiceSettings) -> None:
        """Use these settings from the next utterance on."""

    def close(self) -> None: ...


class Pyttsx3Synthesizer:
    """pyttsx3 + espeak-ng in a worker process, restarted when the voice or rate changes."""

    def __init__(
        self,
        settings: VoiceSettings = VoiceSettings(),
        worker: Sequence[str] = WORKER_COMMAND,
        start_timeout_s: float = WORKER_START_TIMEOUT_S,
        synth_timeout_s: float = SYNTH_TIMEOUT_S,
    ) -> None:
        self.settings = settings
        self._command = list(worker)
        self._start_timeout_s = start_timeout_s
        self._synth_timeout_s = synth_timeout_s
        self._lock = threading.Lock()
        """Serializes requests: the worker answers one at a time, in order."""
        self._process: Optional[subprocess.Popen] = None
        self._process_key: Optional[tuple[str, int]] = None

    def configure(self, settings: VoiceSettings) -> None:
        with self._lock:
            self.settings = settings

    def duration(self, text: str) -> float:
        return self.synthesize(text).duration

    def synthesize(self, text: str, settings: Optional[VoiceSettings] = None) -> AudioChunk:
        if not text.strip():
            raise ValueError("nothing to say: the text is empty")
        with self._lock:
            settings = settings or self.settings
            for attempt in range(2):
                process = self._worker(settings)
                try:
                    return self._request(process, text)
                except _WorkerDied as error:
                    self._stop_worker()
                    if attempt == 1:
                        raise EngineUnavailable(f"speech synthesis failed ({error}); {INSTALL_HINT}") from None
        raise AssertionError("unreachable")

    def close(self) -> None:
        with self._lock:
            self._stop_worker()

    def _worker(self, settings: VoiceSettings) -> subprocess.Popen:
        key = (settings.voice, settings.rate_wpm)
        if self._process is not None and self._process_key == key and self._process.poll() is None:
            return self._process
        self._stop_worker()
        if shutil.which("espeak-ng") is None and not _has_espeak_library():
            raise EngineUnavailable(f"espeak-ng is not installed; {INSTALL_HINT}")
        command = [*self._command, "--rate", str(key[1])]
        if key[0]:
            command += ["--voice", key[0]]
        try:
            process = subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
            )
        except OSError as error:
            raise EngineUnavailable(f"could not start the speech worker: {error}") from None
        self._process, self._process_key = process, key
        try:
            line = _read_line(process, self._start_timeout_s)
        except _WorkerDied as error:
            self._stop_worker()
            raise EngineUnavailable(f"speech engine did not start ({error}); {INSTALL_HINT}") from None
        if line != "ready":
            self._stop_worker()
            reason = line.removeprefix("error ")
            hint = "" if reason.startswith("unknown voice") else f"; {INSTALL_HINT}"
            raise EngineUnavailable(f"speech engine failed: {reason}{hint}")
        return process

    def _request(self, process: subprocess.Popen, text: str) -> AudioChunk:
        assert process.stdin is not None
        try:
            process.stdin.write((json.dumps(text) + "\n").encode())
            process.stdin.flush()
        except OSError as error:
            raise _WorkerDied(f"worker pipe closed: {error}") from None
        header = _read_line(process, self._synth_timeout_s)
        if header.startswith("error "):
            raise EngineUnavailable(f"speech engine could not say {text!r}: {header[6:]}")
        fields = header.split()
        if len(fields) != 3 or fields[0] != "ok":
            raise _WorkerDied(f"unexpected reply {header!r}")
        _, rate, size = fields
        pcm = _read_exact(process, int(size), self._synth_timeout_s)
        return AudioChunk(AudioFormat(rate=int(rate)), pcm)

    def _stop_worker(self) -> None:
        process, self._process, self._process_key = self._process, None, None
        if process is None:
            return
        if process.stdin:
            try:
                process.stdin.close()
            except OSError:
                pass
        try:
            process.wait(timeout=1.0)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()


class _WorkerDied(Exception):
    """The worker hung, crashed or spoke nonsense; it is replaced once before giving up."""


def _has_espeak_library() -> bool:
    import ctypes.util

    return ctypes.util.find_library("espeak-ng") is not None


def _read_exact(process: subprocess.Popen, size: int, timeout_s: float) -> bytes:
    assert process.stdout is not None
    fd = process.stdout.fileno()
    deadline = time.monotonic() + timeout_s
    parts: list[bytes] = []
    remaining = size
    while remaining > 0:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            process.kill()
            raise _WorkerDied(f"no answer within {timeout_s:g} s")
        data = os.read(fd, min(remaining, 1 << 16))
        if not data:
            raise _WorkerDied(f"worker exited with code {process.wait()}")
        parts.append(data)
        remaining -= len(data)
    return b"".join(parts)


def _read_line(process: subprocess.Popen, timeout_s: float) -> str:
    # Byte by byte so nothing after the newline is consumed; header lines are a few bytes long.
    line = bytearray()
    while not line.endswith(b"\n"):
        line += _read_exact(process, 1, timeout_s)
    return line.decode().strip()
