"""The idle coach: asleep until its wake phrase, then one request, then asleep again.

Pure like the session coach: utterances and times in, speech and a decision out. While asleep it
says nothing at all, so room conversation and a television get no answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional, Sequence

from voicecoach.routine.model import Routine
from voicecoach.serve.requests import match_routines, parse_request, spoken_list, strip_wake
from voicecoach.session.actions import CancelSpeech, Say, SpeechKind

AWAKE_WINDOW_S = 8.0
"""Seconds after the wake phrase alone during which the next utterance is taken as the request."""

CHOICE_WINDOW_S = 15.0
"""Seconds to answer "which routine did you mean" before going back to sleep."""


@dataclass(frozen=True)
class Decision:
    kind: str
    """start, resume or user."""
    routine: Optional[Routine] = None
    user: Optional[str] = None


class IdleCoach:
    def __init__(
        self,
        routines: Sequence[Routine],
        wake_phrases: Sequence[str],
        user: str,
        speech_seconds,
        find_unfinished: Callable[[str], Optional[Routine]] = lambda user: None,
    ) -> None:
        """`find_unfinished(user)`: the routine of the user's session that was cut off, if any."""
        self.routines = list(routines)
        self._find_unfinished = find_unfinished
        self.wake_phrases = list(wake_phrases)
        self.user = user
        self._seconds = speech_seconds
        self._awake_until: Optional[float] = None
        self._choices: tuple[Routine, ...] = ()
        self._speaking_until = 0.0

    @property
    def speaking_until(self) -> float:
        """Session seconds when the idle coach's last words end."""
        return self._speaking_until

    @property
    def listening_for_request(self) -> bool:
        return self._awake_until is not None

    def wake_at(self) -> Optional[float]:
        return self._awake_until

    def tick(self, now: float) -> list[Say]:
        if self._awake_until is not None and now >= self._awake_until:
            self._sleep()
        return []

    def hear(self, text: str, now: float) -> tuple[str, list[Say], Optional[Decision]]:
        """What the utterance was taken as, what to say, and what to do."""
        rest = strip_wake(text, self.wake_phrases)
        if rest is None and self._awake_until is None:
            return "ignored", [], None
        if rest == "":
            self._awake_until = now + AWAKE_WINDOW_S
            return "wake", self._say(["Yes?"], now), None
        request_text = rest if rest is not None else text
        if self._choices:
            return self._choose(request_text, now)
        self._sleep()
        request = parse_request(request_text, self.routines)
        if request.kind == "start":
            return self._start(request.routines, now)
        if request.kind == "list":
            return "list", self._say([self._catalogue()], now), None
        if request.kind == "resume":
            routine = self._find_unfinished(self.user)
            if routine is None:
                return "resume", self._say(["There's no unfinished session to pick up."], now), None
            reply = [f"Picking up {routine.title} where you left off."]
            return "resume", self._say(reply, now), Decision("resume", routine, self.user)
        if request.kind == "who":
            return "who", self._say([f"{self.user.capitalize()} is exercising."], now), None
        if request.kind == "user":
            self.user = request.name or self.user
            return "user", self._say([f"Hello {self.user.capitalize()}."], now), Decision("user", user=self.user)
        if request.kind == "help":
            return "help", self._say([self.help_text()], now), None
        if request.kind == "goodbye":
            return "goodbye", self._say(["Goodbye."], now), None
        return "unknown", self._say(["Sorry, I didn't catch that. Say coach, help, to hear what you can ask."], now), None

    def help_text(self) -> str:
        wake = self.wake_phrases[0]
        return (
            f"Say {wake}, then: start, and a routine's name. Or: what routines are there, resume, "
            "this is, and your name, or goodbye."
        )

    def _start(self, candidates: tuple[Routine, ...], now: float) -> tuple[str, list[Say], Optional[Decision]]:
        if len(candidates) == 1:
            routine = candidates[0]
            return "start", self._say([f"Starting {routine.title}."], now), Decision("start", routine, self.user)
        if not candidates:
            return "start", self._say([f"I don't know that one. {self._catalogue()}"], now), None
        self._choices = candidates
        self._awake_until = now + CHOICE_WINDOW_S
        names = spoken_list([routine.title for routine in candidates])
        return "choose", self._say([f"Which one: {names}?"], now), None

    def _choose(self, text: str, now: float) -> tuple[str, list[Say], Optional[Decision]]:
        request = parse_request(text, self._choices)
        spoken = request.name if request.kind == "start" else text
        matches = match_routines(spoken or "", self._choices)
        if request.kind in ("goodbye",) or text.strip().lower() in ("no", "none", "cancel"):
            self._sleep()
            return "cancel", self._say(["All right."], now), None
        if len(matches) == 1:
            self._sleep()
            return self._start(matches, now)
        self._awake_until = now + CHOICE_WINDOW_S
        names = spoken_list([routine.title for routine in self._choices])
        return "choose", self._say([f"Sorry, which one: {names}?"], now), None

    def _catalogue(self) -> str:
        return f"The routines are: {spoken_list([routine.title for routine in self.routines])}."

    def _sleep(self) -> None:
        self._awake_until, self._choices = None, ()

    def _say(self, texts: list[str], now: float) -> list:
        """Answer at once, cutting any earlier answer still being spoken."""
        says: list = [CancelSpeech(now)] if self._speaking_until > now else []
        at = now
        for text in texts:
            duration = self._seconds(text, 1.0)
            says.append(Say(text, SpeechKind.PROMPT, at, duration))
            at += duration
        self._speaking_until = at
        return says
