"""Spotting voice command phrases inside text the coach will say.

The recognizer keeps listening while the coach talks, so a cue such as "lie on your back" can be
heard as the command "back". Number words are left out: counts and ratings need them, and a lone
number only means something while the coach has asked a question.
"""

from __future__ import annotations

from functools import lru_cache

from voicecoach.commands import CommandId, all_phrases, normalize


@lru_cache(maxsize=1)
def _risky_phrases() -> tuple[str, ...]:
    phrases = {phrase for phrase, command in all_phrases().items() if command.id is not CommandId.NUMBER}
    # Longest first, so "say that again" is named rather than only "again".
    return tuple(sorted(phrases, key=lambda phrase: (-len(phrase), phrase)))


def command_phrases_in(text: str) -> list[str]:
    """The command phrases that occur as whole words in `text`, in the order they appear."""
    padded = f" {normalize(text)} "
    found: list[tuple[int, str]] = []
    taken: list[range] = []
    for phrase in _risky_phrases():
        start = padded.find(f" {phrase} ")
        while start >= 0:
            span = range(start + 1, start + 1 + len(phrase))
            if not any(span.start in other or span.stop - 1 in other for other in taken):
                taken.append(span)
                found.append((start, phrase))
                break
            start = padded.find(f" {phrase} ", start + 1)
    return [phrase for _, phrase in sorted(found)]


def command_warning(text: str) -> str:
    """The warning for spoken `text`, or "" when it contains no command phrase."""
    phrases = command_phrases_in(text)
    if not phrases:
        return ""
    named = ", ".join(repr(phrase) for phrase in phrases)
    noun = "a voice command" if len(phrases) == 1 else "voice commands"
    return f"spoken text contains {named}, {noun} the recognizer would hear from the coach; rephrase it"
