"""Finding an output device and a sample rate it accepts, through sounddevice/PortAudio."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Union

from voicecoach.errors import AudioDeviceError

PREFERRED_RATES = (48000, 44100)
"""Hertz, tried before the device's reported default. 48 kHz is what USB, HDMI and Pi audio and
PulseAudio run at natively; a rate the device only accepts by converting can drift: through
PulseAudio at 48 kHz, a stream opened at its reported default of 44.1 kHz drifted 0.12 ms per
second against the monotonic clock (14 ms late after two minutes of counts), at 48 kHz none."""

DeviceSpec = Union[int, str, None]
"""A PortAudio device index, a (part of a) device name, or None for the default output."""


@dataclass(frozen=True)
class OutputDevice:
    index: int
    name: str
    rate: int
    """Hertz: the rate the stream will be opened at."""


def _sounddevice():
    try:
        import sounddevice
    except OSError as error:  # the module loads but libportaudio2 is missing
        raise AudioDeviceError(f"PortAudio is not installed (apt install libportaudio2): {error}") from None
    return sounddevice


def rescan() -> None:
    """Make PortAudio list devices afresh; it only scans when it initializes.

    PortAudio counts initializations, so this takes effect only when no other stream in the
    process holds it open; the speech player calls it only while it has no stream of its own.
    """
    sd = _sounddevice()
    sd._terminate()
    sd._initialize()


def find_output(spec: DeviceSpec = None, rate: Optional[int] = None) -> OutputDevice:
    """The output device `spec` names, at `rate` or the first rate it accepts, mono int16.

    Raises AudioDeviceError saying what is missing when there is no usable output.
    """
    sd = _sounddevice()
    try:
        info = sd.query_devices(spec, "output")
    except (ValueError, sd.PortAudioError) as error:
        wanted = "default output" if spec is None else f"output device {spec!r}"
        raise AudioDeviceError(f"no {wanted}: {error}") from None
    default_rate = int(info["default_samplerate"])
    candidates = [rate] if rate else [*PREFERRED_RATES, default_rate]
    for candidate in candidates:
        try:
            sd.check_output_settings(device=info["index"], samplerate=candidate, channels=1, dtype="int16")
        except (ValueError, sd.PortAudioError):
            continue
        return OutputDevice(int(info["index"]), str(info["name"]), int(candidate))
    raise AudioDeviceError(f"output device {info['name']!r} accepts none of the rates {candidates} Hz")
