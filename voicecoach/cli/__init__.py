"""The command line: a thin layer over the library.

Each subcommand lives in its own module with `register(subparsers)`, which adds its parser and sets
`handler(args) -> int`. Errors from the library arrive here as `VoicecoachError` and leave as one
message on stderr and an exit code: this is the only place that does that.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from typing import Optional, Sequence

from voicecoach import __version__
from voicecoach.errors import VoicecoachError

SUBCOMMAND_MODULES = (
    "voicecoach.cli.routines_cmd",
    "voicecoach.cli.recognize_cmd",
    "voicecoach.cli.models_cmd",
    "voicecoach.cli.run_cmd",
    "voicecoach.cli.history_cmd",
    "voicecoach.cli.serve_cmd",
    "voicecoach.cli.render_cmd",
    "voicecoach.cli.config_cmd",
    "voicecoach.cli.doctor_cmd",
)
"""Modules that each register subcommands, in the order `--help` lists them."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="voicecoach", description="A hands-free, offline voice coach for stretching routines."
    )
    parser.add_argument("--version", action="version", version=f"voicecoach {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for name in SUBCOMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


LOG_LEVEL_ENV = "VOICECOACH_LOG"
"""Set to debug or info to see what the recognizer heard and rejected, on stderr."""


def main(argv: Optional[Sequence[str]] = None) -> int:
    level = os.environ.get(LOG_LEVEL_ENV, "").upper()
    if level:
        logging.basicConfig(level=getattr(logging, level, logging.WARNING), format="%(name)s: %(message)s")
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except VoicecoachError as error:
        print(f"voicecoach: {error}" if not getattr(error, "problems", None) else error, file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("voicecoach: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away: stop quietly, and keep Python from complaining at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
