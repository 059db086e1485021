"""What the coach asks of the outside world (outputs), and the beats its scripts are made of."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, Optional, Union

# ---- outputs: returned by Coach.start/handle/tick, in order ----


class SpeechKind(str, enum.Enum):
    CUE = "cue"
    """An instruction: setup, form, breathing, side switch. `repeat` says the last one again."""
    COUNT = "count"
    """A count word, spoken on its second."""
    PROMPT = "prompt"
    """A question, or a short answer to a command."""


@dataclass(frozen=True)
class Say:
    text: str
    kind: SpeechKind
    at: float
    """Session seconds at which the first word should be heard."""
    duration: float
    """Seconds the coach planned for it."""


@dataclass(frozen=True)
class CancelSpeech:
    """Cut whatever is being said, at once."""

    at: float
    """Session seconds."""


@dataclass(frozen=True)
class Adjust:
    """A live change to the voice, to be remembered for the user."""

    rate: float
    """Multiple of the default speech rate."""
    volume: float
    """0 to 1."""
    at: float


@dataclass(frozen=True)
class Event:
    """Something worth recording: pain reports, level changes, holds done, the session's end."""

    kind: str
    at: float
    """Session seconds."""
    data: dict[str, Any] = field(default_factory=dict)

    def describe(self) -> str:
        details = " ".join(f"{key}={value}" for key, value in self.data.items() if value is not None)
        return f"{self.kind} {details}".rstrip()


Output = Union[Say, CancelSpeech, Adjust, Event]

# ---- beats: what script generators yield ----


@dataclass(frozen=True)
class Utter:
    """Say `text` as soon as the coach's voice is free, or exactly at `at`."""

    text: str
    kind: SpeechKind = SpeechKind.CUE
    at: Optional[float] = None
    """Session seconds; a timed beat is dropped if other speech still occupies that moment."""


@dataclass(frozen=True)
class WaitUntil:
    at: float
    """Session seconds."""


class AnswerKind(str, enum.Enum):
    YES_NO = "yes_no"
    NUMBER = "number"


@dataclass(frozen=True)
class Ask:
    """Ask a question; the script receives the answer (`Command`), or None when it times out."""

    text: str
    expects: AnswerKind
    timeout_s: float
    """Seconds after the question ends before it counts as unanswered."""


@dataclass(frozen=True)
class Record:
    """Emit an Event stamped with the script's current time."""

    kind: str
    data: dict[str, Any] = field(default_factory=dict)


Beat = Union[Utter, WaitUntil, Ask, Record]
