"""What a request after the wake phrase means: pure parsing, no state."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Sequence

from voicecoach.commands import normalize
from voicecoach.routine.model import Routine

FILLER_WORDS = frozenset({"the", "a", "my", "routine", "session", "please", "program", "exercises", "one"})
"""Words people add around a routine's name that say nothing about which routine."""

START_WORDS = ("start", "begin", "play", "do", "run", "let's do")
LIST_PHRASES = ("what routines are there", "what routines do you have", "list routines", "which routines")
WHO_PHRASES = ("who is exercising", "who's exercising", "who am i")
HELP_PHRASES = ("help", "what can i say")
GOODBYE_PHRASES = ("goodbye", "good bye", "that's all")
RESUME_PHRASES = ("resume", "continue", "pick up where we left off")
_THIS_IS = re.compile(r"^(?:this is|i am|i'm|it's) (?P<name>[a-z][a-z' ]{0,30})$")


@dataclass(frozen=True)
class Request:
    kind: str
    """start, list, resume, who, user, help, goodbye, or unknown."""
    routines: tuple[Routine, ...] = ()
    """For start: every routine the name could mean (one: start it; several: ask; none: list)."""
    name: Optional[str] = None
    """For user: the name given; for start: the words heard as the routine's name."""


def strip_wake(text: str, wake_phrases: Sequence[str]) -> Optional[str]:
    """The rest of an utterance that begins with a wake phrase, or None if it does not."""
    words = normalize(text)
    for phrase in sorted((normalize(p) for p in wake_phrases), key=len, reverse=True):
        if words == phrase:
            return ""
        if words.startswith(phrase + " "):
            return words[len(phrase) + 1 :]
    return None


def name_words(routine: Routine) -> frozenset[str]:
    words = normalize(routine.title).split() + routine.id.replace("-", " ").split()
    return frozenset(word for word in words if word not in FILLER_WORDS)


def match_routines(spoken: str, routines: Sequence[Routine]) -> tuple[Routine, ...]:
    """Routines whose name holds every meaningful word said, fewest extra words first."""
    wanted = {word for word in normalize(spoken).split() if word not in FILLER_WORDS}
    if not wanted:
        return ()
    matches = [routine for routine in routines if wanted <= name_words(routine)]
    exact = [routine for routine in matches if normalize(routine.title) == normalize(spoken) or routine.id == spoken]
    return tuple(exact or matches)


def parse_request(text: str, routines: Sequence[Routine]) -> Request:
    words = normalize(text)
    if words in LIST_PHRASES:
        return Request("list")
    if words in WHO_PHRASES:
        return Request("who")
    if words in HELP_PHRASES:
        return Request("help")
    if words in GOODBYE_PHRASES:
        return Request("goodbye")
    if words in RESUME_PHRASES:
        return Request("resume")
    user = _THIS_IS.match(words)
    if user:
        return Request("user", name=user.group("name").strip())
    for start in START_WORDS:
        if words.startswith(start + " "):
            spoken = words[len(start) + 1 :]
            return Request("start", match_routines(spoken, routines), name=spoken)
    return Request("unknown", name=words)


def spoken_list(names: Sequence[str]) -> str:
    """"a", "a or b", "a, b or c"."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} or {names[-1]}"
