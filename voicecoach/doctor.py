"""`voicecoach doctor`: can a hands-free session work here, and if not, what to do about it.

Each check is a small function returning one `CheckResult`. Hardware is reached only through a
`Hardware` record of factory functions (voicecoach/doctor_hardware.py has the real ones), so the
tests give fakes for every pass/fail combination and one real run covers this machine.
"""

from __future__ import annotations

import enum
import math
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Optional

from voicecoach.audio.devices import DeviceSpec, OutputDevice
from voicecoach.audio.format import RECOGNIZER_RATE
from voicecoach.audio.tts import INSTALL_HINT, Synthesizer, VoiceSettings
from voicecoach.config import Settings
from voicecoach.errors import VoicecoachError
from voicecoach.history import DATA_DIR_ENV
from voicecoach.routine.library import check_files, routine_files, routines_dir
from voicecoach.routine.problems import Severity

TEST_PHRASE = "Breathe in, and relax your hips."
"""Spoken to a file by the synthesis check: short, and typical of what the coach says."""

MIN_SPEECH_S = 0.3
"""Seconds; the test phrase lasts about two, so less than this means the engine spoke nothing."""

TONE_S = 0.6
"""Seconds of the --tone beep: long enough to notice across a room, short enough not to startle."""

LOW_DISK_BYTES = 200 * 1_000_000
"""Bytes free below which the data folder warns: a Vosk model (about 70 MB unpacked, more while
downloading) plus years of history must fit."""

BYTES_PER_MB = 1_000_000

SILENT_PEAK = 10 ** (-50 / 20)
"""Linear peak (-50 dBFS) below which a microphone heard nothing at all: muted or unplugged."""

CLIPPING_PEAK = 0.99
"""Linear peak at which the input clips: speech distorts and the recognizer mishears."""

VOSK_MODEL_HINT = "voicecoach models download vosk-model-small-en-us-0.15"
DEVICE_HINT = "set {key} in the settings (`voicecoach config path`) to a name or index from {tool}"


class Status(str, enum.Enum):
    PASS = "PASS"
    WARN = "WARN"
    """Hands-free use works, but less well than it could."""
    FAIL = "FAIL"
    """Hands-free use cannot work until this is fixed."""


@dataclass(frozen=True)
class CheckResult:
    name: str
    status: Status
    detail: str
    fix: str = ""
    """What to do about a WARN or FAIL; empty for PASS."""


@dataclass(frozen=True)
class InputDevice:
    index: int
    name: str
    rates: tuple[int, ...]
    """Hertz: the sample rates it accepts for mono int16 capture."""


@dataclass(frozen=True)
class Hardware:
    """Factories for everything that touches a device, an engine or the disk."""

    synthesizer: Callable[[VoiceSettings], Synthesizer]
    find_output: Callable[[DeviceSpec], OutputDevice]
    play_tone: Callable[[OutputDevice, float], None]
    """Plays a beep of that many seconds on the device, returning when it has played."""
    find_input: Callable[[DeviceSpec], InputDevice]
    listen: Callable[[DeviceSpec, float, Callable[[float], None]], float]
    """Records for that many seconds, calling back with each block's peak; returns the overall peak (0..1)."""
    recognizer: Callable[[str, Optional[Path]], object]
    """make_recognizer(engine, model): anything with `description`."""
    vosk_model: Callable[[Optional[Path]], Optional[Path]]
    disk_free: Callable[[Path], int]
    """Bytes free on the file system holding the path."""


def dbfs(peak: float) -> float:
    """Decibels relative to full scale of a linear peak; very negative for silence."""
    return 20 * math.log10(max(peak, 1e-9))


def check_synthesis(settings: Settings, hardware: Hardware) -> CheckResult:
    name = "speech synthesis"
    voice = settings.voice or "default voice"
    try:
        synthesizer = hardware.synthesizer(settings.voice_settings())
        try:
            chunk = synthesizer.synthesize(TEST_PHRASE)
        finally:
            synthesizer.close()
        with tempfile.TemporaryDirectory(prefix="voicecoach-doctor-") as folder:
            with wave.open(str(Path(folder) / "test.wav"), "wb") as out:
                out.setnchannels(chunk.format.channels)
                out.setsampwidth(chunk.format.width)
                out.setframerate(chunk.format.rate)
                out.writeframes(chunk.audio)
    except (VoicecoachError, ValueError, OSError) as error:
        fix = "pick a voice from `espeak-ng --voices` for `voice` in the settings" if "voice" in str(error) else INSTALL_HINT
        return CheckResult(name, Status.FAIL, str(error), fix)
    if chunk.duration < MIN_SPEECH_S:
        return CheckResult(name, Status.FAIL, f"the test phrase came out {chunk.duration:.2f} s long", INSTALL_HINT)
    detail = f"{voice} at {settings.rate} wpm: {chunk.duration:.1f} s of speech at {chunk.format.rate} Hz"
    return CheckResult(name, Status.PASS, detail)


def check_output(settings: Settings, hardware: Hardware, tone: bool = False) -> CheckResult:
    name = "output device"
    fix = "connect a speaker; " + DEVICE_HINT.format(key="output_device", tool="`aplay -l` or `pactl list short sinks`")
    try:
        device = hardware.find_output(settings.output_device)
    except VoicecoachError as error:
        return CheckResult(name, Status.FAIL, str(error), fix)
    detail = f"#{device.index} {device.name!r} at {device.rate} Hz"
    if not tone:
        return CheckResult(name, Status.PASS, detail)
    try:
        hardware.play_tone(device, TONE_S)
    except VoicecoachError as error:
        return CheckResult(name, Status.FAIL, f"{detail}: test tone failed: {error}", fix)
    return CheckResult(name, Status.PASS, f"{detail}, test tone played (heard it? if not: alsamixer or pactl set-sink-volume)")


def check_input(
    settings: Settings, hardware: Hardware, listen_s: float = 0.0, meter: Callable[[float], None] = lambda peak: None
) -> CheckResult:
    name = "input device"
    fix = "connect a microphone; " + DEVICE_HINT.format(key="input_device", tool="`arecord -l` or `pactl list short sources`")
    try:
        device = hardware.find_input(settings.input_device)
    except VoicecoachError as error:
        return CheckResult(name, Status.FAIL, str(error), fix)
    if not device.rates:
        return CheckResult(name, Status.FAIL, f"#{device.index} {device.name!r} accepts no mono 16-bit rate", fix)
    rates = ", ".join(str(rate) for rate in device.rates)
    resampled = "" if RECOGNIZER_RATE in device.rates else f" (resampled to {RECOGNIZER_RATE})"
    detail = f"#{device.index} {device.name!r}, rates {rates} Hz{resampled}"
    if listen_s <= 0:
        return CheckResult(name, Status.PASS, detail)
    try:
        peak = hardware.listen(settings.input_device, listen_s, meter)
    except VoicecoachError as error:
        return CheckResult(name, Status.FAIL, f"{detail}: recording failed: {error}", fix)
    heard = f"{detail}, peak {dbfs(peak):.0f} dBFS over {listen_s:g} s"
    if peak < SILENT_PEAK:
        gain = "unmute and raise the capture level: alsamixer (F4) or pactl set-source-mute @DEFAULT_SOURCE@ 0"
        return CheckResult(name, Status.WARN, f"{heard}: silence", gain)
    if peak >= CLIPPING_PEAK:
        return CheckResult(name, Status.WARN, f"{heard}: clipping", "lower the capture level: alsamixer (F4) or pactl set-source-volume")
    return CheckResult(name, Status.PASS, heard)


def check_recognizer(settings: Settings, hardware: Hardware) -> CheckResult:
    name = "speech recognition"
    try:
        recognizer = hardware.recognizer(settings.engine, settings.model)
    except VoicecoachError as error:
        fix = f"run `{VOSK_MODEL_HINT}`, or set engine: auto" if settings.engine == "vosk" or settings.model else (
            "pip install pocketsphinx vosk")
        return CheckResult(name, Status.FAIL, str(error), fix)
    return CheckResult(name, Status.PASS, f"engine {settings.engine}: {recognizer.description}")


def check_vosk_model(settings: Settings, hardware: Hardware) -> CheckResult:
    name = "vosk model"
    try:
        model = hardware.vosk_model(settings.model)
    except VoicecoachError as error:
        return CheckResult(name, Status.FAIL, str(error), f"fix or remove `model` in the settings, or run `{VOSK_MODEL_HINT}`")
    if model is not None:
        used = "not used: engine is pocketsphinx" if settings.engine == "pocketsphinx" else "see speech recognition for whether it loads"
        return CheckResult(name, Status.PASS, f"installed at {model} ({used})")
    if settings.engine == "pocketsphinx":
        return CheckResult(name, Status.PASS, "none installed, none needed: engine is pocketsphinx")
    return CheckResult(name, Status.WARN, "none installed: PocketSphinx is used, which mishears more", f"run `{VOSK_MODEL_HINT}`")


def check_data_dir(settings: Settings) -> CheckResult:
    name = "data folder"
    folder = settings.data_dir
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".doctor-"):
            pass
    except OSError as error:
        fix = f"make it writable (chown), or set data_dir in the settings or ${DATA_DIR_ENV}"
        return CheckResult(name, Status.FAIL, f"{folder}: {error.strerror or error}", fix)
    return CheckResult(name, Status.PASS, f"{folder} is writable")


def check_disk(settings: Settings, hardware: Hardware) -> CheckResult:
    name = "free disk"
    folder = settings.data_dir
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent  # the data folder may not exist yet: measure where it will be made
    try:
        free = hardware.disk_free(folder)
    except OSError as error:
        return CheckResult(name, Status.WARN, f"{folder}: {error.strerror or error}", "check the data folder's disk")
    detail = f"{free // BYTES_PER_MB} MB free in {folder}"
    if free < LOW_DISK_BYTES:
        return CheckResult(name, Status.WARN, detail, f"free at least {LOW_DISK_BYTES // BYTES_PER_MB} MB for history and models")
    return CheckResult(name, Status.PASS, detail)


def check_routines(folder: Optional[Path] = None) -> CheckResult:
    name = "routines"
    folder = routines_dir() if folder is None else folder
    files = routine_files(folder)
    if not files:
        return CheckResult(name, Status.FAIL, f"no routine files in {folder}", "reinstall voicecoach, or point $VOICECOACH_ROUTINES at your routines")
    problems = check_files(files)
    errors = [problem for problem in problems if problem.severity is Severity.ERROR]
    fix = f"run `voicecoach check {folder}` and fix the lines it lists"
    if errors:
        return CheckResult(name, Status.FAIL, f"{len(errors)} error(s) in {len(files)} file(s), first: {errors[0]}", fix)
    if problems:
        return CheckResult(name, Status.WARN, f"{len(problems)} warning(s) in {len(files)} file(s), first: {problems[0]}", fix)
    return CheckResult(name, Status.PASS, f"{len(files)} file(s) in {folder}, no problems")


def run_checks(
    settings: Settings,
    hardware: Hardware,
    tone: bool = False,
    listen_s: float = 0.0,
    meter: Callable[[float], None] = lambda peak: None,
) -> Iterator[CheckResult]:
    """Every check in turn, each result as soon as it is known (some take seconds)."""
    yield check_synthesis(settings, hardware)
    yield check_output(settings, hardware, tone)
    yield check_input(settings, hardware, listen_s, meter)
    yield check_recognizer(settings, hardware)
    yield check_vosk_model(settings, hardware)
    yield check_data_dir(settings)
    yield check_disk(settings, hardware)
    yield check_routines()


NAME_WIDTH = len("speech recognition")
"""Characters of the name column: the longest check name."""

STATUS_WIDTH = len("PASS")


def format_result(result: CheckResult) -> list[str]:
    """The result's table row, and its fix on the next line when there is one."""
    lines = [f"{result.status.value}  {result.name:<{NAME_WIDTH}}  {result.detail}"]
    if result.fix:
        lines.append(f"{'':<{STATUS_WIDTH}}  fix: {result.fix}")
    return lines


def summary(results: list[CheckResult]) -> str:
    failed = sum(result.status is Status.FAIL for result in results)
    warned = sum(result.status is Status.WARN for result in results)
    if failed:
        return f"not ready for hands-free use: {failed} failed, {warned} warning(s)"
    return f"ready for hands-free use, {warned} warning(s)" if warned else "ready for hands-free use"
