"""Speech that holds no command, for tuning thresholds against false accepts and for measuring them.

Two parts, kept apart from the ordinary speech that `bench recognition` reports false accepts on:

- short non-command words and phrases (some close to commands: "text", "hurt", "stop it you two"),
  read by the synthetic voices; the tuning voices tune, the held-out voices measure;
- real human read sentences and short phrases (`read_speech/`, `other/` in the human audio folder),
  which the report never uses, so tuning may.
"""

from __future__ import annotations

import hashlib
from typing import Iterator

from bench.dataset import HUMAN, LEAD_SILENCE_S, VOICES, Sample, degrade, pad, read_any, speech_end, synthesize

NEGATIVE_TEXTS: tuple[str, ...] = (
    # Single words that are not commands, several a phone or two away from one.
    "text", "nest", "hurt", "heart", "hello", "okay", "left", "right", "up", "down", "house", "water",
    "table", "chair", "morning", "dinner", "later", "maybe", "thanks", "sorry", "really", "tomorrow",
    "honey", "coffee", "window", "music", "kitchen", "garden", "monday", "listen", "forty", "twenty",
    "hundred", "eleven", "twelve", "first", "second", "shop", "top", "drop", "rain", "plain", "page",
    "fast", "slow", "loud", "easy", "hard", "ready now", "wait here", "stopping", "paused", "repeated",
    "breathe", "relax", "stretch", "knee", "shoulder", "the cat", "a dog", "bird", "happy", "tired",
    # Short phrases of room conversation, some containing command words.
    "where are my keys", "did you call him", "I'll be there soon", "what time is it", "put it on the table",
    "can you hear me", "turn off the light", "I don't know", "that's fine", "not now", "see you later",
    "what did she say", "he went home", "open the door", "it's raining again", "I'm hungry",
    "let's go outside", "the kids are asleep", "we need more milk", "call me back later",
    "it was a long day", "look at that", "that hurt his feelings", "is it ready yet", "go to bed",
    "next week maybe", "stop it you two", "one more time please", "that's not right", "pass the salt",
    "hold the door", "I think so", "how are you", "not really", "sounds good", "the news is on",
    "we should leave soon", "where is the remote", "back in a minute", "five o'clock", "it's cold in here",
)
"""Never add a phrase of `voicecoach.commands` here: every detection on these counts as false."""

HUMAN_TUNING_FOLDERS = ("read_speech", "other")
"""Human recordings the report does not use (it uses speech_commands, fsdd and librispeech)."""
SAYS_COMMANDS = ("pocketsphinx_cards", "pocketsphinx_numbers")
"""File name prefixes of recordings made of digit strings ("five five"): hearing a number there is
right, so they cannot be negatives."""


def synthetic_negatives(splits=("tune",), conditions=("clean",)) -> Iterator[Sample]:
    """Each text read at normal speed by each voice of `splits`, in each condition."""
    for voice in VOICES:
        if voice.split not in splits:
            continue
        for text in NEGATIVE_TEXTS:
            clip = synthesize(voice, 1.0, text)
            padded = pad(clip)
            for index, condition in enumerate(conditions):
                seed = int(hashlib.sha1(f"neg{voice}{text}{index}".encode()).hexdigest()[:8], 16)
                yield Sample(None, text, "synthetic negatives", degrade(padded, condition, seed),
                             LEAD_SILENCE_S + speech_end(clip), f"{voice.synth}:{voice.name}", voice.split,
                             condition)


def human_tuning_negatives() -> Iterator[Sample]:
    """Real voices reading sentences and short non-command phrases (tuning only)."""
    for folder in HUMAN_TUNING_FOLDERS:
        for path in sorted((HUMAN / folder).rglob("*")):
            if path.suffix not in (".wav", ".flac", ".raw") or path.name.startswith(SAYS_COMMANDS):
                continue
            clip = read_any(path)
            yield Sample(None, path.stem, "human negatives", pad(clip), LEAD_SILENCE_S + speech_end(clip),
                         path.stem, "tune")
