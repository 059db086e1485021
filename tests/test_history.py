"""What the history remembers between sessions, through real SQLite files."""

from __future__ import annotations

from pathlib import Path

from voicecoach.cli import main

ROUTINE = str(Path(__file__).parent / "data" / "session-test.yaml")


def _run(tmp_path: Path, user: str, commands: str, capsys) -> str:
    path = tmp_path / f"commands-{user}.txt"
    path.write_text(commands)
    assert main(["run", ROUTINE, "--text", "--fast", "--commands", str(path), "--data-dir", str(tmp_path / "data"), "--user", user]) == 0
    return capsys.readouterr().out


def test_the_second_session_remembers_side_level_rate_and_pain(tmp_path, capsys):
    first = _run(tmp_path, "dee", "7 no\n40 easier\n41 slower\n61 that hurts\n66 three\n71 no\n", capsys)
    assert "event: setting stiffer_side=right" in first
    assert "event: level exercise=couch from=1 to=0 name=gentle reason=user" in first
    assert "event: setting rate=0.85 volume=1.0" in first
    assert "event: pain exercise=couch side=left level=0 rating=3" in first
    second = _run(tmp_path, "dee", "", capsys)
    assert "Is your left side the stiffer one?" not in second
    assert "How did your body feel the morning after the last session?" in second
    assert "event: exercise_start exercise=couch level=gentle" in second
    assert "coach: Last time this exercise hurt. Go gently, only as far as is comfortable." in second
    assert "event: hold exercise=couch side=right" in second
    other_user = _run(tmp_path, "eve", "", capsys)
    assert "Is your left side the stiffer one?" in other_user
    assert "morning after" not in other_user


def test_the_morning_after_rating_is_asked_once_per_session(tmp_path, capsys):
    _run(tmp_path, "fay", "7 yes\n", capsys)
    second = _run(tmp_path, "fay", "", capsys)
    asked = [line for line in second.splitlines() if "morning after the last session" in line][0]
    stamp = asked[1:8]
    minutes, seconds = stamp.split(":")
    answer_at = int(minutes) * 60 + float(seconds) + 6
    third = _run(tmp_path, "fay", f"{answer_at} two\n", capsys)
    assert "morning after" in third  # the second session was never rated
    assert main(["history", "--json", "--data-dir", str(tmp_path / "data")]) == 0
    import json

    sessions = json.loads(capsys.readouterr().out)
    assert [s["after_rating"] for s in sessions] == [None, 2, None]


def test_a_killed_session_is_offered_for_resumption_at_its_exercise_and_side(tmp_path, capsys):
    import os
    import signal
    import subprocess
    import sys

    env = dict(os.environ, VOICECOACH_DATA_DIR=str(tmp_path / "data"))
    commands = tmp_path / "to-kill.txt"
    # Right side stiffer, then skip the intro and cut the first hold short with "next".
    commands.write_text("8 no\n10 next\n11 next\n16 next\n")
    process = subprocess.Popen(
        [sys.executable, "-m", "voicecoach", "run", ROUTINE, "--text", "--commands", str(commands), "--user", "gus"],
        stdout=subprocess.PIPE, text=True, env=env,
    )
    try:
        for line in process.stdout:
            if "event: hold exercise=couch side=right" in line and "completed=False" in line:
                break
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    out = _run(tmp_path, "gus", "", capsys)
    assert "Last time the session stopped early. Shall we pick up at Couch stretch, right side? Say yes or no." in out
    assert "All right, we'll start from the beginning." in out
