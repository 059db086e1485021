"""`voicecoach check` and `voicecoach list`: the routine library on the command line."""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

from voicecoach.routine.library import bundled_routines, check_files, routine_files, routines_dir
from voicecoach.routine.problems import Severity
from voicecoach.timing import SECONDS_PER_MINUTE

MIN_LISTED_MINUTES = 1
"""A routine shorter than half a minute still takes some time; "0 minutes" would mislead."""

EXIT_PROBLEMS = 1
"""`check` found errors: distinct from 2, which means the command itself was misused."""


def register(subparsers: argparse._SubParsersAction) -> None:
    check = subparsers.add_parser(
        "check", help="validate routine files",
        description="Validate routine files, printing PATH:LINE: message for each problem.",
    )
    check.add_argument(
        "paths", nargs="*", metavar="PATH", help="routine files or folders (default: the bundled routines)"
    )
    check.set_defaults(handler=run_check)
    listing = subparsers.add_parser(
        "list", help="list the bundled routines",
        description="One line per routine: id, title and estimated minutes, separated by tabs.",
    )
    listing.set_defaults(handler=run_list)


def _expand(paths: list[str]) -> list[Path]:
    if not paths:
        return routine_files(routines_dir())
    expanded: list[Path] = []
    for name in paths:
        path = Path(name)
        expanded.extend(routine_files(path) if path.is_dir() else [path])
    return expanded


def run_check(args: argparse.Namespace) -> int:
    files = _expand(args.paths)
    problems = check_files(files)
    for problem in problems:
        print(problem)
    errors = sum(problem.severity is Severity.ERROR for problem in problems)
    warnings = len(problems) - errors
    print(f"checked {len(files)} file(s): {errors} error(s), {warnings} warning(s)", file=sys.stderr)
    return EXIT_PROBLEMS if errors else 0


def listed_minutes(seconds: float) -> int:
    """Whole minutes, halves rounded up, never below `MIN_LISTED_MINUTES`."""
    return max(MIN_LISTED_MINUTES, math.floor(seconds / SECONDS_PER_MINUTE + 0.5))


def run_list(args: argparse.Namespace) -> int:
    for routine in bundled_routines():
        print(f"{routine.id}\t{routine.title}\t{listed_minutes(routine.estimated_seconds())}")
    return 0
