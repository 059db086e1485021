"""A private, user-level PulseAudio with null sinks, for tests and the benchmark.

Real audio goes through PortAudio's ALSA "pulse" device (libasound2-plugins) into a null sink, and
the sink's monitor is recorded back, so the code under test runs its real stream with no sound
card. The server lives in a temporary runtime folder and never touches a desktop session's server.

PortAudio lists devices once when it initializes, so after the server starts (or a sink comes or
goes) `rescan_devices()` re-initializes it; the project's player does the same when it reopens.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
import wave
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import numpy as np

SPEAKER_SINK = "coach_speaker"
"""The null sink standing in for the coach's loudspeaker."""

ROOM_SINK = "room_mic"
"""The null sink whose monitor stands in for the room microphone."""

SINK_RATE = 48000
"""Hertz. A common sound-card rate, so the player's resampling path is the one exercised."""

SERVER_START_TIMEOUT_S = 10.0
"""Seconds to wait for the socket; a loaded 2-core CI machine can take a few seconds."""

POLL_INTERVAL_S = 0.05
"""Seconds between checks while waiting for the server."""

RECORD_LATENCY_MS = 20
"""parec's requested latency: small enough to track the sink closely; at 10 ms the null sink underran."""

AWAKE_LATENCY_S = 0.1
"""A sink configured at or below this latency has left its idle 2 s blocks."""

SINK_MODULE_ARGS = "rate={rate} channels=1 format=s16le sink_properties=device.description={name}"


def pulseaudio_missing_reason() -> Optional[str]:
    """Why the private server cannot run here, or None when it can."""
    for tool in ("pulseaudio", "pactl", "parec"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (apt install pulseaudio pulseaudio-utils)"
    return None


@dataclass
class Recording:
    """A sink monitor being recorded with parec; `stop()` returns its samples."""

    process: subprocess.Popen
    path: Path
    rate: int
    started: float
    """time.monotonic() when parec was launched (a rough anchor only; align on a reference)."""

    def stop(self) -> np.ndarray:
        """Mono float samples in [-1, 1]."""
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        with wave.open(str(self.path), "rb") as reader:
            frames = reader.readframes(reader.getnframes())
        return np.frombuffer(frames, dtype=np.int16).astype(np.float32) / 32767.0


@dataclass
class PrivatePulse:
    """A running private PulseAudio server and the environment that reaches it."""

    runtime_dir: Path
    process: subprocess.Popen
    env: dict = field(default_factory=dict)
    """Variables (XDG_RUNTIME_DIR, PULSE_SERVER, ...) that point clients at this server."""

    modules: dict = field(default_factory=dict)
    """Sink name -> module index, for the sinks this helper loaded."""

    keepalives: list = field(default_factory=list)
    """parec processes holding the sinks at low latency (see `keep_awake`)."""

    @property
    def control_server(self) -> str:
        """The socket pactl and parec use, so they keep working while clients are cut off."""
        return f"unix:{self.runtime_dir / 'control'}"

    @property
    def client_socket(self) -> Path:
        return self.runtime_dir / "pulse" / "native"

    def pactl(self, *args: str) -> str:
        result = subprocess.run(
            ["pactl", f"--server={self.control_server}", *args],
            env={**os.environ, **self.env}, capture_output=True, text=True, timeout=10,
        )
        if result.returncode != 0:
            raise RuntimeError(f"pactl {' '.join(args)}: {result.stderr.strip()}")
        return result.stdout.strip()

    def load_module(self, name: str, arguments: str = "") -> int:
        return int(self.pactl("load-module", name, *([arguments] if arguments else [])))

    def unload_module(self, index: int) -> None:
        self.pactl("unload-module", str(index))

    def add_sink(self, name: str, rate: int = SINK_RATE) -> int:
        index = self.load_module("module-null-sink", f"sink_name={name} " + SINK_MODULE_ARGS.format(rate=rate, name=name))
        self.modules[name] = index
        return index

    def remove_sink(self, name: str) -> None:
        """Unload a sink, as if its device were unplugged."""
        self.unload_module(self.modules.pop(name))

    def add_room_loopback(self, latency_ms: int = 20) -> int:
        """The room: what the speaker plays is heard by the microphone (room_mic.monitor)."""
        return self.load_module(
            "module-loopback",
            f"source={SPEAKER_SINK}.monitor sink={ROOM_SINK} latency_msec={latency_ms}",
        )

    def unplug_speaker(self) -> None:
        """Cut every client off the server, as if the sound card vanished mid-play.

        Unloading a sink is not enough: PulseAudio moves its streams to another sink and the
        player never notices. Closing the client socket breaks the stream as an unplug does.
        """
        for line in self.pactl("list", "short", "modules").splitlines():
            if "module-native-protocol-unix" in line and str(self.client_socket) in line:
                self.unload_module(int(line.split("\t")[0]))

    def replug_speaker(self) -> None:
        self.load_module("module-native-protocol-unix", f"socket={self.client_socket} auth-anonymous=1")

    def sinks(self) -> list[str]:
        lines = self.pactl("list", "short", "sinks").splitlines()
        return [line.split("\t")[1] for line in lines if "\t" in line]

    def record(self, source: str, path: Path, rate: int = SINK_RATE) -> Recording:
        """Start recording `source` (e.g. "coach_speaker.monitor") to a WAV file."""
        process = subprocess.Popen(
            ["parec", f"--server={self.control_server}", f"--device={source}", f"--rate={rate}", "--channels=1", "--format=s16le",
             f"--latency-msec={RECORD_LATENCY_MS}", "--file-format=wav", str(path)],
            env={**os.environ, **self.env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        return Recording(process, path, rate, time.monotonic())

    def play_file(self, path: Path, sink: str) -> None:
        """Play a sound file into a sink and wait until it has played."""
        subprocess.run(["paplay", f"--server={self.control_server}", f"--device={sink}", str(path)], env={**os.environ, **self.env},
                       check=True, timeout=60)

    def latency_s(self, sink: str) -> float:
        """Seconds of audio the sink holds right now (not the configured target)."""
        text = self.pactl("list", "sinks")
        block = text.split(f"Name: {sink}\n", 1)[1]
        line = next(line for line in block.splitlines() if "Latency:" in line)
        return int(line.split("Latency:")[1].split()[0]) / 1e6

    def keep_awake(self, sink: str) -> None:
        """Hold `sink` at low latency with a silent low-latency reader of its monitor.

        An idle null sink sleeps in 2 s blocks and only notices a new low-latency stream at the
        next wake-up, so a stream's first second or two would otherwise never be requested.
        Real sound cards do not do this. `wait_awake` waits until the sink has switched.
        """
        process = subprocess.Popen(
            ["parec", f"--server={self.control_server}", f"--device={sink}.monitor",
             f"--latency-msec={RECORD_LATENCY_MS}", "--raw"],
            env={**os.environ, **self.env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        self.keepalives.append(process)

    def wait_awake(self, sink: str) -> None:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while self.latency_s(sink) > AWAKE_LATENCY_S and time.monotonic() < deadline:
            time.sleep(POLL_INTERVAL_S)

    def stop(self) -> None:
        for keepalive in self.keepalives:
            keepalive.kill()
            keepalive.wait()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _config(runtime_dir: Path) -> Path:
    socket = runtime_dir / "pulse" / "native"
    config = runtime_dir / "test.pa"
    config.write_text(
        f"load-module module-native-protocol-unix socket={socket} auth-anonymous=1\n"
        f"load-module module-native-protocol-unix socket={runtime_dir / 'control'} auth-anonymous=1\n"
        f"load-module module-always-sink\n"
    )
    return config


def start_pulse(base_dir: Optional[Path] = None) -> PrivatePulse:
    """Start a private server with the speaker and room sinks; the caller must `stop()` it."""
    reason = pulseaudio_missing_reason()
    if reason:
        raise RuntimeError(reason)
    runtime_dir = Path(tempfile.mkdtemp(prefix="vc-pulse-", dir=base_dir))
    (runtime_dir / "pulse").mkdir()
    socket = runtime_dir / "pulse" / "native"
    env = {
        "XDG_RUNTIME_DIR": str(runtime_dir),
        "PULSE_SERVER": f"unix:{socket}",
        "PULSE_RUNTIME_PATH": str(runtime_dir / "pulse"),
        "PULSE_STATE_PATH": str(runtime_dir / "state"),
        "PULSE_CONFIG_PATH": str(runtime_dir / "config"),
        "HOME": os.environ.get("HOME", str(runtime_dir)),
    }
    process = subprocess.Popen(
        ["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--use-pid-file=no",
         "--disable-shm=yes", "--log-target=stderr", "--log-level=error", "-F", str(_config(runtime_dir))],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    pulse = PrivatePulse(runtime_dir, process, env)
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"pulseaudio exited: {process.stderr.read().decode(errors='replace')}")
        try:
            pulse.pactl("info")
            break
        except (RuntimeError, subprocess.TimeoutExpired):
            if time.monotonic() > deadline:
                pulse.stop()
                raise RuntimeError("pulseaudio did not start within the timeout")
            time.sleep(POLL_INTERVAL_S)
    pulse.add_sink(SPEAKER_SINK)
    pulse.add_sink(ROOM_SINK)
    pulse.pactl("set-default-sink", SPEAKER_SINK)
    for sink in (SPEAKER_SINK, ROOM_SINK):
        pulse.keep_awake(sink)
    for sink in (SPEAKER_SINK, ROOM_SINK):
        pulse.wait_awake(sink)
    return pulse


def apply_env(pulse: PrivatePulse) -> dict:
    """Point this process's PortAudio at the server; returns the old values for `restore_env`."""
    old = {key: os.environ.get(key) for key in pulse.env}
    os.environ.update(pulse.env)
    return old


def restore_env(old: dict) -> None:
    for key, value in old.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def rescan_devices() -> None:
    """Make PortAudio list devices afresh (it scans only when it initializes)."""
    import sounddevice

    sounddevice._terminate()
    sounddevice._initialize()


ONSET_THRESHOLD = 0.02
"""Linear amplitude (about -34 dBFS) taken as "sound": far above the null sink's digital silence
and below the first glottal pulse of an espeak-ng word."""


def first_sound(samples: np.ndarray, rate: int, after_s: float = 0.0, threshold: float = ONSET_THRESHOLD) -> Optional[float]:
    """Seconds into `samples` of the first sample louder than `threshold`, at or after `after_s`."""
    start = int(after_s * rate)
    loud = np.flatnonzero(np.abs(samples[start:]) > threshold)
    return None if len(loud) == 0 else (start + loud[0]) / rate


def last_sound(samples: np.ndarray, rate: int, before_s: Optional[float] = None, threshold: float = ONSET_THRESHOLD) -> Optional[float]:
    """Seconds into `samples` just after the last sample louder than `threshold`, before `before_s`."""
    end = len(samples) if before_s is None else int(before_s * rate)
    loud = np.flatnonzero(np.abs(samples[:end]) > threshold)
    return None if len(loud) == 0 else (loud[-1] + 1) / rate


def tone(rate: int, seconds: float, frequency: float = 1000.0, amplitude: float = 0.5) -> np.ndarray:
    """A sine burst as int16: the reference mark that aligns a recording with the monotonic clock."""
    t = np.arange(int(rate * seconds)) / rate
    return (amplitude * 32767 * np.sin(2 * np.pi * frequency * t)).astype(np.int16)
