"""The coach's settings: built once at start-up from defaults, the settings file and environment.

Precedence, lowest first: the defaults below, the YAML settings file
(`platformdirs.user_config_dir("voicecoach")/settings.yaml`, or `--config PATH`), then the two
environment variables other commands already honour ($VOICECOACH_DATA_DIR, $VOICECOACH_USER).
`Settings.sources` says, for each field, which of those its value came from.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Mapping, Optional, Union

import platformdirs

from voicecoach.audio.tts import DEFAULT_RATE_WPM
from voicecoach.config_schema import KEYS, DeviceSpec, read_settings_file
from voicecoach.history import DATA_DIR_ENV

if TYPE_CHECKING:  # only for annotations: building settings never starts an engine
    from voicecoach.audio.tts import VoiceSettings
    from voicecoach.session.profile import CoachSettings

APP_NAME = "voicecoach"
SETTINGS_FILE = "settings.yaml"
USER_ENV = "VOICECOACH_USER"
"""Whose history and settings a session uses, when neither the command line nor the file says."""

DEFAULT_USER = "default"
DEFAULT_WAKE_PHRASE = "coach"
DEFAULT_SOURCE = "default"

ENVIRONMENT = {"data_dir": DATA_DIR_ENV, "default_user": USER_ENV}
"""Fields an environment variable overrides (over the file too: a service unit sets them)."""

PathLike = Union[str, "os.PathLike[str]"]


def _default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME))


@dataclass(frozen=True)
class Settings:
    voice: str = ""
    """espeak-ng voice id such as "gmw/en-us"; empty for the engine's default voice."""

    rate: int = DEFAULT_RATE_WPM
    """Words per minute of the coach's speech, MIN_RATE_WPM..MAX_RATE_WPM (voicecoach.audio.tts)."""

    volume: float = 1.0
    """Linear output gain, 0 to 1."""

    input_device: DeviceSpec = None
    """Microphone: PortAudio device index, (part of) a device name, or None for the default input."""

    output_device: DeviceSpec = None
    """Speaker: PortAudio device index, (part of) a device name, or None for the default output."""

    engine: str = "auto"
    """Recognizer: "auto" (Vosk when a model is found, else PocketSphinx), "pocketsphinx" or "vosk"."""

    model: Optional[Path] = None
    """Vosk model folder; None searches the usual places (see voicecoach.asr.models)."""

    wake_phrase: tuple[str, ...] = (DEFAULT_WAKE_PHRASE,)
    """Phrases, lower case, that wake the coach; the file may give one text or a list."""

    default_user: str = DEFAULT_USER
    """Whose history is used when a command does not name a user."""

    pain_threshold: Optional[int] = None
    """Pain rating 0 to 10 at or above which an exercise stops; None keeps each routine's own."""

    data_dir: Path = field(default_factory=_default_data_dir)
    """Folder of the history database and downloaded models."""

    sources: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}), compare=False, repr=False)
    """Field name -> where its value came from: "default", "PATH:LINE" or "$VARIABLE"."""

    def source(self, name: str) -> str:
        return self.sources.get(name, DEFAULT_SOURCE)

    def override(self, source: str = "command line", **values: object) -> "Settings":
        """These settings with `values` taken from the command line, which wins over file and environment."""
        sources = dict(self.sources)
        sources.update({name: source for name in values})
        return replace(self, sources=MappingProxyType(sources), **values)

    def voice_settings(self) -> "VoiceSettings":
        """The synthesizer's settings: voice, rate and volume."""
        from voicecoach.audio.tts import VoiceSettings

        return VoiceSettings(voice=self.voice, rate_wpm=self.rate, volume=self.volume)

    def coach_settings(self, base: Optional["CoachSettings"] = None) -> "CoachSettings":
        """`base` (the coach's defaults) with this file's pain threshold, when one is set."""
        from voicecoach.session.profile import CoachSettings

        base = base or CoachSettings()
        return base if self.pain_threshold is None else replace(base, pain_threshold=self.pain_threshold)


def settings_path() -> Path:
    """Where the settings file is looked for when no `--config` is given."""
    return Path(platformdirs.user_config_dir(APP_NAME)) / SETTINGS_FILE


def load_settings(path: Optional[PathLike] = None, environ: Optional[Mapping[str, str]] = None) -> Settings:
    """The effective settings. `path` (from `--config`) must exist; the default file may be absent.

    Raises ConfigError("PATH:LINE: message") for a file that is not YAML or holds an unknown key,
    a value of the wrong type or out of range.
    """
    environ = os.environ if environ is None else environ
    chosen = Path(path) if path is not None else settings_path()
    shown = os.fspath(path) if path is not None else str(chosen)
    values: dict[str, object] = {}
    sources: dict[str, str] = {}
    if path is not None or chosen.exists():
        for key, found in read_settings_file(chosen, shown).items():
            values[key] = found.value
            sources[key] = f"{shown}:{found.line}"
    for key, variable in ENVIRONMENT.items():
        # Empty counts as unset, as in history.default_data_dir.
        if environ.get(variable):
            values[key] = Path(environ[variable]) if key == "data_dir" else environ[variable]
            sources[key] = f"${variable}"
    if values.get("data_dir") is None:
        values.pop("data_dir", None)  # `data_dir: null` in the file means the default folder
        sources.pop("data_dir", None)
    return Settings(**values, sources=MappingProxyType(sources))  # type: ignore[arg-type]


def add_config_argument(parser: argparse.ArgumentParser) -> None:
    """`--config PATH` on a command that reads settings; pass `args.config` to `load_settings`."""
    parser.add_argument(
        "--config", metavar="PATH", default=None,
        help=f"settings file (default: {settings_path()}, if it exists)",
    )


def format_value(value: object) -> str:
    """A value as it would be written in the settings file."""
    if value is None:
        return "null"
    if isinstance(value, str) and not value:
        return '""'
    if isinstance(value, tuple):
        return format_value(value[0]) if len(value) == 1 else "[" + ", ".join(map(str, value)) + "]"
    return str(value)


def describe_settings(settings: Settings) -> list[str]:
    """`key: value  (source)` for every setting, in the order of the file's keys."""
    names = [item.name for item in fields(settings) if item.name in KEYS]
    return [f"{name}: {format_value(getattr(settings, name))}  ({settings.source(name)})" for name in names]
