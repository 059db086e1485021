"""Recognizer models: the registry, where installed models are found, and safe download.

A download is verified (sha256) and unpacked into a temporary folder beside the destination, then
renamed into place, so an interrupted or corrupt download never leaves half a model behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional, Union

from voicecoach.errors import EngineUnavailable, UsageError

MODEL_ENV = "VOICECOACH_VOSK_MODEL"
PROJECT_MODELS = Path(__file__).resolve().parents[2] / "models"
REGISTRY_PATH = PROJECT_MODELS / "registry.json"
VOSK_MARKERS = ("am/final.mdl", "final.mdl")
"""Files only a Vosk model folder has: the acoustic model, in the small and the big layouts."""
DOWNLOAD_BLOCK = 1 << 16
"""Bytes read per step: small enough for a smooth progress bar, big enough to be cheap."""
PROGRESS_WIDTH = 30
"""Characters in the progress bar."""


@dataclass(frozen=True)
class ModelEntry:
    name: str
    engine: str
    url: str
    sha256: Optional[str]
    """Hex digest of the archive; None when not yet verified from a trusted source."""
    size: Optional[int]
    """Bytes of the archive, when known exactly."""
    approx_size_mb: Optional[float] = None
    """Megabytes, for display only when `size` is unknown."""


def load_registry(path: Path = REGISTRY_PATH) -> list[ModelEntry]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [
        ModelEntry(m["name"], m["engine"], m["url"], m.get("sha256"), m.get("size"), m.get("approx_size_mb"))
        for m in data["models"]
    ]


def registry_entry(name: str, path: Path = REGISTRY_PATH) -> ModelEntry:
    for entry in load_registry(path):
        if entry.name == name:
            return entry
    raise UsageError(f"no model named {name!r} in {path}; see `voicecoach models list`")


def user_models_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("voicecoach")) / "models"


def is_vosk_model(path: Path) -> bool:
    return path.is_dir() and any((path / marker).is_file() for marker in VOSK_MARKERS)


def _first_model_in(folder: Path) -> Optional[Path]:
    if is_vosk_model(folder):
        return folder
    if not folder.is_dir():
        return None
    for child in sorted(folder.iterdir()):
        if is_vosk_model(child):
            return child
    return None


def find_vosk_model(
    explicit: Optional[Union[str, Path]] = None,
    environ: Optional[dict] = None,
    search: Optional[list[Path]] = None,
) -> Optional[Path]:
    """The model to use: `explicit`, then $VOICECOACH_VOSK_MODEL, then the user data folder, then
    the project's models/ folder. An explicit path or variable that is not a model is an error."""
    environ = os.environ if environ is None else environ
    for given, origin in ((explicit, "--model"), (environ.get(MODEL_ENV), f"${MODEL_ENV}")):
        if given:
            path = Path(given).expanduser()
            if not is_vosk_model(path):
                raise UsageError(f"{origin} {path} is not a Vosk model folder (no am/final.mdl)")
            return path
    for folder in search if search is not None else [user_models_dir(), PROJECT_MODELS]:
        found = _first_model_in(folder)
        if found is not None:
            return found
    return None


def _progress(done: int, total: Optional[int]) -> None:
    if total:
        filled = int(PROGRESS_WIDTH * done / total)
        bar = "#" * filled + "." * (PROGRESS_WIDTH - filled)
        print(f"\r[{bar}] {done / 1e6:6.1f} / {total / 1e6:.1f} MB", end="", file=sys.stderr)
    else:
        print(f"\r{done / 1e6:6.1f} MB", end="", file=sys.stderr)


def download_model(
    entry: ModelEntry,
    destination: Path,
    *,
    verify: bool = True,
    progress: Optional[Callable[[int, Optional[int]], None]] = _progress,
) -> Path:
    """Download, verify and unpack `entry` to `destination/entry.name`; returns that folder."""
    if verify and not entry.sha256:
        raise UsageError(
            f"{entry.name} has no verified sha256; pass --sha256 HEX, or --no-verify to trust {entry.url}"
        )
    target = destination / entry.name
    if is_vosk_model(target):
        return target
    destination.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{entry.name}.", dir=destination) as work:
        archive = Path(work) / "download.zip"
        digest = hashlib.sha256()
        try:
            with urllib.request.urlopen(entry.url) as response, archive.open("wb") as out:
                total = entry.size or int(response.headers.get("Content-Length") or 0) or None
                done = 0
                while True:
                    block = response.read(DOWNLOAD_BLOCK)
                    if not block:
                        break
                    out.write(block)
                    digest.update(block)
                    done += len(block)
                    if progress:
                        progress(done, total)
        except OSError as error:
            raise EngineUnavailable(f"download of {entry.url} failed: {error}") from error
        finally:
            if progress:
                print(file=sys.stderr)
        if total is not None and done != total:
            raise EngineUnavailable(f"download of {entry.url} is incomplete: {done} of {total} bytes")
        if verify and digest.hexdigest() != entry.sha256.lower():
            raise EngineUnavailable(
                f"{entry.url} has sha256 {digest.hexdigest()}, expected {entry.sha256}: not installed"
            )
        unpacked = Path(work) / "unpacked"
        try:
            with zipfile.ZipFile(archive) as bundle:
                bundle.extractall(unpacked)
        except (zipfile.BadZipFile, OSError) as error:
            raise EngineUnavailable(f"{entry.url} is not a readable zip: {error}") from error
        model = _first_model_in(unpacked)
        if model is None:
            raise EngineUnavailable(f"{entry.url} holds no Vosk model (no am/final.mdl)")
        # Same file system, so the rename is atomic: the model appears whole or not at all.
        os.replace(model, target)
    return target


def remove_partial(destination: Path) -> None:
    """Delete temporary folders left by a download that was killed outright."""
    for leftover in destination.glob(".*.*"):
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
