"""Every phrase the idle coach listens for, generated from the wake phrases, routines and users.

Requests parse with `voicecoach.serve.requests`, so each phrase here is one that parser understands.
"""

from __future__ import annotations

from typing import Iterable, Sequence

from voicecoach.commands import normalize
from voicecoach.routine.model import Routine
from voicecoach.serve.requests import (
    GOODBYE_PHRASES,
    HELP_PHRASES,
    LIST_PHRASES,
    RESUME_PHRASES,
    WHO_PHRASES,
)

START_FORMS = ("start {name}", "start the {name}", "start the {name} routine", "begin {name}")

FUNCTION_WORDS = frozenset({"and", "of", "for", "with", "to", "a", "the", "on", "in"})
"""A short name never starts or ends with one of these: "and hip strength" is nobody's name for it."""


def routine_names(routine: Routine) -> set[str]:
    """The title, the id in words, and the title with one word left out ("assisted stretch")."""
    title = normalize(routine.title)
    words = title.split()
    names = {title, routine.id.replace("-", " ")}
    if len(words) > 2:
        for index in range(len(words)):
            shorter = words[:index] + words[index + 1 :]
            if shorter[0] not in FUNCTION_WORDS and shorter[-1] not in FUNCTION_WORDS:
                names.add(" ".join(shorter))
    return names


def requests(routines: Sequence[Routine], users: Iterable[str]) -> list[str]:
    phrases = list(LIST_PHRASES + WHO_PHRASES + HELP_PHRASES + GOODBYE_PHRASES + RESUME_PHRASES)
    for routine in routines:
        for name in routine_names(routine):
            phrases += [form.format(name=name) for form in START_FORMS]
    phrases += [f"this is {normalize(user)}" for user in users if normalize(user)]
    return phrases


def wake_threshold(wake_phrases: Sequence[str], strict: float, lenient: float):
    """The confidence a heard phrase needs: `strict` when it begins with a wake phrase."""
    wakes = [normalize(phrase) for phrase in wake_phrases]

    def needed(phrase: str) -> float:
        words = normalize(phrase)
        return strict if any(words == wake or words.startswith(wake + " ") for wake in wakes) else lenient

    return needed


def idle_phrases(wake_phrases: Sequence[str], routines: Sequence[Routine], users: Iterable[str]) -> list[str]:
    """Wake phrase alone, wake phrase + request, a request alone (right after a bare wake phrase),
    and routine names alone (the answer to "which one?")."""
    wakes = [normalize(phrase) for phrase in wake_phrases]
    asks = requests(routines, users)
    phrases = set(wakes) | set(asks)
    phrases |= {f"{wake} {ask}" for wake in wakes for ask in asks}
    phrases |= {name for routine in routines for name in routine_names(routine)}
    return sorted(phrases)
