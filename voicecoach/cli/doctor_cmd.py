"""`voicecoach doctor`: a PASS / WARN / FAIL table of everything a hands-free session needs."""

from __future__ import annotations

import argparse
import sys
from typing import Callable, Optional

from voicecoach.config import add_config_argument, load_settings
from voicecoach.doctor import Hardware, Status, dbfs, format_result, run_checks, summary

MAX_LISTEN_S = 60.0
"""Seconds: a level check longer than a minute is a mistyped argument."""

EXIT_NOT_READY = 1
"""A check failed: hands-free use cannot work. (2 stays for a bad command line or settings file.)"""

METER_WIDTH = 30
"""Characters in the live level bar."""

METER_FLOOR_DB = -60.0
"""dBFS shown as an empty bar: quieter than a silent room through a USB microphone."""


def _real_hardware() -> Hardware:
    from voicecoach.doctor_hardware import real_hardware  # imports PortAudio: only when run

    return real_hardware()


hardware_factory: Callable[[], Hardware] = _real_hardware
"""What the command probes; tests replace it with fakes."""


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 < value <= MAX_LISTEN_S:
        raise argparse.ArgumentTypeError(f"must be more than 0 and at most {MAX_LISTEN_S:g} seconds")
    return value


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "doctor", help="check speech, sound devices, recognizer and data folder",
        description="Check everything a hands-free session needs; one row per check with the fix "
                    "for each problem. Exits 1 when hands-free use cannot work.",
    )
    add_config_argument(parser)
    parser.add_argument("--tone", action="store_true", help="play a short beep on the output device")
    parser.add_argument("--listen", type=_seconds, default=0.0, metavar="SECONDS",
                        help="record that long, showing the input level, and check it is neither silent nor clipping")
    parser.set_defaults(handler=run)


def _meter(stream) -> Optional[Callable[[float], None]]:
    if not stream.isatty():
        return None  # a log or a pipe wants the verdict, not a hundred redrawn bars

    def show(peak: float) -> None:
        fraction = min(1.0, max(0.0, 1 - dbfs(peak) / METER_FLOOR_DB))
        filled = int(METER_WIDTH * fraction)
        print(f"\rlevel [{'#' * filled}{'.' * (METER_WIDTH - filled)}] {dbfs(peak):6.1f} dBFS", end="", file=stream, flush=True)

    return show


def run(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    meter = _meter(sys.stderr)
    results = []
    for result in run_checks(settings, hardware_factory(), args.tone, args.listen, meter or (lambda peak: None)):
        if meter and result.name == "input device" and args.listen:
            print(file=sys.stderr)  # end the meter's line
        results.append(result)
        for line in format_result(result):
            print(line, flush=True)
    print(summary(results))
    return EXIT_NOT_READY if any(result.status is Status.FAIL for result in results) else 0
