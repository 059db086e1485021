"""The coach's voice as the session sees it: say, cancel, and how long things take to say.

    speaker = make_speaker(SpeechSettings(), log)
    speaker.warm_in_background(routine_cues)   # optional: counts and common cues are warmed anyway
    seconds = speaker.duration("Relax your hips")
    speaker.say("one", kind="count", at=beat)  # `at` is time.monotonic() seconds
    speaker.cancel()                           # "stop" / "that hurts": silent within ~30 ms
"""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass, field
from typing import Callable, Iterable, Optional, TextIO

from voicecoach.audio.activity import SpeechLog
from voicecoach.audio.nullplayer import NullPlayer
from voicecoach.audio.playback import AudioPlayer, PlayerSettings, SoundDevicePlayer, report_to_stderr
from voicecoach.audio.synth_cache import DEFAULT_PHRASES, CachedSynthesizer
from voicecoach.audio.tts import Pyttsx3Synthesizer, VoiceSettings
from voicecoach.errors import AudioDeviceError, VoicecoachError


@dataclass(frozen=True)
class SpeechSettings:
    voice: VoiceSettings = field(default_factory=VoiceSettings)
    player: PlayerSettings = field(default_factory=PlayerSettings)
    warm_phrases: tuple[str, ...] = DEFAULT_PHRASES
    """Rendered at start-up (the first at once, the rest in the background) so counts are never late."""


def make_synthesizer(settings: VoiceSettings) -> CachedSynthesizer:
    """pyttsx3 + espeak-ng behind a cache. Raises EngineUnavailable saying what to install."""
    return CachedSynthesizer(Pyttsx3Synthesizer(settings))


def make_player(
    settings: PlayerSettings,
    log: SpeechLog,
    report: Callable[[str], None] = report_to_stderr,
    fallback_out: Optional[TextIO] = sys.stdout,
) -> AudioPlayer:
    """The speaker, or a NullPlayer that prints the words when there is none (reported once).
    `fallback_out`: where it prints them; None when the caller prints a transcript anyway."""
    try:
        return SoundDevicePlayer(settings, log, report)
    except AudioDeviceError as error:
        report(f"{error}; the coach's words will be printed instead")
        return NullPlayer(log, str(error), fallback_out if fallback_out is not None else open(os.devnull, "w"))


class Speaker:
    """Synthesizer + player. Thread-safe: the session and the command listener may both call it."""

    def __init__(self, synthesizer: CachedSynthesizer, player: AudioPlayer, volume: float = 1.0) -> None:
        self.synthesizer = synthesizer
        self.player = player
        self._lock = threading.Lock()
        self._closed = threading.Event()
        player.set_volume(volume)

    def warm(self, phrases: Iterable[str]) -> None:
        self.synthesizer.warm(phrases)

    def warm_in_background(self, phrases: Iterable[str]) -> threading.Thread:
        """Render `phrases` on a helper thread; a say() meanwhile waits for one phrase at most."""
        pending = list(phrases)

        def work() -> None:
            for phrase in pending:
                if self._closed.is_set():
                    return
                try:
                    self.synthesizer.synthesize(phrase)
                except VoicecoachError:
                    return  # the next say() meets the same error and reports it
        thread = threading.Thread(target=work, name="speech-warm-up", daemon=True)
        thread.start()
        return thread

    def say(self, text: str, kind: str = "cue", at: Optional[float] = None) -> int:
        """Queue `text`; it starts at monotonic time `at`, or after what is queued. Returns a ticket."""
        return self.player.play(self.synthesizer.synthesize(text), text, kind, at)

    def cancel(self) -> None:
        """Silence at once and forget everything queued."""
        self.player.abort()

    def duration(self, text: str) -> float:
        """Seconds `text` takes at the current voice and rate (from the real audio; cached)."""
        return self.synthesizer.duration(text)

    def is_speaking(self) -> bool:
        return self.player.is_playing()

    def wait(self, timeout: Optional[float] = None) -> bool:
        """Block until everything queued has been heard; False on timeout."""
        return self.player.drain(timeout)

    @property
    def settings(self) -> VoiceSettings:
        return self.synthesizer.settings

    def set_rate(self, delta_wpm: int) -> int:
        """Speak faster (+) or slower (-) from the next utterance; returns the new words per minute."""
        with self._lock:
            settings = self.synthesizer.settings.with_rate(delta_wpm)
            self.synthesizer.configure(settings)
            return settings.rate_wpm

    def set_volume(self, delta: float) -> float:
        """Louder (+) or quieter (-) by `delta` (0..1 scale), from the next utterance; returns the volume."""
        with self._lock:
            settings = self.synthesizer.settings.with_volume(delta)
            self.synthesizer.configure(settings)
            self.player.set_volume(settings.volume)
            return settings.volume

    def close(self) -> None:
        self._closed.set()
        self.player.close()
        self.synthesizer.close()


def make_speaker(
    settings: SpeechSettings,
    log: SpeechLog,
    report: Callable[[str], None] = report_to_stderr,
    fallback_out: Optional[TextIO] = sys.stdout,
) -> Speaker:
    """Raises EngineUnavailable now, not at the first cue, when speech cannot be synthesized."""
    synthesizer = make_synthesizer(settings.voice)
    phrases = list(settings.warm_phrases)
    synthesizer.warm(phrases[:1] or ["Begin"])
    player = make_player(settings.player, log, report, fallback_out)
    speaker = Speaker(synthesizer, player, settings.voice.volume)
    speaker.warm_in_background(phrases[1:])
    return speaker
