"""`voicecoach models list|download`: the recognizer models the coach can use."""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

from voicecoach.asr.models import (
    download_model, find_vosk_model, load_registry, registry_entry, user_models_dir,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("models", help="list or download speech recognition models")
    actions = parser.add_subparsers(dest="models_action", metavar="ACTION")
    actions.required = True
    listing = actions.add_parser("list", help="models in the registry and the one in use")
    listing.set_defaults(handler=run_list)
    download = actions.add_parser("download", help="download, verify and unpack a model")
    download.add_argument("name")
    download.add_argument("--url", help="fetch from here instead of the registry's address (a mirror)")
    download.add_argument("--sha256", help="expected archive digest, for entries without one")
    download.add_argument("--no-verify", action="store_true",
                          help="install even without a digest to check (you trust the source)")
    download.add_argument("--dest", type=Path, help=f"folder to install into (default {user_models_dir()})")
    download.set_defaults(handler=run_download)


def run_list(args: argparse.Namespace) -> int:
    for entry in load_registry():
        size = f"{entry.size} bytes" if entry.size else (
            f"~{entry.approx_size_mb:g} MB (unverified)" if entry.approx_size_mb else "unknown")
        print(f"{entry.name}\n  engine  {entry.engine}\n  url     {entry.url}\n"
              f"  size    {size}\n  sha256  {entry.sha256 or 'unknown (download needs --sha256 or --no-verify)'}")
    found = find_vosk_model()
    print(f"in use: {found if found else 'none found: PocketSphinx is used'}")
    return 0


def run_download(args: argparse.Namespace) -> int:
    entry = registry_entry(args.name)
    if args.url:
        entry = dataclasses.replace(entry, url=args.url, size=None)
    if args.sha256:
        entry = dataclasses.replace(entry, sha256=args.sha256)
    target = download_model(entry, args.dest or user_models_dir(), verify=not args.no_verify)
    print(f"installed {target}")
    return 0
