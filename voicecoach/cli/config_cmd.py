"""`voicecoach config show|path`: the effective settings and where they come from."""

from __future__ import annotations

import argparse

from voicecoach.config import add_config_argument, describe_settings, load_settings, settings_path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("config", help="show the settings and where each comes from")
    actions = parser.add_subparsers(dest="config_action", metavar="ACTION")
    actions.required = True
    show = actions.add_parser(
        "show", help="the effective settings",
        description="One line per setting: 'key: value  (source)', the source being default, "
                    "FILE:LINE or $VARIABLE.",
    )
    add_config_argument(show)
    show.set_defaults(handler=run_show)
    path = actions.add_parser("path", help="where the settings file is looked for")
    path.set_defaults(handler=run_path)


def run_show(args: argparse.Namespace) -> int:
    for line in describe_settings(load_settings(args.config)):
        print(line)
    return 0


def run_path(args: argparse.Namespace) -> int:
    print(settings_path())
    return 0
