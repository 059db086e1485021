"""A real spoken session through sounddevice into a PulseAudio null sink, recorded from its monitor:
speech where the transcript says, counts on the second, and "stop" silences at once."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import pulse
from voicecoach.session.coach_control import BREATH_AFTER_CUT_S

pytestmark = [pytest.mark.audio, pytest.mark.slow]

ROUTINE = str(Path(__file__).parent / "data" / "session-test.yaml")
COUNT_TOLERANCE_S = 0.030
"""Each count's onset within this of its whole second (the issue's target)."""
STOP_SILENT_WITHIN_S = 0.050
"""After "stop", the speaker is silent within this (the issue's target)."""
LEADING_SILENCE_MAX_S = 0.05
"""espeak-ng starts sounding within this of an utterance's first sample."""
SEARCH_BEFORE_S, SEARCH_AFTER_S = 0.2, 0.4
"""Window around an utterance's transcript time (rounded to 0.1 s) in which to find its onset."""

PAUSE_IN_SPEECH_S = 0.4
"""Seconds: espeak-ng's pauses between sentences are shorter; a longer silence means not speaking."""

STOP_AT = 8.0
"""Session seconds of "stop": the middle of the long stiffer-side question, so speech is cut."""

LINE = re.compile(r"^\[(\d+):(\d+\.\d)\] coach: (.*)$")


def _transcript(stdout: str) -> list[tuple[float, str]]:
    says = []
    for line in stdout.splitlines():
        match = LINE.match(line)
        if match:
            says.append((int(match.group(1)) * 60 + float(match.group(2)), match.group(3)))
    return says


@pytest.fixture(scope="module")
def spoken(pulse_server, tmp_path_factory):
    folder = tmp_path_factory.mktemp("spoken")
    commands = folder / "commands.txt"
    commands.write_text(f"{STOP_AT} stop\n12 continue\n20 yes\n75 end session\n76 yes\n")
    recording = pulse_server.record(f"{pulse.SPEAKER_SINK}.monitor", folder / "speaker.wav")
    result = subprocess.run(
        [sys.executable, "-m", "voicecoach", "run", ROUTINE, "--commands", str(commands), "--data-dir", str(folder)],
        env=dict(os.environ), capture_output=True, text=True, timeout=180,
    )
    samples = recording.stop()
    assert result.returncode == 0, result.stderr
    says = _transcript(result.stdout)
    zero = pulse.first_sound(samples, recording.rate)
    assert zero is not None, "nothing was heard from the speaker"
    return samples, recording.rate, zero, says, result.stdout


def _onset(samples, rate, zero, at) -> float:
    """Seconds after session zero of the first sound near session time `at`."""
    window_start = max(0.0, zero + at - SEARCH_BEFORE_S)
    onset = pulse.first_sound(samples, rate, after_s=window_start)
    assert onset is not None and onset < zero + at + SEARCH_AFTER_S, f"no sound near {at}"
    return onset - zero


def test_speech_is_heard_where_the_transcript_says(spoken):
    samples, rate, zero, says, _ = spoken
    for at, text in says[:12]:
        assert abs(_onset(samples, rate, zero, at) - at) < SEARCH_AFTER_S, text


def test_counts_land_within_30_ms_of_their_second(spoken):
    samples, rate, zero, says, _ = spoken
    begin = next(at for at, text in says if text == "Begin.")
    counts = [(at, text) for at, text in says if text.isdigit() and begin < at < begin + 9]
    assert len(counts) >= 4
    word_delay = _word_onset_delays({text for _, text in counts})
    onsets = np.array([_onset(samples, rate, zero, at) - word_delay[text] for at, text in counts])
    # The hold started on an unknown fraction of a second; every count must sit on that same grid.
    seconds = np.array([round(at - counts[0][0]) for at, _ in counts])
    offsets = onsets - seconds
    errors = np.abs(offsets - np.median(offsets))
    assert errors.max() <= COUNT_TOLERANCE_S, f"count onset errors {np.round(errors * 1000, 1)} ms"


def _word_onset_delays(words: set[str]) -> dict[str, float]:
    """Seconds from each word's first sample to its first sound (a soft "t" or "s" is heard late)."""
    from voicecoach.audio.speech import make_synthesizer
    from voicecoach.audio.tts import VoiceSettings

    synthesizer = make_synthesizer(VoiceSettings())
    try:
        delays = {}
        for word in words:
            chunk = synthesizer.synthesize(word)
            audio = chunk.samples()[:, 0].astype(np.float32) / np.iinfo(np.int16).max
            delays[word] = pulse.first_sound(audio, chunk.format.rate)
        return delays
    finally:
        synthesizer.close()


def test_stop_silences_the_speaker_within_50_ms(spoken):
    """After "stop" the coach is silent for a breath, then confirms. The confirmation is scheduled
    exactly BREATH_AFTER_CUT_S after the stop, so its onset locates the stop in the recording, and
    the last sound before the silence shows when the cut took effect."""
    samples, rate, zero, says, stdout = spoken
    assert f"[00:{STOP_AT:04.1f}] heard: stop -> stop" in stdout
    assert next(at for at, text in says if "stiffer one?" in text) < STOP_AT - 1, "the question must be under way"
    confirmation = _onset_after_silence(samples, rate, zero + STOP_AT, BREATH_AFTER_CUT_S - STOP_SILENT_WITHIN_S)
    cut = confirmation - BREATH_AFTER_CUT_S
    last = pulse.last_sound(samples, rate, before_s=confirmation - 0.01)
    assert cut - last < PAUSE_IN_SPEECH_S, "the coach was not speaking when stop was said"
    assert last - cut <= STOP_SILENT_WITHIN_S, f"sound went on {1000 * (last - cut):.0f} ms after stop"


def _onset_after_silence(samples, rate, near: float, min_silence_s: float) -> float:
    """The first sound that follows at least `min_silence_s` of silence, searching from `near` - 1 s."""
    position = max(0.0, near - 1.0)
    while position < near + 2.0:
        onset = pulse.first_sound(samples, rate, after_s=position)
        assert onset is not None
        before = pulse.last_sound(samples, rate, before_s=onset - 0.001)
        if before is not None and onset - before >= min_silence_s:
            return onset
        position = onset + 0.01
    raise AssertionError(f"no silence of {min_silence_s} s near {near - 1.0:.2f} s")
