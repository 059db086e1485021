"""`voicecoach serve`: the always-on coach. Idle until its wake phrase, then sessions on request."""

from __future__ import annotations

import argparse
import sys

from voicecoach.app import build_coach, make_clock, make_text_inputs, unfinished_routine
from voicecoach.cli.run_cmd import add_session_arguments
from voicecoach.history import History, default_data_dir
from voicecoach.routine.library import bundled_routines
from voicecoach.runner import HistorySink
from voicecoach.serve.idle import Decision, IdleCoach
from voicecoach.serve.loop import ServeLoop
from voicecoach.session.profile import CoachSettings
from voicecoach.timing import estimate_speech_seconds
from voicecoach.transcript import TranscriptWriter

DEFAULT_WAKE_PHRASES = ("coach", "hey coach")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "serve", help="always-on coach started by voice", description="Wait for the wake phrase, then run sessions on request."
    )
    add_session_arguments(parser)
    parser.add_argument("--wake", action="append", metavar="PHRASE", help="wake phrase (repeatable; default: coach, hey coach)")
    parser.set_defaults(handler=serve)


def serve(args: argparse.Namespace) -> int:
    routines = bundled_routines()
    history = History(default_data_dir(args.data_dir))
    try:
        idle = IdleCoach(
            routines, args.wake or DEFAULT_WAKE_PHRASES, args.user, estimate_speech_seconds,
            find_unfinished=unfinished_routine(history, routines),
        )

        def open_session(decision: Decision):
            coach = build_coach(
                decision.routine, history, decision.user or idle.user, CoachSettings(),
                resume_asked=decision.kind == "resume",
            )
            return coach, [HistorySink(history)]

        loop = ServeLoop(idle, make_clock(args.fast), make_text_inputs(args.commands, args.fast), [TranscriptWriter(sys.stdout)], open_session)
        loop.run()
    finally:
        history.close()
    return 0
