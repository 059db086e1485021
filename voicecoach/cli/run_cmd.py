"""`voicecoach run`: coach one routine, by text or by voice."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from voicecoach.app import build_coach, make_clock, make_text_inputs
from voicecoach.config import Settings, add_config_argument, load_settings
from voicecoach.history import History
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
    add_config_argument(parser)


def session_settings(args: argparse.Namespace) -> Settings:
    """The settings file and environment, with this command's flags on top."""
    settings = load_settings(args.config)
    if args.user:
        settings = settings.override(default_user=args.user)
    if args.data_dir:
        settings = settings.override(data_dir=Path(args.data_dir))
    return settings


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("run", help="coach a routine", description="Coach a routine, by text or by voice.")
    parser.add_argument("routine", metavar="ROUTINE", help="an id from 'voicecoach list', or a routine file")
    add_session_arguments(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    settings = session_settings(args)
    routine = resolve_routine(args.routine)
    inputs = make_text_inputs(args.commands, args.fast)
    history = History(settings.data_dir)
    try:
        coach = build_coach(routine, history, settings.default_user, settings.coach_settings())
        # History first: an event is on disk before anyone is told of it.
        sinks = [HistorySink(history), TranscriptWriter(sys.stdout)]
        SessionRunner(coach, make_clock(args.fast), inputs, sinks).run()
    finally:
        history.close()
    return 0
