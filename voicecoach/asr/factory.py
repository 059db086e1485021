"""Choosing an engine: Vosk when a model is found, PocketSphinx otherwise."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Iterable, Optional, Union

from voicecoach.asr.base import Recognizer
from voicecoach.asr.models import find_vosk_model
from voicecoach.commands import CommandId
from voicecoach.errors import EngineUnavailable, UsageError

ENGINES = ("auto", "pocketsphinx", "vosk")
log = logging.getLogger(__name__)


def make_recognizer(
    engine: str = "auto",
    model: Optional[Union[str, Path]] = None,
    commands: Optional[Iterable[CommandId]] = None,
) -> Recognizer:
    """An engine ready to decode; `recognizer.description` says which one and why (also logged)."""
    if engine not in ENGINES:
        raise UsageError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if engine in ("auto", "vosk"):
        found = find_vosk_model(model)
        if found is not None:
            from voicecoach.asr.vosk_engine import VoskRecognizer

            recognizer: Recognizer = VoskRecognizer(found, commands)
            log.info("recognizer: %s", recognizer.description)
            return recognizer
        if engine == "vosk":
            raise EngineUnavailable(
                "no Vosk model found (tried --model, $VOICECOACH_VOSK_MODEL, the user data folder "
                "and models/); run `voicecoach models download vosk-model-small-en-us-0.15`"
            )
        if model is not None:
            raise UsageError(f"{model} is not a Vosk model folder")
    from voicecoach.asr.sphinx import PocketSphinxRecognizer

    recognizer = PocketSphinxRecognizer(commands)
    if engine == "auto":
        recognizer.description += " (auto: no Vosk model found)"
    log.info("recognizer: %s", recognizer.description)
    return recognizer
