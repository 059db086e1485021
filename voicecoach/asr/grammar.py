"""Grammars for both engines, generated from the one phrase table in `voicecoach.commands`."""

from __future__ import annotations

import json
from typing import Iterable

from voicecoach.commands import Command, CommandId, phrases_for

UNKNOWN_WORD = "[unk]"
"""Vosk's out-of-grammar token: listing it lets Vosk say "none of these" instead of forcing a phrase."""

GRAMMAR_NAME = "commands"


def active_phrases(commands: Iterable[CommandId]) -> dict[str, Command]:
    """Phrase -> command for `commands`, in a stable order so grammars are reproducible."""
    table = phrases_for(commands)
    return {phrase: table[phrase] for phrase in sorted(table)}


def jsgf(commands: Iterable[CommandId]) -> str:
    """A JSGF grammar accepting exactly one phrase of `commands` per utterance."""
    phrases = list(active_phrases(commands))
    if not phrases:
        raise ValueError("no commands are active: a grammar needs at least one phrase")
    body = " | ".join(phrases)
    return f"#JSGF V1.0;\ngrammar {GRAMMAR_NAME};\npublic <{GRAMMAR_NAME}> = {body};\n"


def vosk_grammar(commands: Iterable[CommandId]) -> str:
    """The JSON list `vosk.KaldiRecognizer` takes: every active phrase plus `[unk]`."""
    return json.dumps(list(active_phrases(commands)) + [UNKNOWN_WORD])
