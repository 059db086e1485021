"""`voicecoach recognize WAV...`: commands heard in recordings, through the live pipeline."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from voicecoach.asr.factory import ENGINES, make_recognizer
from voicecoach.asr.pipeline import ListeningPipeline
from voicecoach.asr.wavfile import recognize_file


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "recognize",
        help="list the voice commands heard in WAV files",
        description="Stream WAV files through the same listening pipeline as the microphone "
        "(every command and the numbers zero to ten), as fast as the CPU allows.",
    )
    parser.add_argument("wavs", nargs="+", type=Path, metavar="WAV")
    parser.add_argument("--engine", choices=ENGINES, default="auto",
                        help="auto: Vosk when a model is found, else PocketSphinx")
    parser.add_argument("--model", type=Path, help="Vosk model folder")
    parser.add_argument("--json", action="store_true", help="one JSON object per detection")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    recognizer = make_recognizer(args.engine, args.model)
    print(f"recognizer: {recognizer.description}", file=sys.stderr)
    for path in args.wavs:
        # A fresh pipeline per file: each file is its own stream, starting at 0 s.
        pipeline = ListeningPipeline(recognizer)
        for detection in recognize_file(pipeline, path):
            if args.json:
                print(json.dumps({"file": str(path), **detection.as_json()}))
            else:
                print(f"{path}: {detection.at:7.2f} s  {detection.command}  "
                      f"\"{detection.phrase}\"  ({detection.confidence:.2f})")
    return 0
