"""`voicecoach history`: past sessions, as text or JSON."""

from __future__ import annotations

import argparse
import dataclasses
import json

from voicecoach.history import History, SessionRecord, default_data_dir
from voicecoach.timing import SECONDS_PER_MINUTE


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("history", help="show past sessions")
    parser.add_argument("--json", action="store_true", help="one JSON array of sessions")
    parser.add_argument("--user", help="only this user's sessions")
    parser.add_argument("--data-dir", metavar="DIR", help="history folder")
    parser.set_defaults(handler=show_history)


def describe(record: SessionRecord) -> str:
    minutes = "-" if record.seconds is None else f"{record.seconds / SECONDS_PER_MINUTE:.1f} min"
    pain = "; ".join(
        f"{p.exercise or 'session'}{' ' + p.side if p.side else ''} rated {'none' if p.rating is None else p.rating}"
        for p in record.pain
    )
    fields = [record.started, record.user, record.routine, minutes, record.status, f"{record.exercises_done} exercises"]
    return "\t".join(fields + ([f"pain: {pain}"] if pain else []))


def show_history(args: argparse.Namespace) -> int:
    history = History(default_data_dir(args.data_dir))
    try:
        records = history.sessions(args.user)
    finally:
        history.close()
    if args.json:
        print(json.dumps([dataclasses.asdict(record) for record in records], indent=2))
    elif not records:
        print("No sessions yet.")
    for record in records if not args.json else ():
        print(describe(record))
    return 0
