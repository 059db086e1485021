"""Builds the hands-free parts of a session: the coach's voice, and the ears that hear commands."""

from __future__ import annotations

import logging
import sys
import threading
from dataclasses import dataclass
from typing import Callable, Optional

from voicecoach.asr import ListeningPipeline, make_recognizer
from voicecoach.asr.microphone import MicrophoneSource
from voicecoach.audio.activity import SpeechLog
from voicecoach.audio.playback import PlayerSettings
from voicecoach.audio.speech import Speaker, SpeechSettings, make_speaker
from voicecoach.config import Settings
from voicecoach.live import QueueInputs, StreamClock, VoiceListener
from voicecoach.speaker_sink import SpeakerSink

log = logging.getLogger(__name__)

DRAIN_AT_END_S = 15.0
"""Seconds to let the last words finish playing before closing the speaker."""


def _report(message: str) -> None:
    print(f"voicecoach: {message}", file=sys.stderr, flush=True)


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
        _report(text)
        self.speaker.say(text, "prompt")

    def close(self) -> None:
        if self.listener is not None:
            self.listener.stop()
        self.speaker.wait(DRAIN_AT_END_S)
        self.speaker.close()


def open_voice(settings: Settings, report: Callable[[str], None] = _report) -> HandsFree:
    """The speaker only: the coach talks, commands come from elsewhere (typed or a file)."""
    speech_log = SpeechLog()
    speech = SpeechSettings(voice=settings.voice_settings(), player=PlayerSettings(device=settings.output_device))
    speaker = make_speaker(speech, speech_log, report)
    return HandsFree(speaker, SpeakerSink(speaker), speech_log)


def open_hands_free(settings: Settings, typed_input=None) -> HandsFree:
    """Speaker and microphone. `typed_input`: a stream whose lines are heard as well (e.g. stdin)."""
    parts = open_voice(settings)
    recognizer = make_recognizer(settings.engine, settings.model)
    parts.engine_description = recognizer.description
    _report(f"listening with {recognizer.description}")
    stream_clock = StreamClock()
    pipeline = ListeningPipeline(
        recognizer, speech_log=parts.speech_log, clock=stream_clock,
        on_reject=lambda detection, why: log.debug("rejected %r (%.2f): %s", detection.phrase, detection.confidence, why),
    )
    parts.inputs = QueueInputs()

    def open_microphone() -> MicrophoneSource:
        return MicrophoneSource(settings.input_device).__enter__()

    parts.listener = VoiceListener(open_microphone, pipeline, parts.inputs, parts.notify, stream_clock).start()
    if typed_input is not None:
        threading.Thread(target=_read_typed, args=(typed_input, parts.inputs), name="typed-input", daemon=True).start()
    return parts


def _read_typed(stream, inputs: QueueInputs) -> None:
    from voicecoach.commands import parse

    for line in stream:
        if line.strip():
            inputs.put(line.strip(), parse(line))
