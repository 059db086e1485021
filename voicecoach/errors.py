"""Domain exceptions. The CLI turns each into one message and an exit code, in one place."""

from __future__ import annotations


class VoicecoachError(Exception):
    """Base for every error the CLI reports as a message rather than a traceback."""

    exit_code = 1


class UsageError(VoicecoachError):
    """The user asked for something that does not exist or cannot be combined."""

    exit_code = 2


class RoutineError(VoicecoachError):
    """A routine failed validation. `problems` holds the `PATH:LINE: message` lines."""

    exit_code = 2

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


class ConfigError(VoicecoachError):
    """The settings file has a bad value; the message is `PATH:LINE: message`."""

    exit_code = 2


class AudioDeviceError(VoicecoachError):
    """An audio device is missing, busy or disappeared."""


class EngineUnavailable(VoicecoachError):
    """A speech engine (TTS or recognizer) or its model is not installed or failed to start."""
