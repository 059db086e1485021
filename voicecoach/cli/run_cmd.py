"""`voicecoach run`: coach one routine, by text or by voice."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from voicecoach.app import build_coach, make_clock, make_text_inputs
from voicecoach.history import History, default_data_dir
from voicecoach.routine.library import resolve_routine
from voicecoach.runner import HistorySink, SessionRunner
from voicecoach.session.profile import CoachSettings
from voicecoach.transcript import TranscriptWriter

USER_ENV = "VOICECOACH_USER"
DEFAULT_USER = "default"


def add_session_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments shared by every command that runs sessions."""
    parser.add_argument("--text", action="store_true", help="no audio: print the coach, read typed phrases")
    parser.add_argument("--fast", action="store_true", help="simulated clock: run as fast as the CPU allows")
    parser.add_argument("--commands", type=Path, metavar="FILE", help="lines 'SECONDS PHRASE' heard at those times")
    parser.add_argument("--user", default=os.environ.get(USER_ENV, DEFAULT_USER), help="whose history and settings")
    parser.add_argument("--data-dir", metavar="DIR", help="history folder (default: $VOICECOACH_DATA_DIR or the user data folder)")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("run", help="coach a routine", description="Coach a routine, by text or by voice.")
    parser.add_argument("routine", metavar="ROUTINE", help="an id from 'voicecoach list', or a routine file")
    add_session_arguments(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    routine = resolve_routine(args.routine)
    inputs = make_text_inputs(args.commands, args.fast)
    history = History(default_data_dir(args.data_dir))
    try:
        coach = build_coach(routine, history, args.user, CoachSettings())
        # History first: an event is on disk before anyone is told of it.
        sinks = [HistorySink(history), TranscriptWriter(sys.stdout)]
        SessionRunner(coach, make_clock(args.fast), inputs, sinks).run()
    finally:
        history.close()
    return 0
