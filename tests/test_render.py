"""`voicecoach render`: the WAV holds exactly the utterances the timeline lists, where it lists them."""

from __future__ import annotations

import json
import wave
from pathlib import Path

import numpy as np
import pytest

from voicecoach.cli import main
from voicecoach.session.coach_control import BREATH_AFTER_CUT_S

ROUTINE = str(Path(__file__).parent / "data" / "session-test.yaml")
SILENCE = 1e-4
"""Linear amplitude: anything above it is sound (the render adds nothing but speech)."""
TRAILING_WITHIN_S = 0.4
"""espeak-ng's trailing silence: an uncut utterance's last sound comes within this of its end.
(Its output also varies by tens of milliseconds with what the same engine said before, so the
rendered audio is checked against the timeline, not against a fresh synthesis.)"""
ONSET_WITHIN_S = 0.15
"""espeak-ng's leading silence: the first sound of an utterance comes within this of its start."""
SPEECH_RMS = 0.01
"""Linear RMS of any spoken utterance (espeak-ng speaks at around 0.1)."""
EDGE_S = 0.002
"""Timeline times are rounded to the millisecond."""


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path)) as source:
        frames = source.readframes(source.getnframes())
        return np.frombuffer(frames, dtype="<i2").astype(np.float32) / np.iinfo(np.int16).max, source.getframerate()


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    folder = tmp_path_factory.mktemp("render")
    commands = folder / "commands.txt"
    commands.write_text("8 yes\n14 stop\n17 continue\n40 how long\n60 end session\n61 yes\n")
    out, timeline = folder / "session.wav", folder / "timeline.json"
    assert main(["render", ROUTINE, "-o", str(out), "--commands", str(commands), "--timeline", str(timeline)]) == 0
    audio, rate = read_wav(out)
    return audio, rate, json.loads(timeline.read_text())


def test_every_utterance_is_in_the_audio_where_the_timeline_says(rendered):
    audio, rate, timeline = rendered
    assert timeline["rate"] == rate
    for entry in timeline["utterances"]:
        start, end = int(round(entry["start"] * rate)), int(round(entry["end"] * rate))
        region = audio[start:end]
        loud = np.flatnonzero(np.abs(region) > SPEECH_RMS)
        assert float(np.sqrt(np.mean(region**2))) > SPEECH_RMS, entry
        assert loud[0] / rate < ONSET_WITHIN_S, entry
        if not entry["cut"]:
            assert (len(region) - loud[-1]) / rate < TRAILING_WITHIN_S, entry


def test_there_is_silence_wherever_the_timeline_has_nothing(rendered):
    audio, rate, timeline = rendered
    covered = np.zeros(len(audio), dtype=bool)
    edge = int(EDGE_S * rate)
    for entry in timeline["utterances"]:
        covered[max(0, int(round(entry["start"] * rate)) - edge) : int(round(entry["end"] * rate)) + edge] = True
    assert np.abs(audio[~covered]).max() < SILENCE


def test_stop_cuts_the_utterance_at_that_moment(rendered):
    audio, rate, timeline = rendered
    cut = [entry for entry in timeline["utterances"] if entry["cut"]]
    assert 14.0 in [entry["end"] for entry in cut]
    stopped = next(entry for entry in timeline["utterances"] if entry["text"].startswith("Stopped."))
    assert stopped["start"] == pytest.approx(14.0 + BREATH_AFTER_CUT_S)
    assert not any(entry["kind"] == "count" and 14.0 < entry["start"] < 17.0 for entry in timeline["utterances"])


def test_counts_in_the_render_start_on_whole_seconds_from_begin(rendered):
    _, _, timeline = rendered
    utterances = timeline["utterances"]
    begin = next(entry for entry in utterances if entry["text"] == "Begin.")
    hold_start = begin["end"]
    counts = [e for e in utterances if e["kind"] == "count" and hold_start < e["start"] < hold_start + 8]
    assert counts
    for entry in counts:
        assert (entry["start"] - hold_start) == pytest.approx(round(entry["start"] - hold_start), abs=0.002)
