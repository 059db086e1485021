"""Builds the hands-free parts of a session: the coach's voice, and the ears that hear commands."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable, Optional

from voicecoach.asr import ListeningPipeline, make_recognizer
from voicecoach.asr.microphone import MicrophoneSource
from voicecoach.audio.activity import SpeechLog
from voicecoach.audio.playback import PlayerSettings, report_to_stderr
from voicecoach.audio.speech import Speaker, SpeechSettings, make_speaker
from voicecoach.config import Settings
from voicecoach.inputs import QueueInputs, read_lines
from voicecoach.live import StreamClock, SwitchingPipeline, VoiceListener
from voicecoach.speaker_sink import SpeakerSink

log = logging.getLogger(__name__)

DRAIN_AT_END_S = 15.0
"""Seconds to let the last words finish playing before closing the speaker."""


@dataclass
class HandsFree:
    speaker: Speaker
    sink: SpeakerSink
    speech_log: SpeechLog
    inputs: Optional[QueueInputs] = None
    listener: Optional[VoiceListener] = None
    engine_description: str = ""

    def notify(self, text: str) -> None:
        """Tell the person something outside the session's script (e.g. the microphone is gone)."""
        report_to_stderr(text)
        self.speaker.say(text, "prompt")

    def close(self) -> None:
        if self.listener is not None:
            self.listener.stop()
        self.speaker.wait(DRAIN_AT_END_S)
        self.speaker.close()


def open_voice(settings: Settings, report: Callable[[str], None] = report_to_stderr) -> HandsFree:
    """The speaker only: the coach talks, commands come from elsewhere (typed or a file)."""
    speech_log = SpeechLog()
    speech = SpeechSettings(voice=settings.voice_settings(), player=PlayerSettings(device=settings.output_device))
    # The transcript already prints every line, so a missing speaker need not print them again.
    speaker = make_speaker(speech, speech_log, report, fallback_out=None)
    return HandsFree(speaker, SpeakerSink(speaker), speech_log)


def _command_pipeline(settings: Settings, parts: HandsFree, clock) -> ListeningPipeline:
    recognizer = make_recognizer(settings.engine, settings.model)
    parts.engine_description = recognizer.description
    report_to_stderr(f"listening with {recognizer.description}")
    return ListeningPipeline(
        recognizer, speech_log=parts.speech_log, clock=clock,
        on_reject=lambda detection, why: log.debug("rejected %r (%.2f): %s", detection.phrase, detection.confidence, why),
    )


def _listen(settings: Settings, parts: HandsFree, pipeline, clock: Optional[StreamClock], typed_input) -> None:
    parts.inputs = QueueInputs()

    def open_microphone() -> MicrophoneSource:
        return MicrophoneSource(settings.input_device).__enter__()

    parts.listener = VoiceListener(open_microphone, pipeline, parts.inputs, parts.notify, clock).start()
    if typed_input is not None:
        read_lines(typed_input, parts.inputs, end_at_eof=False)  # the microphone goes on after typing ends


def open_hands_free(settings: Settings, typed_input=None) -> HandsFree:
    """Speaker and microphone. `typed_input`: a stream whose lines are heard as well (e.g. stdin)."""
    parts = open_voice(settings)
    stream_clock = StreamClock()
    _listen(settings, parts, _command_pipeline(settings, parts, stream_clock), stream_clock, typed_input)
    return parts


def open_serve_hands_free(settings: Settings, phrases: list[str], typed_input=None) -> tuple[HandsFree, SwitchingPipeline]:
    """Speaker, and a microphone that listens for the idle phrases, or for commands in a session."""
    from voicecoach.asr.phrase_listener import MIN_CONFIDENCE, WAKE_MIN_CONFIDENCE, PhraseListener
    from voicecoach.serve.grammar import wake_threshold

    parts = open_voice(settings)
    idle_clock, command_clock = StreamClock(), StreamClock()
    idle = PhraseListener(
        phrases, parts.speech_log, idle_clock, wake_threshold(settings.wake_phrase, WAKE_MIN_CONFIDENCE, MIN_CONFIDENCE)
    )
    commands = _command_pipeline(settings, parts, command_clock)
    switch = SwitchingPipeline(idle, commands, idle_clock, command_clock)
    _listen(settings, parts, switch, None, typed_input)
    return parts, switch
