"""Runs `voicecoach` as a real process and follows its transcript line by line."""

from __future__ import annotations

import queue
import subprocess
import sys
import threading
import time
from typing import Optional

WAIT_S = 30.0
"""Seconds a transcript line may take to appear before the test gives up on it."""


class CoachProcess:
    def __init__(self, args: list[str], env: dict) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "voicecoach", *args],
            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        self.lines: list[tuple[float, str]] = []
        """(monotonic seconds when read, line) for every transcript line so far."""
        self._new: "queue.Queue[str]" = queue.Queue()
        self._stderr: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=lambda: self._stderr.extend(self.process.stderr), daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append((time.monotonic(), line.rstrip("\n")))
            self._new.put(line.rstrip("\n"))

    def wait_for(self, text: str, timeout: float = WAIT_S) -> Optional[str]:
        """The next line containing `text`, or None when it does not come in time."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self._new.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                return None
            if text in line:
                return line
        return None

    def heard(self) -> list[str]:
        return [line for _, line in self.lines if " heard: " in line]

    @property
    def stderr(self) -> str:
        return "".join(self._stderr)

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.terminate()
        try:
            return self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()
