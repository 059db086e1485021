"""Offline recognition of voice commands: engines, the listening pipeline, models."""

from voicecoach.asr.base import Detection, Recognizer
from voicecoach.asr.factory import make_recognizer
from voicecoach.asr.pipeline import ListeningPipeline

__all__ = ["Detection", "Recognizer", "ListeningPipeline", "make_recognizer"]
