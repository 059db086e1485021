"""Shared fixtures. The private PulseAudio server lives in tests/pulse.py."""

from __future__ import annotations

import contextlib

import pytest

import pulse
import voices


@pytest.fixture(autouse=True, scope="session")
def isolated_user_folders(tmp_path_factory):
    """No test reads or writes the developer's own settings, history or models."""
    home = tmp_path_factory.mktemp("home")
    patch = pytest.MonkeyPatch()
    patch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    patch.setenv("XDG_DATA_HOME", str(home / "data"))
    for variable in ("VOICECOACH_DATA_DIR", "VOICECOACH_USER", "VOICECOACH_VOSK_MODEL", "VOICECOACH_ROUTINES"):
        patch.delenv(variable, raising=False)
    yield home
    patch.undo()


@pytest.fixture(scope="session")
def pulse_server(tmp_path_factory):
    """A private PulseAudio with null sinks `coach_speaker` and `room_mic`, reached by PortAudio's
    ALSA "pulse" device. Skips only when pulseaudio itself is not installed."""
    reason = pulse.pulseaudio_missing_reason()
    if reason:
        pytest.skip(reason)
    server = pulse.start_pulse(tmp_path_factory.mktemp("pulse"))
    old = pulse.apply_env(server)
    pulse.rescan_devices()
    try:
        yield server
    finally:
        server.stop()
        pulse.restore_env(old)
        pulse.rescan_devices()


@pytest.fixture
def speaker_monitor(pulse_server, tmp_path):
    """Starts recording coach_speaker.monitor; call the returned function to stop and get samples."""
    recording = pulse_server.record(f"{pulse.SPEAKER_SINK}.monitor", tmp_path / "speaker.wav")
    stopped = []

    def stop():
        stopped.append(True)
        return recording.stop()

    yield stop
    if not stopped:
        recording.stop()


@contextlib.contextmanager
def _room(pulse_server, hears_the_speaker: bool):
    """The microphone is the room sink's monitor; with `hears_the_speaker`, a loopback carries the
    coach's speaker into the room, as a microphone beside a loudspeaker hears it."""
    if voices.voices_missing_reason():
        pytest.skip(voices.voices_missing_reason())
    previous_source = pulse_server.pactl("get-default-source").strip()
    loopback = pulse_server.add_room_loopback() if hears_the_speaker else None
    pulse_server.pactl("set-default-source", f"{pulse.ROOM_SINK}.monitor")
    try:
        yield pulse_server
    finally:
        if loopback is not None:
            pulse_server.unload_module(loopback)
        pulse_server.pactl("set-default-source", previous_source)


@pytest.fixture
def room(pulse_server):
    """A room where the microphone hears both the user and the coach's own speaker."""
    with _room(pulse_server, hears_the_speaker=True) as server:
        yield server


@pytest.fixture
def quiet_room(pulse_server):
    """A room where the microphone hears only the user."""
    with _room(pulse_server, hears_the_speaker=False) as server:
        yield server
