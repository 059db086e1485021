"""PlayQueue timing with made-up block times: where each utterance's first sample lands."""

import numpy as np

from voicecoach.audio.playqueue import PlayQueue

RATE = 1000
BLOCK = 100


def _ones(n, value=1000):
    return np.full(n, value, dtype=np.int16)


def test_scheduled_utterance_starts_on_its_frame():
    queue = PlayQueue(RATE, now=0.0)
    queue.put(1, "one", "count", _ones(50), at=10.137)
    out = np.empty(BLOCK, dtype=np.int16)
    queue.fill(out, block_time=10.0, now=9.98)
    assert not out.any()
    queue.fill(out, block_time=10.1, now=10.08)
    assert not out[:37].any() and (out[37:87] == 1000).all() and not out[87:].any()
    start, end = queue.take_events()
    assert (start.what, start.ticket) == ("start", 1) and abs(start.time - 10.137) < 1e-9
    assert end.what == "end" and abs(end.time - 10.187) < 1e-9


def test_late_utterance_starts_at_once_and_queued_ones_follow():
    queue = PlayQueue(RATE, now=0.0)
    queue.put(1, "a", "cue", _ones(30, 1), at=4.0)
    queue.put(2, "b", "cue", _ones(30, 2), at=None)
    out = np.empty(BLOCK, dtype=np.int16)
    queue.fill(out, block_time=5.0, now=4.98)
    assert (out[:30] == 1).all() and (out[30:60] == 2).all() and not out[60:].any()
    assert [e.time for e in queue.take_events()] == [5.0, 5.03, 5.03, 5.06]


def test_abort_drops_everything_and_ends_playing_one_when_buffer_runs_out():
    queue = PlayQueue(RATE, now=0.0)
    queue.put(1, "long", "cue", _ones(1000), at=None)
    queue.put(2, "next", "cue", _ones(10), at=None)
    out = np.empty(BLOCK, dtype=np.int16)
    queue.fill(out, block_time=1.0, now=0.98)
    queue.take_events()
    assert queue.abort(now=0.99) == [1, 2]
    (end,) = queue.take_events()
    assert end.what == "end" and end.ticket == 1 and abs(end.time - 1.1) < 1e-9
    queue.fill(out, block_time=1.1, now=1.08)
    assert not out.any() and not queue.busy(now=1.2)


def test_gain_scales_the_copy_immediately():
    queue = PlayQueue(RATE, now=0.0)
    queue.put(1, "x", "cue", _ones(300), at=None)
    out = np.empty(BLOCK, dtype=np.int16)
    queue.fill(out, 0.0, 0.0)
    assert (out == 1000).all()
    queue.set_gain(0.25)
    queue.fill(out, 0.1, 0.1)
    assert (out == 250).all()


def test_audio_prepared_for_a_replaced_stream_is_dropped():
    queue = PlayQueue(RATE, now=0.0)
    assert queue.put(1, "old", "cue", _ones(10), at=None, rate=RATE)
    queue.reset(2 * RATE, now=1.0)
    assert not queue.put(2, "stale", "cue", _ones(10), at=None, rate=RATE)
    assert queue.pending() == []


def test_stream_positions_count_frames_whatever_the_callback_clock_says():
    """Block times jitter with the audio thread's scheduling; the frames written do not, and the
    echo canceller places utterances by frames."""
    queue = PlayQueue(RATE, now=0.0)
    queue.put(1, "a", "count", _ones(20), at=1.05)
    queue.put(2, "b", "count", _ones(20), at=1.25)
    out = np.empty(BLOCK, dtype=np.int16)
    for index, jitter in enumerate((0.0, 0.004, -0.003, 0.002)):
        queue.fill(out, block_time=1.0 + index * BLOCK / RATE + jitter, now=0.0)
    first, _, second, _ = queue.take_events()
    # Both land on their scheduled times by the clock readings, 0.2 s apart, but the third block's
    # reading was 3 ms early, so in the stream itself they are 203 frames apart.
    assert (round(first.time, 6), round(second.time, 6)) == (1.05, 1.25)
    assert (first.position.frame, second.position.frame) == (50, 253)
    assert first.position.stream == second.position.stream and first.position.rate == RATE
    queue.reset(RATE, now=2.0)
    queue.put(3, "c", "count", _ones(5), at=None)
    queue.fill(out, block_time=2.0, now=2.0)
    third = queue.take_events()[0]
    assert third.position.stream == first.position.stream + 1 and third.position.frame == 0
