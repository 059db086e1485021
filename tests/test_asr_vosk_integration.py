"""Real Vosk recognition, when a model is installed; skipped with the reason otherwise."""

import pytest

from tests.asr_audio import synthesize, with_silence
from voicecoach.asr.models import find_vosk_model
from voicecoach.asr.pipeline import ListeningPipeline
from voicecoach.audio.format import RECOGNIZER_RATE, AudioChunk
from voicecoach.commands import Command, CommandId

MODEL = find_vosk_model()
pytestmark = pytest.mark.skipif(
    MODEL is None,
    reason="no Vosk model installed (voicecoach models download vosk-model-small-en-us-0.15, "
    "or set VOICECOACH_VOSK_MODEL)",
)


def test_vosk_hears_commands_through_the_pipeline(tmp_path):
    from voicecoach.asr.vosk_engine import VoskRecognizer

    audio = with_silence(*(synthesize(tmp_path, "flite", "slt", t) for t in ("next", "that hurts", "seven")))
    pipeline = ListeningPipeline(VoskRecognizer(MODEL))
    found = []
    for start in range(0, len(audio), 320):
        found += pipeline.feed(AudioChunk.from_samples(audio[start:start + 320], RECOGNIZER_RATE))
    found += pipeline.finish()
    assert [d.command for d in found] == [Command(CommandId.NEXT), Command(CommandId.HURT), Command(CommandId.NUMBER, 7)]
