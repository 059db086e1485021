"""Synthetic user voices for end-to-end tests: several synthesizers, padded with room silence."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

PAD_BEFORE_S = 0.5
PAD_AFTER_S = 0.8
"""Seconds of silence around a command: a command is a short utterance with a pause around it."""

FLITE_VOICES = ("slt", "kal16", "awb", "rms")


def synthesize(text: str, voice: str, folder: Path) -> Path:
    """`text` spoken by a flite voice (or "festival"), padded; cached in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / f"{voice}-{text.replace(' ', '_')}.wav"
    if out.exists():
        return out
    raw = folder / f"raw-{out.name}"
    if voice == "festival":
        subprocess.run(["text2wave", "-o", str(raw)], input=text, text=True, check=True, capture_output=True)
    else:
        subprocess.run(["flite", "-voice", voice, "-t", text, "-o", str(raw)], check=True, capture_output=True)
    subprocess.run(["sox", str(raw), "-r", "16000", str(out), "pad", str(PAD_BEFORE_S), str(PAD_AFTER_S)], check=True)
    raw.unlink()
    return out


def voices_missing_reason() -> str:
    missing = [tool for tool in ("flite", "sox") if shutil.which(tool) is None]
    return f"missing {', '.join(missing)} (apt install flite sox)" if missing else ""


HEARD_WITHIN_S = 6.0
"""Seconds from the end of a played phrase to the coach's reaction: generous for a loaded CI box."""


def say_until_heard(room, coach, text: str, expect: str, folder: Path, tries: int = 2) -> str:
    """Play `text` into the room until the transcript shows `expect`, in another voice each time
    (as a person repeats themselves); returns that transcript line."""
    import pulse

    for voice in FLITE_VOICES[:tries]:
        room.play_file(synthesize(text, voice, folder), pulse.ROOM_SINK)
        line = coach.wait_for(expect, HEARD_WITHIN_S)
        if line:
            return line
    raise AssertionError(f"{text!r} never gave {expect!r}; heard: {coach.heard()}\n{coach.stderr[-2000:]}")
