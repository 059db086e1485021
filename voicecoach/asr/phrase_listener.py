"""Listening for whole phrases that are not commands: the idle coach's wake phrase and requests.

The same segmenter, converter, noise floor and confidence scale as the command pipeline, with a
grammar of arbitrary phrases. It returns the words heard; what they mean is the idle coach's job.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable, Optional, Sequence

from voicecoach.asr.segmenter import Segment, UtteranceCutter
from voicecoach.asr.sphinx import comfort_noise_pattern, score_to_confidence, with_noise_floor
from voicecoach.audio.activity import SpeechLog
from voicecoach.audio.convert import AudioConverter
from voicecoach.audio.format import RECOGNIZER_RATE, AudioChunk
from voicecoach.errors import EngineUnavailable

log = logging.getLogger(__name__)

EXTRA_PRONUNCIATIONS = {
    "psoas": "S OW AH S",
    "flexor": "F L EH K S ER",
    "glute": "G L UW T",
}
"""CMU phones for words of the routines' names that the model's dictionary lacks."""

MIN_CONFIDENCE = 0.5
"""Below this a forced grammar path is taken for other speech. Measured on 52 minutes of LibriSpeech
read speech against synthetic requests (bench/RESULTS.md, "Idle listening")."""

WAKE_MIN_CONFIDENCE = 0.6
"""Stricter, for phrases that begin with the wake phrase: only they can wake the coach, so only
they can fire on a television. On the LibriSpeech set: 10 false wakes an hour at 0.5, 1 at 0.6."""

MAX_PHRASE_S = 4.5
"""Seconds: "hey coach, start the assisted psoas stretch" at a slow pace; longer is conversation."""

ECHO_TAIL_S = 0.5
"""Seconds after the coach's own words during which what is heard may be their echo."""

FILLER_WORDS = frozenset({"<s>", "</s>", "<sil>", "[NOISE]", "[SPEECH]"})
FRAMES_PER_SECOND = 100


@dataclass(frozen=True)
class HeardPhrase:
    phrase: str
    confidence: float
    at: float
    """Stream seconds when it was emitted: the end of the audio fed so far."""
    command: None = None
    """Never a command: lets the phrase travel the same queue as command detections."""


def identity_clock(stream_seconds: float) -> float:
    return stream_seconds


class PhraseListener:
    def __init__(
        self,
        phrases: Sequence[str],
        speech_log: Optional[SpeechLog] = None,
        clock: Callable[[float], float] = identity_clock,
        min_confidence: Callable[[str], float] = lambda phrase: MIN_CONFIDENCE,
    ) -> None:
        """`min_confidence(phrase)`: the confidence a phrase needs to be accepted."""
        try:
            import pocketsphinx
        except ImportError as error:  # pragma: no cover - a dependency of the package
            raise EngineUnavailable(f"pocketsphinx is not installed: {error}") from error
        self._decoder = pocketsphinx.Decoder(lm=None, loglevel="FATAL", samprate=RECOGNIZER_RATE, cmn="batch")
        for word, phones in EXTRA_PRONUNCIATIONS.items():
            if self._decoder.lookup_word(word) is None:
                self._decoder.add_word(word, phones, True)
        self.speech_log, self.clock, self.min_confidence = speech_log, clock, min_confidence
        self._converter = AudioConverter(RECOGNIZER_RATE)
        self._utterances = UtteranceCutter()
        self._noise = comfort_noise_pattern()
        self._frames_in = 0
        self._rate: Optional[int] = None
        self._grammars = 0
        self.set_phrases(phrases)

    def known(self, phrase: str) -> bool:
        return all(self._decoder.lookup_word(word) is not None for word in phrase.split())

    def set_phrases(self, phrases: Sequence[str]) -> None:
        usable = sorted({p for p in phrases if p.strip() and self.known(p)})
        skipped = sorted(set(phrases) - set(usable))
        if skipped:
            log.info("not listening for %s: words missing from the dictionary", ", ".join(skipped))
        if not usable:
            raise ValueError("no phrase to listen for")
        self._grammars += 1
        name = f"phrases{self._grammars}"
        body = " | ".join(usable)
        self._decoder.add_jsgf_string(name, f"#JSGF V1.0;\ngrammar {name};\npublic <{name}> = {body};\n")
        self._decoder.activate_search(name)

    @property
    def stream_seconds(self) -> float:
        return self._frames_in / self._rate if self._rate else 0.0

    def feed(self, chunk: AudioChunk) -> list[HeardPhrase]:
        self._rate = chunk.format.rate
        self._frames_in += len(chunk.audio) // chunk.format.bytes_per_frame
        return self._decode_all(self._utterances.feed(self._converter.convert(chunk).audio))

    def finish(self) -> list[HeardPhrase]:
        finished = self._utterances.feed(self._converter.flush().audio) + self._utterances.finish()
        return self._decode_all(finished)

    def _decode_all(self, utterances: list[tuple[Segment, bytes]]) -> list[HeardPhrase]:
        return [heard for segment, audio in utterances for heard in self._decode(segment, audio)]

    def _decode(self, segment: Segment, audio: bytes) -> list[HeardPhrase]:
        if segment.speech_seconds > MAX_PHRASE_S:
            log.debug("phrase at %.2f s rejected: %.1f s of speech is conversation", segment.speech_start, segment.speech_seconds)
            return []
        self._decoder.start_utt()
        self._decoder.process_raw(with_noise_floor(audio, self._noise), False, True)
        self._decoder.end_utt()
        hypothesis = self._decoder.hyp()
        if hypothesis is None or not hypothesis.hypstr:
            return []
        frames = sum(seg.end_frame - seg.start_frame + 1 for seg in self._decoder.seg() if seg.word not in FILLER_WORDS)
        confidence = score_to_confidence(self._decoder.get_logmath().log(hypothesis.score), frames)
        phrase = hypothesis.hypstr
        reason = self._reject_reason(phrase, confidence, segment)
        if reason:
            log.debug("rejected phrase %r (%.2f): %s", phrase, confidence, reason)
            return []
        return [HeardPhrase(phrase, round(confidence, 3), self.stream_seconds)]

    def _reject_reason(self, phrase: str, confidence: float, segment: Segment) -> Optional[str]:
        needed = self.min_confidence(phrase)
        if confidence < needed:
            return f"confidence {confidence:.2f} below {needed}"
        if self.speech_log is not None:
            start, end = self.clock(segment.speech_start), self.clock(segment.speech_end or segment.speech_start)
            for utterance in self.speech_log.overlapping(start, end, ECHO_TAIL_S):
                return f"the coach was speaking ({utterance.text!r}): its own voice or talk over it"
        return None
