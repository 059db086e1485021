"""Session history and per-user settings, in SQLite.

Each event is written in its own transaction with a synchronous journal, so a session killed at any
moment (kill -9, power loss) leaves a readable database with that session marked unfinished.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional

import platformdirs

from voicecoach.errors import VoicecoachError
from voicecoach.routine.model import Side
from voicecoach.session.actions import Event
from voicecoach.session.profile import LastSession, ResumePoint, UserProfile

DATA_DIR_ENV = "VOICECOACH_DATA_DIR"
DATABASE_NAME = "history.sqlite3"
BUSY_TIMEOUT_S = 5.0
"""Seconds to wait for another process (a second coach, `history`) holding the write lock."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (name TEXT PRIMARY KEY, stiffer_side TEXT, rate REAL, volume REAL);
CREATE TABLE IF NOT EXISTS levels (
    user TEXT NOT NULL, exercise TEXT NOT NULL, level INTEGER NOT NULL, PRIMARY KEY (user, exercise));
CREATE TABLE IF NOT EXISTS sessions (
    id INTEGER PRIMARY KEY, user TEXT NOT NULL, routine TEXT NOT NULL, started TEXT NOT NULL,
    ended TEXT, seconds REAL, status TEXT NOT NULL, exercises_done INTEGER DEFAULT 0,
    after_rating INTEGER, pid INTEGER);
CREATE TABLE IF NOT EXISTS holds (
    session INTEGER NOT NULL, exercise TEXT NOT NULL, side TEXT, level INTEGER,
    seconds REAL, completed INTEGER, at REAL, side_index INTEGER, rep INTEGER);
CREATE TABLE IF NOT EXISTS pain_reports (
    session INTEGER NOT NULL, exercise TEXT, side TEXT, level INTEGER, rating INTEGER, at REAL);
"""

RUNNING = "running"
INTERRUPTED = "unfinished"


def default_data_dir(override: Optional[str] = None) -> Path:
    """`--data-dir`, then $VOICECOACH_DATA_DIR, then the platform's user data folder."""
    chosen = override or os.environ.get(DATA_DIR_ENV)
    return Path(chosen) if chosen else Path(platformdirs.user_data_dir("voicecoach"))


@dataclass(frozen=True)
class PainRecord:
    exercise: Optional[str]
    side: Optional[str]
    level: Optional[int]
    rating: Optional[int]
    at: float
    """Session seconds."""


@dataclass(frozen=True)
class SessionRecord:
    id: int
    user: str
    routine: str
    started: str
    """ISO 8601 local time."""
    seconds: Optional[float]
    status: str
    """completed, ended, pain, abandoned, running, or unfinished (killed mid-way)."""
    exercises_done: int
    after_rating: Optional[int]
    pain: tuple[PainRecord, ...]


def _pid_alive(pid: Optional[int]) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class History:
    def __init__(self, data_dir: Path, wall_clock: Callable[[], dt.datetime] = dt.datetime.now) -> None:
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(data_dir / DATABASE_NAME, timeout=BUSY_TIMEOUT_S, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as error:
            raise VoicecoachError(f"cannot open the history in {data_dir}: {error}") from error
        self._wall_clock = wall_clock
        self.session_id: Optional[int] = None
        self._mark_dead_sessions()

    def close(self) -> None:
        self._db.close()

    def _write(self, sql: str, params: tuple = ()) -> sqlite3.Cursor:
        with self._db:
            return self._db.execute(sql, params)

    def _mark_dead_sessions(self) -> None:
        rows = self._db.execute("SELECT id, pid FROM sessions WHERE status = ?", (RUNNING,)).fetchall()
        for session_id, pid in rows:
            if pid != os.getpid() and not _pid_alive(pid):
                self._write("UPDATE sessions SET status = ? WHERE id = ?", (INTERRUPTED, session_id))

    # ---- reading ----

    def profile(self, user: str, routine: Optional[str] = None, resume_asked: bool = False) -> UserProfile:
        """What the coach knows about `user`; with `routine`, where an unfinished run of it stopped.

        `resume_asked`: the person already asked to resume, so the coach does not offer it again.
        """
        row = self._db.execute("SELECT stiffer_side, rate, volume FROM users WHERE name = ?", (user,)).fetchone()
        levels = dict(self._db.execute("SELECT exercise, level FROM levels WHERE user = ?", (user,)).fetchall())
        last = self._db.execute(
            "SELECT id, after_rating FROM sessions WHERE user = ? AND status != ? ORDER BY id DESC LIMIT 1",
            (user, RUNNING),
        ).fetchone()
        last_session = None
        if last is not None:
            hurt = {
                name
                for (name,) in self._db.execute(
                    "SELECT exercise FROM pain_reports WHERE session = ? AND exercise IS NOT NULL", (last[0],)
                )
            }
            count = self._db.execute("SELECT COUNT(*) FROM pain_reports WHERE session = ?", (last[0],)).fetchone()[0]
            last_session = LastSession(last[0], pain_free=count == 0, hurt_exercises=frozenset(hurt), rated=last[1] is not None)
        kwargs: dict[str, Any] = {"name": user, "levels": levels, "last_session": last_session}
        unfinished = self.unfinished(user, routine) if routine is not None else None
        if unfinished is not None:
            kwargs["resume"] = dataclasses.replace(unfinished[1], ask=not resume_asked)
        if row is not None:
            kwargs["stiffer_side"] = Side(row[0]) if row[0] else None
            if row[1] is not None:
                kwargs["rate"] = row[1]
            if row[2] is not None:
                kwargs["volume"] = row[2]
        return UserProfile(**kwargs)

    def unfinished(self, user: str, routine: Optional[str] = None) -> Optional[tuple[str, ResumePoint]]:
        """The routine and place where the user's latest session stopped, if it was cut off."""
        row = self._db.execute(
            "SELECT id, routine, status FROM sessions WHERE user = ? AND status != ? ORDER BY id DESC LIMIT 1",
            (user, RUNNING),
        ).fetchone()
        if row is None or row[2] != INTERRUPTED or (routine is not None and row[1] != routine):
            return None
        hold = self._db.execute(
            "SELECT exercise, side_index, rep, completed FROM holds WHERE session = ? ORDER BY rowid DESC LIMIT 1",
            (row[0],),
        ).fetchone()
        if hold is None:
            return None
        return row[1], ResumePoint(hold[0], hold[1] or 0, hold[2] or 0, bool(hold[3]))

    def users(self) -> list[str]:
        return [name for (name,) in self._db.execute("SELECT name FROM users ORDER BY name")]

    def sessions(self, user: Optional[str] = None) -> list[SessionRecord]:
        query = "SELECT id, user, routine, started, seconds, status, exercises_done, after_rating FROM sessions"
        rows = self._db.execute(query + (" WHERE user = ?" if user else "") + " ORDER BY id", (user,) if user else ())
        records = []
        for row in rows.fetchall():
            pain = tuple(
                PainRecord(*p)
                for p in self._db.execute(
                    "SELECT exercise, side, level, rating, at FROM pain_reports WHERE session = ? ORDER BY at", (row[0],)
                )
            )
            records.append(SessionRecord(*row, pain=pain))
        return records

    # ---- writing, one event at a time ----

    def record(self, event: Event) -> None:
        handler = getattr(self, f"_on_{event.kind}", None)
        if handler is not None:
            handler(event)

    def _on_session_start(self, event: Event) -> None:
        started = self._wall_clock().isoformat(timespec="seconds")
        cursor = self._write(
            "INSERT INTO sessions (user, routine, started, status, pid) VALUES (?, ?, ?, ?, ?)",
            (event.data["user"], event.data["routine"], started, RUNNING, os.getpid()),
        )
        self.session_id = cursor.lastrowid
        self._user = event.data["user"]
        self._write("INSERT OR IGNORE INTO users (name) VALUES (?)", (self._user,))

    def _on_hold(self, event: Event) -> None:
        d = event.data
        self._write(
            "INSERT INTO holds VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                self.session_id, d["exercise"], d["side"], d["level"], d["seconds"], int(d["completed"]),
                event.at, d.get("side_index", 0), d.get("rep", 0),
            ),
        )

    def _on_pain(self, event: Event) -> None:
        d = event.data
        self._write(
            "INSERT INTO pain_reports VALUES (?, ?, ?, ?, ?, ?)",
            (self.session_id, d["exercise"], d["side"], d["level"], d["rating"], event.at),
        )

    def _on_level(self, event: Event) -> None:
        if event.data["reason"] == "user":
            self._write(
                "INSERT OR REPLACE INTO levels VALUES (?, ?, ?)", (self._user, event.data["exercise"], event.data["to"])
            )

    def _on_setting(self, event: Event) -> None:
        columns = {"stiffer_side": "stiffer_side", "rate": "rate", "volume": "volume"}
        for key, value in event.data.items():
            if key in columns:
                self._write(f"UPDATE users SET {columns[key]} = ? WHERE name = ?", (value, self._user))

    def _on_after_rating(self, event: Event) -> None:
        self._write("UPDATE sessions SET after_rating = ? WHERE id = ?", (event.data["rating"], event.data["session"]))

    def _on_session_end(self, event: Event) -> None:
        d = event.data
        self._write(
            "UPDATE sessions SET status = ?, ended = ?, seconds = ?, exercises_done = ? WHERE id = ?",
            (d["status"], self._wall_clock().isoformat(timespec="seconds"), d["seconds"], d["exercises_done"], self.session_id),
        )
