"""The energy segmenter on synthetic signals: boundaries, pauses, clicks and noise."""

import numpy as np

from voicecoach.asr.segmenter import END_SILENCE_S, FRAME_SAMPLES, EnergySegmenter

RATE = 16000


def tone(seconds, amplitude=3000.0, freq=300.0):
    t = np.arange(int(seconds * RATE)) / RATE
    return (amplitude * np.sin(2 * np.pi * freq * t)).astype(np.int16)


def quiet(seconds, level=0.0, seed=0):
    return (np.random.default_rng(seed).standard_normal(int(seconds * RATE)) * level).astype(np.int16)


def segments(audio):
    segmenter = EnergySegmenter()
    ended = []
    for start in range(0, len(audio) - FRAME_SAMPLES + 1, FRAME_SAMPLES):
        event = segmenter.frame(audio[start:start + FRAME_SAMPLES].tobytes())
        if event.ended:
            ended.append(event.ended)
    last = segmenter.finish()
    return ended + ([last] if last else [])


def test_boundaries_and_pause_before():
    audio = np.concatenate([quiet(0.5, 30), tone(0.4), quiet(0.15, 30), tone(0.3), quiet(0.8, 30, 1), tone(0.5), quiet(0.6, 30, 2)])
    found = segments(audio)
    # The 0.15 s gap is shorter than the end-of-utterance silence, so the first two tones are one utterance.
    assert len(found) == 2
    first, second = found
    assert abs(first.speech_start - 0.5) < 0.04 and abs(first.speech_end - 1.35) < 0.04
    assert abs(second.speech_start - 2.15) < 0.04 and abs(second.speech_seconds - 0.5) < 0.04
    assert abs(second.pause_before - 0.8) < 0.05
    assert first.start < first.speech_start  # pre-roll included


def test_a_click_is_not_an_utterance():
    audio = np.concatenate([quiet(0.5, 30), tone(0.02, 20000), quiet(0.5, 30)])
    assert segments(audio) == []


def test_steady_noise_is_not_speech_but_speech_over_it_is():
    noise = quiet(3.0, 300, 3)
    audio = noise.copy()
    burst = slice(int(1.5 * RATE), int(2.0 * RATE))
    audio[burst] = np.clip(audio[burst].astype(int) + tone(0.5, 3000), -32768, 32767)
    found = segments(audio)
    assert len(found) == 1 and abs(found[0].speech_seconds - 0.5) < 0.05
    assert segments(noise) == []


def test_end_needs_the_full_silence():
    audio = np.concatenate([quiet(0.5), tone(0.4), quiet(END_SILENCE_S - 0.05)])
    segmenter = EnergySegmenter()
    ends = [segmenter.frame(audio[i:i + FRAME_SAMPLES].tobytes()).ended
            for i in range(0, len(audio) - FRAME_SAMPLES + 1, FRAME_SAMPLES)]
    assert not any(ends)


def test_the_utterance_cutter_gives_each_utterance_its_audio_whatever_the_chunking():
    from voicecoach.asr.segmenter import PRE_ROLL_S, UtteranceCutter

    audio = np.concatenate([quiet(0.5, 20), tone(0.4), quiet(0.6, 20, 1), tone(0.3, freq=500.0)])
    results = []
    for chunk in (160, 333, 4000):
        cutter = UtteranceCutter()
        found = [item for start in range(0, len(audio), chunk) for item in cutter.feed(audio[start:start + chunk].tobytes())]
        results.append(found + cutter.finish())
    assert results[0] == results[1] == results[2]
    (first, first_audio), (second, second_audio) = results[0]
    assert [s.speech_start for s in (first, second)] == [s.speech_start for s in segments(audio)]
    # The audio runs from the pre-roll to the end of the speech and the hangover that ended it.
    assert first_audio == audio[int((first.speech_start - PRE_ROLL_S) * RATE) : int((first.speech_end + END_SILENCE_S) * RATE)].tobytes()
    assert len(second_audio) > (second.speech_end - second.speech_start) * RATE * 2
