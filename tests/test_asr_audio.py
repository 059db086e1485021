"""The pipeline on real synthesized speech: detection, chunk size, sentences, the coach's voice."""

import numpy as np
import pytest

from tests.asr_audio import synthesize, with_silence
from voicecoach.asr.pipeline import ListeningPipeline
from voicecoach.asr.sphinx import COMFORT_NOISE_RMS, PocketSphinxRecognizer, comfort_noise_pattern, with_noise_floor
from voicecoach.audio.activity import SpeechLog
from voicecoach.audio.format import RECOGNIZER_RATE, AudioChunk
from voicecoach.commands import Command, CommandId

VOICES = [("flite", "slt"), ("flite", "rms"), ("festival", "kal_diphone"), ("espeak", "en-us+f3")]
"""16 kHz voices. flite's kal is 8 kHz telephone-band speech, which the PocketSphinx model (trained
on 16 kHz wideband) mostly fails on; the benchmark measures it, the test does not insist. espeak-ng
pads its speech with digital silence, which the engine's comfort-noise floor makes decodable."""
PHRASES = {
    "next": Command(CommandId.NEXT),
    "that hurts": Command(CommandId.HURT),
    "stop": Command(CommandId.STOP),
    "repeat": Command(CommandId.REPEAT),
    "seven": Command(CommandId.NUMBER, 7),
    "make it easier": Command(CommandId.EASIER),
}


@pytest.fixture(scope="session")
def clips(tmp_path_factory):
    folder = tmp_path_factory.mktemp("asr-clips")
    return lambda engine, voice, text, speed=1.0: synthesize(folder, engine, voice, text, speed)


@pytest.fixture(scope="session")
def recognizer():
    return PocketSphinxRecognizer()


def run(recognizer, audio, chunk_s=0.02, rate=RECOGNIZER_RATE, **options):
    pipeline = ListeningPipeline(recognizer, **options)
    step = max(1, int(chunk_s * rate))
    found = []
    for start in range(0, len(audio), step):
        found += pipeline.feed(AudioChunk.from_samples(audio[start:start + step], rate))
    return found + pipeline.finish()


def test_commands_from_several_voices(clips, recognizer):
    results = {}
    for engine, voice in VOICES:
        for text, command in PHRASES.items():
            found = run(recognizer, with_silence(clips(engine, voice, text)))
            results[(voice, text)] = [d.command for d in found]
    wrong = {key: got for key, got in results.items() if got and got != [PHRASES[key[1]]]}
    missed = [key for key, got in results.items() if not got]
    assert not wrong, f"wrong commands: {wrong}"
    assert len(missed) <= 4, f"missed: {missed}"  # measured: 2 of 24 (kal_diphone repeat, f3 seven)
    assert all(results[(voice, "that hurts")] == [PHRASES["that hurts"]] for _, voice in VOICES)


@pytest.mark.parametrize("speed", [0.8, 1.25])
def test_slow_and_fast_speech(clips, recognizer, speed):
    for text in ("that hurts", "next", "stop"):
        found = run(recognizer, with_silence(clips("flite", "slt", text, speed)))
        assert [d.command for d in found] == [PHRASES[text]], (text, speed)


def test_several_commands_in_one_stream(clips, recognizer):
    # slt: rms's "seven" scores right at its tuned threshold, so it passes or not by a hair.
    audio = with_silence(*(clips("flite", "slt", text) for text in ("next", "seven", "that hurts")))
    found = run(recognizer, audio)
    assert [d.command for d in found] == [PHRASES["next"], PHRASES["seven"], PHRASES["that hurts"]]
    assert all(0 < a.at < b.at for a, b in zip(found, found[1:]))


def test_results_do_not_depend_on_chunk_size_or_input_rate(clips):
    # A fresh engine per run: PocketSphinx keeps a little state from earlier utterances, so equal
    # history is needed for bit-equal scores; chunking is the only thing that varies here.
    audio = with_silence(*(clips("flite", "slt", text) for text in ("repeat", "that hurts", "stop")))
    reference = [(d.command, d.phrase, round(d.confidence, 6), d.end)
                 for d in run(PocketSphinxRecognizer(), audio, 0.02)]
    assert len(reference) == 3
    for chunk_s in (0.005, 0.032, 0.1, 0.5):
        found = run(PocketSphinxRecognizer(), audio, chunk_s)
        assert [(d.command, d.phrase, round(d.confidence, 6), d.end) for d in found] == reference, chunk_s
    # A 48 kHz microphone: the one converter brings it to 16 kHz; the same commands come out.
    upsampled = np.repeat(audio, 3)
    found = run(PocketSphinxRecognizer(), upsampled, 0.02, rate=48000)
    assert [d.command for d in found] == [r[0] for r in reference]


@pytest.mark.parametrize("sentence", [
    "go back to the table and sit down for a while",
    "what a day it has been, I need to stop working so late",
    "next time we will repeat the whole thing again",
])
def test_command_words_inside_sentences_are_not_commands(clips, recognizer, sentence):
    for voice in ("slt", "rms"):
        assert run(recognizer, with_silence(clips("flite", voice, sentence))) == []


NON_COMMAND_WORDS = ("hello", "water", "morning", "kitchen", "coffee", "window", "table", "music",
                     "garden", "tomorrow", "later", "maybe")


def test_single_non_command_words_are_mostly_rejected(clips, recognizer):
    # A closed grammar maps every word onto some phrase; only the confidence threshold says no.
    # Measured: 3 of these 24 are heard as commands ("tomorrow" as "time left", "morning" as "nine").
    heard = [(voice, word, [d.phrase for d in found])
             for voice in ("slt", "rms") for word in NON_COMMAND_WORDS
             if (found := run(recognizer, with_silence(clips("flite", voice, word))))]
    assert len(heard) <= 4, heard


def test_comfort_noise_is_fixed_and_faint():
    silence = bytes(2 * RECOGNIZER_RATE)
    noisy = np.frombuffer(with_noise_floor(silence, comfort_noise_pattern()), np.int16)
    assert noisy.tobytes() == with_noise_floor(silence, comfort_noise_pattern())  # same pattern every time
    assert abs(np.sqrt(np.mean(noisy.astype(float) ** 2)) - COMFORT_NOISE_RMS) < 2
    loud = np.full(RECOGNIZER_RATE, 32767, np.int16).tobytes()
    assert np.frombuffer(with_noise_floor(loud, comfort_noise_pattern()), np.int16).max() == 32767  # clipped


def coach_log(audio_start, clip, text):
    log = SpeechLog()
    utterance = log.started(text, "cue", audio_start)
    log.ended(utterance, audio_start + len(clip) / RECOGNIZER_RATE)
    return log


@pytest.mark.parametrize("cue", [
    "Stop when you feel a gentle stretch, then hold on and breathe.",
    "Next, repeat the stretch on the other side. Say next when you are ready.",
    "Slow down and wait",
    "pause",
])
def test_coach_cue_echo_triggers_nothing(clips, recognizer, cue):
    clip = clips("espeak", "en-us", cue)
    audio = with_silence(clip)
    # Without the speech log some of these would be heard as commands; with it, none are.
    assert run(recognizer, audio, speech_log=coach_log(0.6, clip, cue)) == []


def test_user_barge_in_while_coach_speaks(clips, recognizer):
    cue = "Lift your knee toward your chest"
    hurts = clips("flite", "slt", "that hurts")
    nxt = clips("flite", "slt", "next")
    audio = with_silence(hurts, nxt)
    # The log says the coach talks over the whole stream: only the safety command gets through.
    log = coach_log(0.0, audio, cue)
    found = run(recognizer, audio, speech_log=log)
    assert [d.command for d in found] == [PHRASES["that hurts"]]


def test_set_active_restricts_commands(clips, recognizer):
    audio = with_silence(clips("flite", "slt", "seven"), clips("flite", "slt", "that hurts"))
    found = run(recognizer, audio, commands={CommandId.HURT, CommandId.STOP, CommandId.PAUSE})
    assert [d.command for d in found] == [PHRASES["that hurts"]]
