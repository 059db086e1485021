"""The one table of spoken phrases and the commands they mean.

The session parses typed text with it, and the recognizers build their grammars from it, so a
phrase added here is understood everywhere at once.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from typing import Iterable, Optional


class CommandId(str, enum.Enum):
    """Command ids as they appear in transcripts, JSON and code."""

    NEXT = "next"
    BACK = "back"
    REPEAT = "repeat"
    PAUSE = "pause"
    RESUME = "resume"
    STOP = "stop"
    END = "end"
    HARDER = "harder"
    EASIER = "easier"
    HURT = "hurt"
    SLOWER = "slower"
    FASTER = "faster"
    LOUDER = "louder"
    QUIETER = "quieter"
    TIME_LEFT = "time_left"
    HELP = "help"
    YES = "yes"
    NO = "no"
    NUMBER = "number"


PHRASES: dict[CommandId, tuple[str, ...]] = {
    CommandId.NEXT: ("next", "skip", "done"),
    CommandId.BACK: ("back", "go back", "previous"),
    CommandId.REPEAT: ("repeat", "again", "say that again"),
    CommandId.PAUSE: ("pause", "wait", "hold on"),
    CommandId.RESUME: ("continue", "resume", "ready", "go on"),
    CommandId.STOP: ("stop",),
    CommandId.END: ("end session", "finish"),
    CommandId.HARDER: ("harder", "make it harder"),
    CommandId.EASIER: ("easier", "make it easier"),
    CommandId.HURT: ("that hurts", "it hurts", "ouch", "pain"),
    CommandId.SLOWER: ("slower", "slow down"),
    CommandId.FASTER: ("faster", "speed up"),
    CommandId.LOUDER: ("louder", "speak up"),
    CommandId.QUIETER: ("quieter", "softer"),
    CommandId.TIME_LEFT: ("how long", "time left"),
    CommandId.HELP: ("help", "what can i say"),
    CommandId.YES: ("yes", "yeah", "yes please"),
    CommandId.NO: ("no", "nope", "no thanks"),
}

NUMBER_WORDS: tuple[str, ...] = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
)
"""Index is the value: pain ratings run from zero to ten."""

SAFETY_COMMANDS: frozenset[CommandId] = frozenset({CommandId.HURT, CommandId.STOP, CommandId.PAUSE})
"""Listened for in every state, and the only commands accepted while the coach is speaking."""

ANSWER_COMMANDS: frozenset[CommandId] = frozenset({CommandId.YES, CommandId.NO, CommandId.NUMBER})
"""Only meaningful while the coach has a question open."""


@dataclass(frozen=True)
class Command:
    """A command the user gave, by voice or by text."""

    id: CommandId
    value: Optional[int] = None
    """The number said, 0 to 10, for `CommandId.NUMBER`; otherwise None."""

    def __str__(self) -> str:
        if self.id is CommandId.NUMBER:
            return f"number {self.value}"
        return self.id.value


_NOT_WORD = re.compile(r"[^a-z0-9' ]+")


def normalize(text: str) -> str:
    """Lower-case, drop punctuation and fold white space, as the recognizers emit words."""
    return " ".join(_NOT_WORD.sub(" ", text.lower()).split())


def _build_lookup() -> dict[str, Command]:
    lookup: dict[str, Command] = {}
    for command_id, phrases in PHRASES.items():
        for phrase in phrases:
            if phrase in lookup:
                raise AssertionError(f"phrase {phrase!r} is listed twice")
            lookup[phrase] = Command(command_id)
    for value, word in enumerate(NUMBER_WORDS):
        lookup[word] = Command(CommandId.NUMBER, value)
        lookup[str(value)] = Command(CommandId.NUMBER, value)
    return lookup


_LOOKUP = _build_lookup()


def parse(text: str) -> Optional[Command]:
    """The command a whole utterance means, or None. A phrase inside longer speech is not a command."""
    return _LOOKUP.get(normalize(text))


def phrases_for(commands: Iterable[CommandId]) -> dict[str, Command]:
    """Spoken phrase -> command for a set of commands (numbers as words only), for grammars."""
    wanted = set(commands)
    table: dict[str, Command] = {}
    for command_id, phrases in PHRASES.items():
        if command_id in wanted:
            for phrase in phrases:
                table[phrase] = Command(command_id)
    if CommandId.NUMBER in wanted:
        for value, word in enumerate(NUMBER_WORDS):
            table[word] = Command(CommandId.NUMBER, value)
    return table


def all_phrases() -> dict[str, Command]:
    """Every spoken phrase, numbers included."""
    return phrases_for(CommandId)


def command_words() -> frozenset[str]:
    """Every single word that occurs in some phrase: a routine cue using one risks self-triggering."""
    return frozenset(word for phrase in all_phrases() for word in phrase.split())
