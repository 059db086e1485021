"""Reading the settings file: each key checked for type and range, each value with its line.

The YAML is only composed (SafeLoader, no aliases, see routine/yamlnodes.py), so line numbers
survive and nothing in the file is ever executed. The first problem, by line, becomes
`ConfigError("PATH:LINE: message")`: the coach refuses to start on a half-understood file.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional, Union

import yaml
from yaml.nodes import Node, ScalarNode

from voicecoach.asr.factory import ENGINES
from voicecoach.audio.tts import MAX_RATE_WPM, MIN_RATE_WPM
from voicecoach.errors import ConfigError
from voicecoach.routine.fields import MappingReader, did_you_mean
from voicecoach.routine.problems import Report
from voicecoach.routine.yamlnodes import FLOAT_TAG, INT_TAG, NULL_TAG, compose, describe, is_text, shorten

MAX_SETTINGS_BYTES = 100_000
"""A settings file is a dozen lines; anything near this size is a mistake (a model or a log)."""

MIN_VOLUME = 0.0
MAX_VOLUME = 1.0
"""Linear output gain bounds, as the player applies them."""

MIN_PAIN_THRESHOLD = 0
MAX_PAIN_THRESHOLD = 10
"""The 0-10 pain scale the coach asks about."""

DeviceSpec = Union[int, str, None]


@dataclass(frozen=True)
class FileValue:
    value: object
    line: int
    """1-based line of the value in the settings file."""


def _is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == NULL_TAG


def _text(key: str, node: Node) -> str:
    if not is_text(node):
        raise _Bad(f"{key} must be text, got {describe(node)}")
    value = " ".join(node.value.split())
    if not value:
        raise _Bad(f"{key} must not be empty")
    return value


def _voice(key: str, node: Node) -> str:
    # An empty voice is allowed and means the engine's default voice.
    if is_text(node) and not node.value.strip():
        return ""
    return _text(key, node)


def _number(key: str, node: Node, tags: tuple[str, ...], expected: str) -> float:
    if not (isinstance(node, ScalarNode) and node.tag in tags):
        raise _Bad(f"{key} must be {expected}, got {describe(node)}")
    constructor = yaml.constructor.SafeConstructor()
    build = constructor.construct_yaml_int if node.tag == INT_TAG else constructor.construct_yaml_float
    try:
        value = build(node)
    except (ValueError, OverflowError, yaml.YAMLError):
        value = math.nan
    if not math.isfinite(value):
        raise _Bad(f"{key} must be a finite number, got {shorten(node.value)!r}")
    return value


def _rate(key: str, node: Node) -> int:
    value = int(_number(key, node, (INT_TAG,), "a whole number of words per minute"))
    if not MIN_RATE_WPM <= value <= MAX_RATE_WPM:
        raise _Bad(f"{key} must be {MIN_RATE_WPM} to {MAX_RATE_WPM} words per minute, got {value}")
    return value


def _volume(key: str, node: Node) -> float:
    value = float(_number(key, node, (INT_TAG, FLOAT_TAG), f"a number from {MIN_VOLUME:g} to {MAX_VOLUME:g}"))
    if not MIN_VOLUME <= value <= MAX_VOLUME:
        raise _Bad(f"{key} must be from {MIN_VOLUME:g} to {MAX_VOLUME:g}, got {shorten(node.value)}")
    return value


def _pain_threshold(key: str, node: Node) -> Optional[int]:
    if _is_null(node):
        return None
    value = int(_number(key, node, (INT_TAG,), "a whole number"))
    if not MIN_PAIN_THRESHOLD <= value <= MAX_PAIN_THRESHOLD:
        raise _Bad(f"{key} must be a whole number from {MIN_PAIN_THRESHOLD} to {MAX_PAIN_THRESHOLD}, got {value}")
    return value


def _device(key: str, node: Node) -> DeviceSpec:
    if _is_null(node):
        return None
    if isinstance(node, ScalarNode) and node.tag == INT_TAG:
        index = int(_number(key, node, (INT_TAG,), "a device index"))
        if index < 0:
            raise _Bad(f"{key} must be a device name or an index of 0 or more, got {index}")
        return index
    if not is_text(node):
        raise _Bad(f"{key} must be a device name or index, got {describe(node)}")
    return _text(key, node)


def _engine(key: str, node: Node) -> str:
    if is_text(node) and node.value in ENGINES:
        return node.value
    hint = did_you_mean(node.value, ENGINES) if is_text(node) else ""
    raise _Bad(f"{key} must be one of {', '.join(ENGINES)}; got {describe(node)}{hint}")


def _phrases(key: str, node: Node) -> tuple[str, ...]:
    if is_text(node):
        return (_text(key, node).lower(),)
    items = getattr(node, "value", None)
    if not isinstance(items, list) or not items or not all(isinstance(item, Node) for item in items):
        raise _Bad(f"{key} must be text or a non-empty list of texts, got {describe(node)}")
    return tuple(_text(key, item).lower() for item in items)


def _path_reader(base: Path) -> Callable[[str, Node], Optional[Path]]:
    def read(key: str, node: Node) -> Optional[Path]:
        if _is_null(node):
            return None
        # Relative to the settings file, so a file keeps meaning the same wherever it is run from.
        return base / Path(_text(key, node)).expanduser()

    return read


class _Bad(Exception):
    """A value's problem; the caller adds where it is."""


def _readers(base: Path) -> dict[str, Callable[[str, Node], object]]:
    path = _path_reader(base)
    return {
        "voice": _voice,
        "rate": _rate,
        "volume": _volume,
        "input_device": _device,
        "output_device": _device,
        "engine": _engine,
        "model": path,
        "wake_phrase": _phrases,
        "default_user": _text,
        "pain_threshold": _pain_threshold,
        "data_dir": path,
    }


KEYS = tuple(_readers(Path(".")))
"""Every key a settings file may hold, in the order `config show` lists them."""


def _fail(report: Report) -> None:
    if report.problems:
        raise ConfigError(str(report.sorted()[0]))


def read_settings_file(path: Path, shown: Optional[str] = None) -> dict[str, FileValue]:
    """The keys set in the file at `path` (named `shown` in messages), checked, with their lines."""
    shown = str(path) if shown is None else shown
    try:
        size = path.stat().st_size
        if size > MAX_SETTINGS_BYTES:
            raise ConfigError(f"{shown}:1: file is {size} bytes, over the {MAX_SETTINGS_BYTES} byte limit for settings")
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{shown}: no such settings file") from None
    except OSError as error:
        raise ConfigError(f"{shown}: cannot read settings file: {error.strerror or error}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ConfigError(f"{shown}:{line}: not UTF-8 text (byte {error.start} is 0x{data[error.start]:02x})") from None
    report = Report(shown)
    node = compose(text, report, allow_empty=True)
    _fail(report)
    if node is None or _is_null(node):  # no document, or a bare "---": nothing set
        return {}
    reader = MappingReader(node, "the settings", KEYS, (), report)
    _fail(report)
    values: dict[str, FileValue] = {}
    readers = _readers(path.absolute().parent)
    for key, value_node in reader.values.items():
        try:
            values[key] = FileValue(readers[key](key, value_node), value_node.start_mark.line + 1)
        except _Bad as problem:
            report.error(value_node, str(problem))
    _fail(report)
    return values
