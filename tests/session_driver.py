"""Runs whole sessions under the simulated clock through the real runner, recording what happens."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from voicecoach.commands import Command
from voicecoach.inputs import ScheduledInputs
from voicecoach.routine.library import load_routine
from voicecoach.routine.model import Routine
from voicecoach.runner import SessionRunner
from voicecoach.session.actions import Adjust, CancelSpeech, Event, Output, Say, SpeechKind
from voicecoach.session.clock import SimulatedClock
from voicecoach.session.coach import Coach
from voicecoach.session.profile import CoachSettings, UserProfile
from voicecoach.timing import estimate_speech_seconds

DATA = Path(__file__).parent / "data"


def fixture_routine() -> Routine:
    return load_routine(DATA / "session-test.yaml")


@dataclass
class Recorder:
    outputs: list[Output] = field(default_factory=list)
    heard_log: list[tuple[float, str, Optional[Command]]] = field(default_factory=list)

    def outputs_(self, outputs: list[Output]) -> None:
        self.outputs.extend(outputs)

    def heard(self, at: float, phrase: str, command: Optional[Command]) -> None:
        self.heard_log.append((at, phrase, command))
        self.outputs.append(Event("heard", at, {"phrase": phrase}))

    @property
    def says(self) -> list[Say]:
        return [o for o in self.outputs if isinstance(o, Say)]

    def events(self, kind: str) -> list[Event]:
        return [o for o in self.outputs if isinstance(o, Event) and o.kind == kind]

    def texts(self) -> list[str]:
        return [say.text for say in self.says]

    def after(self, at: float) -> list[Output]:
        return [o for o in self.outputs if o.at >= at]

    @property
    def cancels(self) -> list[CancelSpeech]:
        return [o for o in self.outputs if isinstance(o, CancelSpeech)]

    @property
    def adjusts(self) -> list[Adjust]:
        return [o for o in self.outputs if isinstance(o, Adjust)]


class _Sink:
    def __init__(self, recorder: Recorder) -> None:
        self.outputs = recorder.outputs_
        self.heard = recorder.heard


def run_session(
    commands: list[tuple[float, str]] = (),
    routine: Optional[Routine] = None,
    profile: Optional[UserProfile] = None,
    settings: Optional[CoachSettings] = None,
) -> tuple[Coach, Recorder]:
    coach = Coach(
        routine or fixture_routine(),
        profile or UserProfile("tester"),
        settings or CoachSettings(),
        estimate_speech_seconds,
    )
    recorder = Recorder()
    SessionRunner(coach, SimulatedClock(), ScheduledInputs(list(commands)), [_Sink(recorder)]).run()
    return coach, recorder


def first_say(recorder: Recorder, text: str, after: float = 0.0) -> Say:
    """The first utterance from `after` on that contains `text`."""
    for say in recorder.says:
        if say.at >= after and text in say.text:
            return say
    raise AssertionError(f"the coach never said {text!r} after {after}: {recorder.texts()}")


def counts_between(recorder: Recorder, start: float, end: float) -> list[Say]:
    return [s for s in recorder.says if s.kind is SpeechKind.COUNT and start <= s.at < end]
