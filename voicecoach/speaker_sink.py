"""Plays the coach's outputs through a Speaker, on the beat.

Say.at is session time; the speaker schedules on the monotonic clock, so every utterance is handed
over a little early (the runner's lookahead) with its exact start, and the player starts it on time.
"""

from __future__ import annotations

from typing import Callable

from voicecoach.audio.playback import report_to_stderr
from voicecoach.audio.speech import Speaker
from voicecoach.audio.tts import DEFAULT_RATE_WPM
from voicecoach.session.actions import Adjust, CancelSpeech, Output, Say
from voicecoach.timing import estimate_speech_seconds

LOOKAHEAD_S = 0.15
"""Seconds early the runner hands over speech: covers synthesis of an uncached cue and queueing."""

LEAD_IN_S = 0.5
"""Seconds from start to the first words: synthesizing them and opening the stream take this."""


def rate_wpm(rate_factor: float) -> int:
    """The coach's rate multiple in the synthesizer's words per minute."""
    return int(round(DEFAULT_RATE_WPM * rate_factor))


class SpeakerSink:
    def __init__(self, speaker: Speaker, report: Callable[[str], None] = report_to_stderr) -> None:
        self._speaker = speaker
        self._report = report
        self._failed = False
        self._zero = 0.0
        """Monotonic seconds that are session time 0; set by the runner through `begin`."""

    def begin(self, zero: float) -> None:
        self._zero = zero

    def outputs(self, outputs: list[Output]) -> None:
        for output in outputs:
            try:
                if isinstance(output, Say):
                    self._speaker.say(output.text, output.kind.value, at=self._zero + output.at)
                elif isinstance(output, CancelSpeech):
                    self._speaker.cancel()
                elif isinstance(output, Adjust):
                    self.apply(output.rate, output.volume)
            except Exception as error:  # noqa: BLE001 - the session goes on, printed, whatever the voice does
                if not self._failed:
                    self._report(f"the coach's voice failed ({error}); carrying on in print")
                    self._failed = True
            else:
                self._failed = False

    def apply(self, rate: float, volume: float) -> None:
        """Set the voice to a rate multiple and a volume, from the next utterance on."""
        self._speaker.set_rate(rate_wpm(rate) - self._speaker.settings.rate_wpm)
        self._speaker.set_volume(volume - self._speaker.settings.volume)

    def heard(self, at: float, phrase: str, command) -> None:
        pass

    def speech_seconds(self, text: str, rate: float) -> float:
        """For the coach's planning: the real audio's length at the current voice, or an estimate
        when the voice has failed."""
        try:
            return self._speaker.duration(text)
        except Exception:  # noqa: BLE001 - reported by `outputs`; planning must not stop
            return estimate_speech_seconds(text, rate)
