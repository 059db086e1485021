"""`voicecoach run`: coach one routine, by text or by voice."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from voicecoach.app import build_coach, make_clock, make_text_inputs
from voicecoach.asr.factory import ENGINES
from voicecoach.config import Settings, add_config_argument, load_settings
from voicecoach.handsfree import open_hands_free, open_voice
from voicecoach.history import History
from voicecoach.speaker_sink import LEAD_IN_S, LOOKAHEAD_S
from voicecoach.timing import estimate_speech_seconds
from voicecoach.routine.library import resolve_routine
from voicecoach.runner import HistorySink, SessionRunner
from voicecoach.transcript import TranscriptWriter


def add_session_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments shared by every command that runs sessions."""
    parser.add_argument("--text", action="store_true", help="no audio: print the coach, read typed phrases")
    parser.add_argument("--fast", action="store_true", help="simulated clock: run as fast as the CPU allows")
    parser.add_argument("--commands", type=Path, metavar="FILE", help="lines 'SECONDS PHRASE' heard at those times")
    parser.add_argument("--user", help="whose history and settings (default: the settings' default_user)")
    parser.add_argument("--data-dir", metavar="DIR", help="history folder (default: $VOICECOACH_DATA_DIR, the settings, or the user data folder)")
    parser.add_argument("--output-device", metavar="DEVICE", help="speaker: PortAudio index or part of its name")
    parser.add_argument("--input-device", metavar="DEVICE", help="microphone: PortAudio index or part of its name")
    parser.add_argument("--engine", choices=ENGINES, help="recognizer (default: the settings' engine, auto)")
    parser.add_argument("--model", metavar="PATH", help="Vosk model folder")
    add_config_argument(parser)


def _device(text: str):
    return int(text) if text.isdigit() else text


def session_settings(args: argparse.Namespace) -> Settings:
    """The settings file and environment, with this command's flags on top."""
    settings = load_settings(args.config)
    flags = {
        "default_user": args.user,
        "data_dir": Path(args.data_dir) if args.data_dir else None,
        "output_device": _device(args.output_device) if args.output_device else None,
        "input_device": _device(args.input_device) if args.input_device else None,
        "engine": args.engine,
        "model": Path(args.model) if args.model else None,
    }
    given = {name: value for name, value in flags.items() if value is not None}
    return settings.override(**given) if given else settings


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("run", help="coach a routine", description="Coach a routine, by text or by voice.")
    parser.add_argument("routine", metavar="ROUTINE", help="an id from 'voicecoach list', or a routine file")
    add_session_arguments(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    settings = session_settings(args)
    routine = resolve_routine(args.routine)
    text_only = args.text or args.fast
    inputs = make_text_inputs(args.commands, args.fast) if text_only or args.commands else None
    history = History(settings.data_dir)
    voice = None
    try:
        if not text_only:
            voice = open_voice(settings) if args.commands else open_hands_free(settings, typed_input=sys.stdin)
            inputs = inputs or voice.inputs
        speech_seconds = voice.sink.speech_seconds if voice else estimate_speech_seconds
        coach = build_coach(routine, history, settings.default_user, settings.coach_settings(), speech_seconds)
        # History first: an event is on disk before anyone is told of it.
        sinks = [HistorySink(history), TranscriptWriter(sys.stdout)]
        if voice is not None:
            voice.sink.apply(coach.rate, coach.volume)
            sinks.append(voice.sink)
        if voice is None:
            runner = SessionRunner(coach, make_clock(args.fast), inputs, sinks)
        else:
            runner = SessionRunner(coach, make_clock(args.fast), inputs, sinks, LOOKAHEAD_S, LEAD_IN_S)
        if voice is not None and voice.listener is not None:
            runner.on_state(lambda session: voice.listener.set_active(session.active_commands()))
        runner.run()
    finally:
        if voice is not None:
            voice.close()
        history.close()
    return 0
