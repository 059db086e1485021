"""`voicecoach serve`: the always-on coach. Idle until its wake phrase, then sessions on request."""

from __future__ import annotations

import argparse
import sys

from voicecoach.app import build_coach, make_clock, make_text_inputs, unfinished_routine
from voicecoach.cli.run_cmd import add_session_arguments, session_settings
from voicecoach.handsfree import open_serve_hands_free, open_voice
from voicecoach.serve.grammar import idle_phrases
from voicecoach.speaker_sink import LEAD_IN_S, LOOKAHEAD_S
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
    wakes = wake_variants(args.wake or settings.wake_phrase)
    text_only = args.text or args.fast
    inputs = make_text_inputs(args.commands, args.fast) if text_only or args.commands else None
    voice = switch = None
    try:
        if not text_only:
            if args.commands:
                voice = open_voice(settings)
            else:
                phrases = idle_phrases(wakes, routines, history.users())
                voice, switch = open_serve_hands_free(settings, phrases, typed_input=sys.stdin)
            inputs = inputs or voice.inputs
        speech_seconds = voice.sink.speech_seconds if voice else estimate_speech_seconds
        idle = IdleCoach(routines, wakes, settings.default_user, speech_seconds, find_unfinished=unfinished_routine(history, routines))

        def open_session(decision: Decision):
            coach = build_coach(
                decision.routine, history, decision.user or idle.user, settings.coach_settings(),
                speech_seconds, resume_asked=decision.kind == "resume",
            )
            if voice is not None:
                voice.sink.apply(coach.rate, coach.volume)
            return coach, [HistorySink(history)]

        sinks = [TranscriptWriter(sys.stdout)] + ([voice.sink] if voice else [])
        timing = (LOOKAHEAD_S, LEAD_IN_S) if voice else (0.0, 0.0)
        loop = ServeLoop(idle, make_clock(args.fast), inputs, sinks, open_session, *timing)
        if switch is not None:
            loop.state_listeners.append(
                lambda coach: switch.use_idle() if coach is None else switch.use_commands(coach.active_commands())
            )
        loop.run()
    finally:
        if voice is not None:
            voice.close()
        history.close()
    return 0
