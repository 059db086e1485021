"""Why a candidate command is not a command: the rules applied after the engine has spoken.

Each rule returns a reason string, so tests, the benchmark and debug logs can say what happened.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

from voicecoach.asr.base import Detection
from voicecoach.asr.segmenter import Segment
from voicecoach.asr.thresholds import ECHO_MARGIN, ECHO_REMOVED_RELIEF, threshold_for
from voicecoach.audio.activity import SpeechLog, Utterance
from voicecoach.commands import SAFETY_COMMANDS, CommandId, normalize

MAX_COMMAND_S = 2.0
"""Seconds of speech: "what can i say" said slowly takes about 1.6 s; longer is ordinary speech."""
MIN_COMMAND_S = 0.15
"""Seconds of speech: "no" said quickly is about 0.2 s; shorter is a click, a cough or a breath."""
MIN_PAUSE_BEFORE_S = 0.25
"""Seconds of quiet before a command: a word run on from a sentence has less."""
ECHO_TAIL_S = 0.5
"""Seconds the coach's voice stays audible after its last sample: room reverberation and buffers."""

COACH_ONSET_WINDOW_S = 0.5
"""Seconds after a coach utterance starts in which an utterance onset is taken as the coach's own
echo starting: a short cue ("slow down and wait") would otherwise pass as one short utterance."""


@dataclass(frozen=True)
class RejectionRules:
    """The knobs, in one place so a test or the benchmark can vary one."""

    max_command_s: float = MAX_COMMAND_S
    """Seconds; longer utterances are speech, not commands."""
    min_command_s: float = MIN_COMMAND_S
    """Seconds; shorter utterances are noise."""
    min_pause_before_s: float = MIN_PAUSE_BEFORE_S
    """Seconds of quiet required before the utterance."""
    echo_tail_s: float = ECHO_TAIL_S
    """Seconds after a coach utterance that still count as the coach speaking."""
    use_thresholds: bool = True
    """False only for the benchmark's threshold tuning, which needs every raw candidate."""
    double_talk_margin_db: Optional[float] = None
    """dB an utterance in the echo-free residual must lie above the echo expected to remain there
    to count as the person's; None: the tuned `DOUBLE_TALK_MARGIN_DB`. Varied by the benchmark."""
    echo_removed_relief: Optional[float] = None
    """Threshold relief for safety phrases heard with the echo removed; None: the engine's tuned
    `ECHO_REMOVED_RELIEF`. The barge-in benchmark varies it to tune it."""


def coach_utterances(
    segment: Segment, speech_log: Optional[SpeechLog], clock: Callable[[float], float], tail_s: float
) -> list[Utterance]:
    """What the coach was saying at any moment of `segment`."""
    if speech_log is None or segment.speech_end is None:
        return []
    return speech_log.overlapping(clock(segment.speech_start), clock(segment.speech_end), tail_s)


def reject_reason(
    detection: Detection,
    segment: Segment,
    engine: str,
    coach: list[Utterance],
    rules: RejectionRules,
    clock: Callable[[float], float] = lambda seconds: seconds,
    echo_removed: bool = False,
    echo_removable: bool = False,
) -> Optional[str]:
    """None when the detection stands, else why it is dropped. `echo_removed`: heard in audio with
    the coach's echo subtracted, where only the safety phrases are listened for. `echo_removable`:
    heard in the raw audio, but the player logged what it played, so the pipeline listens again
    with the echo removed and the raw audio need not let "that hurts" through on weaker evidence."""
    length = segment.speech_seconds
    if length > rules.max_command_s:
        return f"too long ({length:.2f} s): ordinary speech"
    if length < rules.min_command_s:
        return f"too short ({length:.2f} s): noise"
    # "that hurts" over the coach: the segment before it is usually the coach's own echo (a count
    # every second), so neither the pause since it nor the onset time says anything about the user.
    # The words rule and the raised threshold below still apply. With the echo removed, the pause
    # before is the person's own again, so it must be there: words run on in conversation have none.
    hurt_over_coach = bool(coach) and detection.command.id is CommandId.HURT
    hurt_barge_in = hurt_over_coach and not echo_removable and not echo_removed
    # Exempt from the onset rule and the echo margin: raw barge-in as above, or heard echo-free.
    hurt_through_coach = hurt_barge_in or (hurt_over_coach and echo_removed)
    if segment.pause_before < rules.min_pause_before_s and not hurt_barge_in:
        return f"no pause before it ({segment.pause_before:.2f} s): part of a sentence"
    safety = detection.command.id in SAFETY_COMMANDS
    if coach:
        onset = clock(segment.speech_start)
        # Only words begun while the coach is still talking are barge-in; in the echo tail after
        # it stops, an answer to its question is just quick, and the words rule below guards it.
        speaking = [utterance for utterance in coach if utterance.end is None or utterance.end > onset]
        if speaking and not safety:
            return "coach speaking: only hurt, stop and pause may interrupt"
        words = set(detection.phrase.split())
        for utterance in coach:
            if words <= set(normalize(utterance.text).split()):
                return f"coach is saying these words: {utterance.text!r}"
            if 0.0 <= onset - utterance.start <= COACH_ONSET_WINDOW_S and not hurt_through_coach:
                return f"starts with the coach's utterance {utterance.text!r}: its echo"
    if rules.use_thresholds:
        threshold = threshold_for(engine, detection.phrase, safety)
        if echo_removed:
            relief = rules.echo_removed_relief
            threshold -= ECHO_REMOVED_RELIEF.get(engine, 0.0) if relief is None else relief
        if coach and not hurt_through_coach:
            # Not for "that hurts": measured in the room test, it scores 0.32 over a count and was
            # missed; the coach's echo never scored it that high in the cue benchmark (0 accepts).
            # Stop and pause keep it even with the echo removed: in the room test the remainder of
            # a long cue ending "Hold it there." once scored "hold on" 0.35.
            threshold += ECHO_MARGIN
        if detection.confidence < threshold:
            return f"confidence {detection.confidence:.2f} below {threshold:.2f}"
    return None
