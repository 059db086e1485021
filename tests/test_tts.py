"""Synthesis with the real pyttsx3 + espeak-ng, the cache, and the voice settings."""

import sys
import time

import numpy as np
import pytest

from voicecoach.audio.synth_cache import COUNT_WORDS, CachedSynthesizer, count_word
from voicecoach.audio.tts import MAX_RATE_WPM, MIN_RATE_WPM, Pyttsx3Synthesizer, VoiceSettings
from voicecoach.errors import EngineUnavailable

SENTENCE = "Relax. Breathe out slowly and let the hip sink."


@pytest.fixture(scope="module")
def synth():
    synthesizer = Pyttsx3Synthesizer()
    yield synthesizer
    synthesizer.close()


def test_settings_are_validated_and_clamped():
    with pytest.raises(ValueError):
        VoiceSettings(rate_wpm=10)
    with pytest.raises(ValueError):
        VoiceSettings(volume=1.5)
    assert VoiceSettings(rate_wpm=290).with_rate(+50).rate_wpm == MAX_RATE_WPM
    assert VoiceSettings(rate_wpm=90).with_rate(-50).rate_wpm == MIN_RATE_WPM
    assert VoiceSettings(volume=0.1).with_volume(-0.5).volume == 0.0
    assert VoiceSettings(volume=0.5).with_volume(0.25).volume == 0.75


def test_count_words():
    assert [count_word(n) for n in (1, 13, 20, 21, 45, 60)] == [
        "one", "thirteen", "twenty", "twenty-one", "forty-five", "sixty"]
    assert len(COUNT_WORDS) == 60 and len(set(COUNT_WORDS)) == 60
    with pytest.raises(ValueError):
        count_word(61)


def test_synthesizes_audible_mono_int16(synth):
    chunk = synth.synthesize("one")
    assert chunk.format.channels == 1 and chunk.format.width == 2 and chunk.format.rate == 22050
    samples = chunk.samples()[:, 0].astype(np.float64) / 32767
    assert 0.2 < chunk.duration < 1.5
    assert np.sqrt(np.mean(samples ** 2)) > 0.01
    assert synth.duration(SENTENCE) > 2 * chunk.duration


def test_rate_changes_apply_every_time(synth):
    # pyttsx3 on espeak-ng stops applying rate changes after a few utterances in one engine;
    # the worker-per-rate design must give the same length for the same rate, every time.
    durations = {}
    for rate in (120, 240, 120, 240, 175, 120, 240):
        synth.configure(VoiceSettings(rate_wpm=rate))
        durations.setdefault(rate, []).append(synth.duration(SENTENCE))
    synth.configure(VoiceSettings())
    for values in durations.values():
        assert max(values) - min(values) < 0.05
    assert durations[120][0] / durations[240][0] > 1.6


def test_unknown_voice_is_a_clear_error():
    synthesizer = Pyttsx3Synthesizer(VoiceSettings(voice="no-such-voice"))
    with pytest.raises(EngineUnavailable, match="unknown voice 'no-such-voice'"):
        synthesizer.synthesize("hello")


def test_empty_text_is_refused(synth):
    with pytest.raises(ValueError):
        synth.synthesize("  ")


def test_missing_engine_says_what_to_install():
    # The real worker with pyttsx3 made unimportable, as on a machine without it.
    blocked = ("import sys, runpy; sys.modules['pyttsx3'] = None; "
               "runpy.run_module('voicecoach.audio.synth_worker', run_name='__main__')")
    synthesizer = Pyttsx3Synthesizer(worker=[sys.executable, "-c", blocked])
    with pytest.raises(EngineUnavailable, match="pyttsx3.*apt install espeak-ng"):
        synthesizer.synthesize("hello")


def test_hung_engine_is_killed_and_reported():
    worker = [sys.executable, "-c", "import time; print('ready', flush=True); time.sleep(60)"]
    synthesizer = Pyttsx3Synthesizer(worker=worker, synth_timeout_s=0.5)
    started = time.monotonic()
    with pytest.raises(EngineUnavailable, match="no answer"):
        synthesizer.synthesize("hello")
    assert time.monotonic() - started < 3.0
    synthesizer.close()


def test_cache_renders_each_phrase_once_per_voice_and_rate(synth):
    cache = CachedSynthesizer(synth)
    cache.warm(["one", "two", "Begin"])
    assert (cache.misses, len(cache)) == (3, 3)
    first = cache.synthesize("one")
    assert cache.synthesize("one") is first and cache.hits == 2
    cache.configure(VoiceSettings(rate_wpm=240))
    faster = cache.synthesize("one")
    assert faster is not first and faster.duration < first.duration and cache.misses == 4
    cache.configure(VoiceSettings())
    assert cache.synthesize("one") is first


def test_cache_evicts_the_least_recently_used(synth):
    cache = CachedSynthesizer(synth, capacity=2)
    cache.warm(["one", "two"])
    cache.synthesize("one")
    cache.synthesize("three")
    misses = cache.misses
    cache.synthesize("one")
    assert cache.misses == misses
    cache.synthesize("two")
    assert cache.misses == misses + 1
