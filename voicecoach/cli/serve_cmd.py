"""`voicecoach serve`: the always-on coach. Idle until its wake phrase, then sessions on request."""

from __future__ import annotations

import argparse
import sys

from voicecoach.app import build_coach, make_clock, make_text_inputs, unfinished_routine
from voicecoach.cli.run_cmd import add_session_arguments, session_settings
from voicecoach.history import History
from voicecoach.routine.library import bundled_routines
from voicecoach.runner import HistorySink
from voicecoach.serve.idle import Decision, IdleCoach
from voicecoach.serve.loop import ServeLoop
from voicecoach.timing import estimate_speech_seconds
from voicecoach.transcript import TranscriptWriter

WAKE_PREFIXES = ("", "hey ", "ok ")
"""Each wake phrase also works with these in front, as people say them."""


def wake_variants(phrases) -> list[str]:
    return [prefix + phrase for phrase in phrases for prefix in WAKE_PREFIXES]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "serve", help="always-on coach started by voice", description="Wait for the wake phrase, then run sessions on request."
    )
    add_session_arguments(parser)
    parser.add_argument("--wake", action="append", metavar="PHRASE", help="wake phrase (repeatable; default: the settings' wake_phrase)")
    parser.set_defaults(handler=serve)


def serve(args: argparse.Namespace) -> int:
    settings = session_settings(args)
    routines = bundled_routines()
    history = History(settings.data_dir)
    try:
        idle = IdleCoach(
            routines, wake_variants(args.wake or settings.wake_phrase), settings.default_user, estimate_speech_seconds,
            find_unfinished=unfinished_routine(history, routines),
        )

        def open_session(decision: Decision):
            coach = build_coach(
                decision.routine, history, decision.user or idle.user, settings.coach_settings(),
                resume_asked=decision.kind == "resume",
            )
            return coach, [HistorySink(history)]

        loop = ServeLoop(idle, make_clock(args.fast), make_text_inputs(args.commands, args.fast), [TranscriptWriter(sys.stdout)], open_session)
        loop.run()
    finally:
        history.close()
    return 0
