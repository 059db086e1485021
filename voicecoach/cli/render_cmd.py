"""`voicecoach render`: a whole session as one WAV file, under the simulated clock."""

from __future__ import annotations

import argparse
from pathlib import Path

from voicecoach.audio.speech import make_synthesizer
from voicecoach.config import add_config_argument, load_settings
from voicecoach.inputs import ScheduledInputs
from voicecoach.render import RenderSink
from voicecoach.routine.library import resolve_routine
from voicecoach.runner import SessionRunner
from voicecoach.session.clock import SimulatedClock
from voicecoach.session.coach import Coach
from voicecoach.session.profile import UserProfile


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("render", help="render a session to a WAV file")
    parser.add_argument("routine", metavar="ROUTINE", help="an id from 'voicecoach list', or a routine file")
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="OUT.wav")
    parser.add_argument("--commands", type=Path, metavar="FILE", help="lines 'SECONDS PHRASE' heard at those times")
    parser.add_argument("--timeline", type=Path, metavar="OUT.json", help="each utterance's start, end and text")
    add_config_argument(parser)
    parser.set_defaults(handler=render)


def render(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    routine = resolve_routine(args.routine)
    inputs = ScheduledInputs.from_file(args.commands) if args.commands else ScheduledInputs([])
    synthesizer = make_synthesizer(settings.voice_settings())
    try:
        sink = RenderSink(synthesizer)
        # A fresh profile: a rendered guide does not depend on, or change, anyone's history.
        coach = Coach(routine, UserProfile("render"), settings.coach_settings(), sink.speech_seconds)
        SessionRunner(coach, SimulatedClock(), inputs, [sink]).run()
        sink.write_wav(args.output)
        if args.timeline:
            sink.write_timeline(args.timeline)
    finally:
        synthesizer.close()
    entries = sink.timeline
    print(f"{args.output}: {len(entries)} utterances, {entries[-1].end if entries else 0:.1f} s")
    return 0
