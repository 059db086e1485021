"""Subtracting the coach's own voice from the microphone, using what the player says it played.

With no echo-cancelling sound server (docs/echo-cancel.md), a microphone beside the loudspeaker
hears every count as loud as the person on the floor, and "that hurts" said over a count reaches
the recognizer mixed with it. The player records each utterance's samples and the moment its first
sample reached the device (`SpeechLog`), so the echo path can be fitted on the spot: the delay by
phase-transform cross-correlation, then a short filter (direct sound and early reflections) by
least squares over a few seconds that hold the coach's voice, and the predicted echo subtracted.

The person's own words do not correlate with the reference, so they stay in the residual while
the fit is made on the same audio. Only the rare path uses this: an utterance that overlaps the
coach and might hold a safety command.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Iterable, Optional

import numpy as np

from voicecoach.audio.activity import Utterance
from voicecoach.audio.convert import convert_all
from voicecoach.audio.format import AudioChunk, int16_to_float

SEARCH_EARLY_S = 0.3
"""Seconds the echo may seem to arrive before the log says it played: the log's device time and
the microphone's arrival-time clock each err by up to a block and a buffer."""
SEARCH_LATE_S = 0.7
"""Seconds the echo may arrive after: output and input buffering plus the air and the room."""
FILTER_S = 0.032
"""Seconds of echo path modelled: the direct sound and the early reflections. A reverberant room's
later echo stays (see bench/RESULTS.md, "Barge-in"): a longer filter costs cubic time to solve,
and fitting the tail band by band distorted the person's voice as much as it removed echo."""
FILTER_LEAD_S = 0.002
"""Seconds of filter before the correlation peak: a band-limited path spreads either side of it."""
RIDGE = 1e-3
"""Regularization relative to the reference's power, so silence in the reference cannot blow the
filter up."""
MIN_REFERENCE_RMS = 1e-4
"""Float RMS under which the reference counts as silence: nothing to cancel."""
PLAYED_CACHE = 16
"""Utterances whose converted samples are kept: more than a few seconds' window ever holds."""
ERLE_FRAME_S = 0.01
"""Seconds per frame when measuring how much echo the subtraction removed."""
ECHO_ACTIVE_DB = 20.0
"""dB below the loudest echo frame that a frame still counts as carrying echo."""
ERLE_PERCENTILE = 70
"""Percentile of per-frame echo removal taken as the fit's: frames where the person talks over the
coach show little removal (their voice stays), and they are a minority of a few seconds' window."""


@dataclass(frozen=True)
class EchoFit:
    """What the canceller found, for logs, tests and the benchmark."""

    delay: float
    """Seconds from a sample's logged play time to its arrival in the microphone."""
    suppression_db: float
    """dB by which subtracting the fitted echo lowered the window's energy."""
    erle_db: float
    """dB of echo return loss enhancement: how far below the echo its remainder lies, where the
    coach alone is heard."""
    echo: np.ndarray = field(repr=False, compare=False)
    """The fitted echo, sample for sample with the microphone audio (float)."""

    def residual_echo(self, start: int, end: int) -> float:
        """Mean power of the echo expected to remain in samples `start..end` of the residual."""
        part = self.echo[start:end]
        return float(np.mean(part * part)) / 10.0 ** (self.erle_db / 10.0) if len(part) else 0.0


def reference_audio(utterances: Iterable[Utterance], start: float, end: float, rate: int) -> np.ndarray:
    """Float samples of everything the coach played from monotonic `start` to `end`; zeros where
    it was silent. Aborted utterances stop at their logged end."""
    out = np.zeros(max(0, int(round((end - start) * rate))))
    played = [utterance for utterance in utterances if utterance.audio is not None]
    anchor = max((u for u in played if u.position is not None), key=lambda u: u.start, default=None)
    for utterance in played:
        assert utterance.audio is not None
        samples = played_samples(utterance.audio, rate)
        if utterance.end is not None:
            samples = samples[: max(0, int(round((utterance.end - utterance.start) * rate)))]
        offset = int(round((placed_at(utterance, anchor) - start) * rate))
        first, last = max(0, offset), min(len(out), offset + len(samples))
        if first < last:
            out[first:last] += samples[first - offset : last - offset]
    return out


@functools.lru_cache(maxsize=PLAYED_CACHE)
def played_samples(chunk: AudioChunk, rate: int) -> np.ndarray:
    """`chunk` as mono float samples at `rate`, converted once: each is reused by every window it
    falls in (a count is in four seconds of windows)."""
    samples = int16_to_float(convert_all(chunk, rate).samples()).astype(np.float64).mean(axis=1)
    samples.flags.writeable = False
    return samples


def placed_at(utterance: Utterance, anchor: Optional[Utterance]) -> float:
    """Monotonic seconds of `utterance`'s first sample, as far as possible from stream positions:
    relative to `anchor`, the same stream's most recent utterance, so one echo delay fits all."""
    here, there = utterance.position, anchor.position if anchor is not None else None
    if anchor is None or here is None or there is None or here.stream != there.stream:
        return utterance.start
    return anchor.start + (here.frame - there.frame) / here.rate


def cancel_echo(mic: np.ndarray, reference: np.ndarray, rate: int) -> tuple[np.ndarray, Optional[EchoFit]]:
    """`mic` with the coach's echo removed.

    `reference` covers the same span as `mic` widened by `SEARCH_LATE_S` before it and
    `SEARCH_EARLY_S` after it (see `reference_window`). Returns the input unchanged and None when
    the reference is silent.
    """
    mic = np.asarray(mic, dtype=np.float64)
    reference = np.asarray(reference, dtype=np.float64)
    if len(mic) == 0 or np.sqrt(np.mean(reference * reference)) < MIN_REFERENCE_RMS:
        return mic, None
    span = len(reference) - len(mic)
    size = 1 << int(np.ceil(np.log2(len(reference) + len(mic))))
    cross = np.conj(np.fft.rfft(mic, size)) * np.fft.rfft(reference, size)
    # Phase transform: each frequency votes equally, so the peak is sharp even for voiced speech.
    phat = np.fft.irfft(cross / (np.abs(cross) + 1e-12), size)[: span + 1]
    peak = int(np.argmax(np.abs(phat)))
    taps = int(FILTER_S * rate)
    lead = int(FILTER_LEAD_S * rate)
    # Tap j of the filter reads reference[n + newest - j]: the newest sample the path can carry.
    newest = peak + lead
    padded = np.concatenate([np.zeros(taps), reference, np.zeros(taps)])
    window = padded[newest + 1 : newest + taps + len(mic)]
    plain = np.fft.irfft(cross, size)
    # Negative lags wrap to the end of the circular correlation; `size` leaves room for them.
    target = plain[(newest - np.arange(taps)) % size]
    spectrum = np.abs(np.fft.rfft(window, size)) ** 2
    autocorrelation = np.fft.irfft(spectrum, size)[:taps]
    normal = autocorrelation[np.abs(np.subtract.outer(np.arange(taps), np.arange(taps)))]
    normal[np.diag_indices(taps)] += RIDGE * autocorrelation[0]
    weights = np.linalg.solve(normal, target)
    echo = np.convolve(padded, weights)[newest + taps : newest + taps + len(mic)]
    residual = mic - echo
    before, after = float(np.sum(mic * mic)), float(np.sum(residual * residual))
    fit = EchoFit(
        delay=(span - peak) / rate - SEARCH_EARLY_S,
        suppression_db=10.0 * np.log10((before + 1e-12) / (after + 1e-12)),
        erle_db=echo_return_loss_enhancement(echo, residual, int(ERLE_FRAME_S * rate)),
        echo=echo,
    )
    return residual, fit


def echo_return_loss_enhancement(echo: np.ndarray, residual: np.ndarray, frame: int) -> float:
    """dB by which the residual lies below the echo, over the frames that carry echo."""
    frames = len(echo) // frame
    if frames == 0:
        return 0.0
    echo_power = np.mean((echo[: frames * frame] ** 2).reshape(frames, frame), axis=1)
    residual_power = np.mean((residual[: frames * frame] ** 2).reshape(frames, frame), axis=1)
    active = echo_power > echo_power.max() / 10.0 ** (ECHO_ACTIVE_DB / 10.0)
    if not active.any():
        return 0.0
    ratios = 10.0 * np.log10((echo_power[active] + 1e-12) / (residual_power[active] + 1e-12))
    return float(np.percentile(ratios, ERLE_PERCENTILE))


def reference_window(start: float, end: float) -> tuple[float, float]:
    """The monotonic span of reference that `cancel_echo` needs for microphone audio `start..end`."""
    return start - SEARCH_LATE_S, end + SEARCH_EARLY_S
