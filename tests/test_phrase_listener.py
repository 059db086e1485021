"""The idle listener: requests after the wake phrase are heard, conversation is not."""

from __future__ import annotations

import wave

import numpy as np
import pytest

from voicecoach.asr.phrase_listener import MIN_CONFIDENCE, WAKE_MIN_CONFIDENCE, PhraseListener
from voicecoach.audio.format import AudioChunk
from voicecoach.routine.library import bundled_routines
from voicecoach.serve.grammar import idle_phrases, wake_threshold
from voicecoach.serve.requests import strip_wake
from voices import synthesize, voices_missing_reason

WAKES = ("coach", "hey coach")

pytestmark = pytest.mark.skipif(bool(voices_missing_reason()), reason=voices_missing_reason() or "ok")


def _listener() -> PhraseListener:
    phrases = idle_phrases(WAKES, bundled_routines(), ["anna"])
    return PhraseListener(phrases, min_confidence=wake_threshold(WAKES, WAKE_MIN_CONFIDENCE, MIN_CONFIDENCE))


def _audio(text: str, voice: str, folder) -> AudioChunk:
    with wave.open(str(synthesize(text, voice, folder))) as source:
        samples = np.frombuffer(source.readframes(source.getnframes()), "<i2")
        return AudioChunk.from_samples(samples, source.getframerate())


def _heard(listener: PhraseListener, chunk: AudioChunk, block_s: float = 0.1) -> list[str]:
    samples = chunk.samples()[:, 0]
    block = max(1, int(block_s * chunk.format.rate))
    heard = []
    for start in range(0, len(samples), block):
        heard += listener.feed(AudioChunk.from_samples(samples[start : start + block], chunk.format.rate))
    return [h.phrase for h in heard + listener.finish()]


# Accuracy by voice and noise is measured in bench/ ("Idle listening"); here, that the listener works.
@pytest.mark.parametrize("voice", ["slt", "awb"])
@pytest.mark.parametrize(
    "text, expected",
    [
        ("coach, what routines are there", "coach what routines are there"),
        ("coach, start the assisted stretch", "coach start the assisted stretch"),
        ("psoas release", "psoas release"),
    ],
)
def test_requests_are_heard(voice, text, expected, tmp_path):
    assert _heard(_listener(), _audio(text, voice, tmp_path)) == [expected]


@pytest.mark.parametrize("text", ["what a day it has been", "my coach said to stretch every day"])
def test_conversation_never_wakes_the_coach_even_with_the_wake_word_in_it(text, tmp_path):
    """A bare request may be heard, but a sleeping coach ignores anything without the wake phrase."""
    for voice in ("slt", "kal16", "awb"):
        heard = _heard(_listener(), _audio(text, voice, tmp_path))
        assert [phrase for phrase in heard if strip_wake(phrase, WAKES) is not None] == []


def test_the_result_does_not_depend_on_chunk_size(tmp_path):
    chunk = _audio("hey coach, start psoas basics", "awb", tmp_path)
    results = {tuple(_heard(_listener(), chunk, block_s)) for block_s in (0.005, 0.02, 0.1, 0.5)}
    assert results == {("hey coach start psoas basics",)}
