"""The real audio path: sounddevice -> ALSA "pulse" -> null sink, recorded from its monitor.

Recordings are aligned to the monotonic clock by a reference tone played first: its SpeechLog
start and its onset in the recording are the same instant.
"""

import io
import time

import numpy as np
import pytest

import pulse
from voicecoach.audio.activity import SpeechLog
from voicecoach.audio.format import AudioChunk
from voicecoach.audio.nullplayer import NullPlayer
from voicecoach.audio.playback import PlayerSettings, SoundDevicePlayer
from voicecoach.audio.speech import SpeechSettings, make_player, make_speaker
from voicecoach.audio.tts import Pyttsx3Synthesizer

pytestmark = pytest.mark.audio

SYNTH_RATE = 22050
BEAT_TOLERANCE_S = 0.030
ABORT_TOLERANCE_S = 0.050
UNDERRUN_ALLOWANCE_S = 0.05
"""Seconds an utterance may stretch by: a couple of PulseAudio underruns on a busy 2-core machine."""
LEAD_S = 0.3
"""Seconds from queuing the reference to its playing: time enough to queue what follows."""


@pytest.fixture(scope="module")
def synth():
    synthesizer = Pyttsx3Synthesizer()
    yield synthesizer
    synthesizer.close()


@pytest.fixture
def player(pulse_server):
    log = SpeechLog()
    reports = []
    speaker = SoundDevicePlayer(PlayerSettings(device="pulse"), log, report=reports.append)
    speaker.reports = reports
    yield speaker
    speaker.close()


def _reference():
    return AudioChunk.from_samples(pulse.tone(SYNTH_RATE, 0.05), SYNTH_RATE)


def _to_recording(samples, rate, log, ref_text="ref"):
    """Monotonic seconds -> seconds into the recording, anchored on the reference tone."""
    ref_start = next(u.start for u in log.recent() if u.text == ref_text)
    ref_onset = pulse.first_sound(samples, rate)
    assert ref_onset is not None, "the reference tone never reached the sink"
    return lambda moment: moment - ref_start + ref_onset


def _lead_in(chunk):
    """Seconds of near-silence espeak-ng puts before a word's first loud sample."""
    return pulse.first_sound(chunk.samples()[:, 0] / 32767.0, chunk.format.rate)


def _rms(samples, rate, start, end):
    window = samples[int(start * rate) : int(end * rate)]
    return float(np.sqrt(np.mean(window.astype(np.float64) ** 2)))


def test_speech_is_heard_exactly_when_the_log_says(player, synth, speaker_monitor):
    texts = ["Begin", "Hold it there", "Relax"]
    chunks = [synth.synthesize(text) for text in texts]
    t0 = time.monotonic() + LEAD_S
    player.play(_reference(), "ref", "ref", at=t0)
    for index, (text, chunk) in enumerate(zip(texts, chunks)):
        player.play(chunk, text, "cue", at=t0 + 0.5 + 2.0 * index)
    assert player.drain(timeout=15)
    time.sleep(1.0)
    samples = speaker_monitor()
    rate = pulse.SINK_RATE
    at = _to_recording(samples, rate, player.log)
    spoken = [u for u in player.log.recent() if u.kind == "cue"]
    assert [u.text for u in spoken] == texts
    for utterance, chunk in zip(spoken, chunks):
        # Not exact: on a loaded machine an output underrun stretches an utterance by its gap,
        # and the log follows the real timing.
        assert utterance.end - utterance.start == pytest.approx(chunk.duration, abs=UNDERRUN_ALLOWANCE_S)
        start, end = at(utterance.start), at(utterance.end)
        assert _rms(samples, rate, start, end) > 0.02
        onset = pulse.first_sound(samples, rate, after_s=start - 0.2)
        assert abs(onset - (start + _lead_in(chunk))) < BEAT_TOLERANCE_S
        assert _rms(samples, rate, end + 0.05, end + 0.8) < 1e-3


def test_counts_land_on_the_beat(player, synth, speaker_monitor):
    words = ["one", "two", "three", "four", "five", "six"]
    chunks = [synth.synthesize(word) for word in words]
    t0 = time.monotonic() + LEAD_S
    player.play(_reference(), "ref", "ref", at=t0)
    for beat, (word, chunk) in enumerate(zip(words, chunks), start=1):
        player.play(chunk, word, "count", at=t0 + beat)
    assert player.drain(timeout=15)
    samples = speaker_monitor()
    rate = pulse.SINK_RATE
    at = _to_recording(samples, rate, player.log)
    errors = []
    for beat, chunk in enumerate(chunks, start=1):
        target = at(t0 + beat)
        onset = pulse.first_sound(samples, rate, after_s=target - 0.3)
        errors.append(onset - (target + _lead_in(chunk)))
    assert max(abs(e) for e in errors) < BEAT_TOLERANCE_S, errors
    logged = [u.start - t0 for u in player.log.recent() if u.kind == "count"]
    assert logged == pytest.approx(list(range(1, 7)), abs=0.002)


def test_abort_silences_within_50_ms(player, speaker_monitor):
    long_tone = AudioChunk.from_samples(pulse.tone(SYNTH_RATE, 4.0, 440, 0.3), SYNTH_RATE)
    t0 = time.monotonic() + LEAD_S
    player.play(_reference(), "ref", "ref", at=t0)
    player.play(long_tone, "long", "cue", at=t0 + 0.5)
    player.play(long_tone, "queued", "cue")
    while time.monotonic() < t0 + 1.5:
        time.sleep(0.001)
    aborted_at = time.monotonic()
    player.abort()
    time.sleep(0.5)
    assert not player.is_playing()
    samples = speaker_monitor()
    rate = pulse.SINK_RATE
    at = _to_recording(samples, rate, player.log)
    silent_from = pulse.last_sound(samples, rate)
    assert 0 <= silent_from - at(aborted_at) < ABORT_TOLERANCE_S
    long_entry = next(u for u in player.log.recent() if u.text == "long")
    assert 0 <= long_entry.end - aborted_at < ABORT_TOLERANCE_S
    assert "queued" not in [u.text for u in player.log.recent()]


def test_volume_change_is_heard_at_once(player, speaker_monitor):
    tone = AudioChunk.from_samples(pulse.tone(SYNTH_RATE, 2.0, 440, 0.8), SYNTH_RATE)
    t0 = time.monotonic() + LEAD_S
    player.play(_reference(), "ref", "ref", at=t0)
    player.play(tone, "tone", "cue", at=t0 + 0.5)
    while time.monotonic() < t0 + 1.5:
        time.sleep(0.001)
    changed_at = time.monotonic()
    player.set_volume(0.25)
    assert player.drain(timeout=5)
    samples = speaker_monitor()
    rate = pulse.SINK_RATE
    at = _to_recording(samples, rate, player.log)
    before = np.abs(samples[int(at(t0 + 0.6) * rate) : int(at(changed_at) * rate)]).max()
    after = np.abs(samples[int((at(changed_at) + ABORT_TOLERANCE_S) * rate) : int(at(t0 + 2.4) * rate)]).max()
    assert before == pytest.approx(0.8, abs=0.05) and after == pytest.approx(0.2, abs=0.03)


def test_missing_device_falls_back_to_printing_once(pulse_server):
    log, reports, out = SpeechLog(), [], io.StringIO()
    player = make_player(PlayerSettings(device="no-such-speaker"), log, report=reports.append)
    assert isinstance(player, NullPlayer)
    assert len(reports) == 1 and "no output device 'no-such-speaker'" in reports[0]
    player._out = out
    tone = AudioChunk.from_samples(pulse.tone(SYNTH_RATE, 0.5), SYNTH_RATE)
    player.play(tone, "Relax", "cue")
    assert out.getvalue() == "[coach] Relax\n"
    (entry,) = log.recent()
    assert entry.end - entry.start == pytest.approx(0.5, abs=0.01)
    assert player.is_playing() and player.drain(timeout=2) and len(reports) == 1


@pytest.mark.slow
def test_lost_device_is_reported_and_reopened(player, pulse_server, speaker_monitor):
    tone = AudioChunk.from_samples(pulse.tone(SYNTH_RATE, 5.0, 440, 0.3), SYNTH_RATE)
    player.play(tone, "long", "cue")
    time.sleep(0.5)
    pulse_server.unplug_speaker()
    try:
        deadline = time.monotonic() + 5
        while player.problem is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert player.problem and "lost" in player.problem
        assert any("lost" in r for r in player.reports)
        (entry,) = player.log.recent()
        assert entry.end is not None and entry.end - entry.start < 1.5
        player.play(tone, "while lost", "cue")
        assert not player.is_playing()
    finally:
        pulse_server.replug_speaker()
    deadline = time.monotonic() + 15
    while player.problem is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert player.problem is None and any("back" in r for r in player.reports)
    short = AudioChunk.from_samples(pulse.tone(SYNTH_RATE, 0.3, 440, 0.3), SYNTH_RATE)
    player.play(short, "after", "cue")
    assert player.drain(timeout=5)
    assert [u.text for u in player.log.recent()] == ["long", "after"]
    samples = speaker_monitor()
    assert np.abs(samples[-int(2 * pulse.SINK_RATE):]).max() > 0.2


def test_speaker_says_cancels_and_adapts(pulse_server):
    log = SpeechLog()
    speaker = make_speaker(SpeechSettings(warm_phrases=("one",)), log)
    try:
        normal = speaker.duration("Breathe out slowly")
        assert speaker.set_rate(-60) == 115 and speaker.duration("Breathe out slowly") > 1.3 * normal
        assert speaker.set_volume(-0.5) == 0.5
        speaker.say("one", kind="count", at=time.monotonic() + 0.2)
        speaker.say("Breathe out slowly and let the hips sink into the floor")
        time.sleep(0.2 + speaker.duration("one") + 0.5)
        assert speaker.is_speaking()
        speaker.cancel()
        time.sleep(0.1)
        assert not speaker.is_speaking()
        assert [u.kind for u in log.recent()] == ["count", "cue"] and all(u.end for u in log.recent())
    finally:
        speaker.close()
