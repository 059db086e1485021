"""The real `Hardware` for `voicecoach doctor`: the project's factories plus a few PortAudio probes.

Every failure leaves as AudioDeviceError (or the factories' own VoicecoachError) so the doctor
reports it as a table row, never as a traceback.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Callable, Optional

import numpy as np

from voicecoach.asr.factory import make_recognizer
from voicecoach.asr.microphone import MicrophoneSource
from voicecoach.asr.models import find_vosk_model
from voicecoach.audio import devices
from voicecoach.audio.devices import DeviceSpec, OutputDevice
from voicecoach.audio.format import RECOGNIZER_RATE
from voicecoach.audio.speech import make_synthesizer
from voicecoach.doctor import Hardware, InputDevice
from voicecoach.errors import AudioDeviceError

PROBED_RATES = (8000, RECOGNIZER_RATE, 22050, 32000, 44100, 48000)
"""Hertz: the rates USB microphones and sound cards commonly offer, the recognizer's among them."""

TONE_HZ = 880.0
"""Pitch of the test beep: clear on a small speaker, not shrill."""

TONE_AMPLITUDE = 0.3
"""Linear: about -10 dBFS, audible without being harsh at full system volume."""

INT16_FULL_SCALE = float(np.iinfo(np.int16).max)


def play_tone(device: OutputDevice, seconds: float) -> None:
    sd = devices._sounddevice()
    t = np.arange(int(device.rate * seconds)) / device.rate
    beep = (TONE_AMPLITUDE * INT16_FULL_SCALE * np.sin(2 * np.pi * TONE_HZ * t)).astype(np.int16)
    try:
        sd.play(beep, samplerate=device.rate, device=device.index, blocking=True)
    except (sd.PortAudioError, ValueError) as error:
        raise AudioDeviceError(f"cannot play on {device.name!r}: {error}") from None


def find_input(spec: DeviceSpec) -> InputDevice:
    sd = devices._sounddevice()
    try:
        info = sd.query_devices(spec, "input")
    except (ValueError, sd.PortAudioError) as error:
        wanted = "default input" if spec is None else f"input device {spec!r}"
        raise AudioDeviceError(f"no {wanted}: {error}") from None
    rates = []
    for rate in PROBED_RATES:
        try:
            sd.check_input_settings(device=info["index"], samplerate=rate, channels=1, dtype="int16")
        except (ValueError, sd.PortAudioError):
            continue
        rates.append(rate)
    return InputDevice(int(info["index"]), str(info["name"]), tuple(rates))


def listen(spec: DeviceSpec, seconds: float, meter: Callable[[float], None]) -> float:
    """Peak level (0..1) heard through the project's microphone source in `seconds`."""
    peak = 0.0
    deadline = time.monotonic() + seconds
    with MicrophoneSource(spec) as microphone:
        for chunk in microphone.chunks():
            samples = chunk.samples()
            level = float(np.abs(samples.astype(np.int32)).max()) / INT16_FULL_SCALE if samples.size else 0.0
            peak = max(peak, level)
            meter(level)
            if time.monotonic() >= deadline:
                break
    return peak


def recognizer(engine: str, model: Optional[Path]) -> object:
    return make_recognizer(engine, model)


def disk_free(path: Path) -> int:
    return shutil.disk_usage(path).free


def real_hardware() -> Hardware:
    return Hardware(
        synthesizer=make_synthesizer,
        find_output=devices.find_output,
        play_tone=play_tone,
        find_input=find_input,
        listen=listen,
        recognizer=recognizer,
        vosk_model=find_vosk_model,
        disk_free=disk_free,
    )
