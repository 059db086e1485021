"""`voicecoach run --text --fast --commands` and `voicecoach history`: exact lines and exit codes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from voicecoach.cli import main

DATA = Path(__file__).parent / "data"
ROUTINE = DATA / "session-test.yaml"
VOICECOACH = [sys.executable, "-m", "voicecoach"]

EXPECTED_START = """\
[00:00.0] event: session_start routine=session-test user=ann
[00:00.0] coach: Welcome. This is Session test.
[00:01.9] coach: Mild discomfort is fine; sharp discomfort is not.
[00:02.0] heard: yes -> yes
[00:02.0] coach: I haven't asked anything just now.
[00:05.0] coach: Some stretches start and end with your stiffer side. Is your left side the stiffer one? Say yes or no.
[00:27.7] event: setting stiffer_side=left
[00:27.7] coach: I didn't hear an answer, so we'll start on the left.
[00:31.9] coach: You can say help at any time to hear what you can say.
[00:36.9] event: exercise_start exercise=couch level=standard
[00:36.9] coach: Exercise 1 of 3: Couch stretch.
[00:39.2] coach: Level 2 of 2: Full holds.
[00:40.5] heard: that hurts -> hurt
[00:40.5] coach: Ease off slowly and come out of the stretch.
[00:44.0] coach: How bad is the pain, from zero to ten?
[00:45.0] heard: five -> number 5
[00:45.0] event: pain exercise=couch level=1 rating=5
[00:45.0] event: level exercise=couch from=1 to=0 name=gentle reason=pain
[00:45.0] coach: Let's make it gentler. Shorter holds.
[00:47.3] event: exercise_start exercise=couch level=gentle
"""


def _commands(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "commands.txt"
    path.write_text(text)
    return path


def test_run_text_fast_with_commands_prints_the_exact_transcript(tmp_path, capsys):
    commands = _commands(tmp_path, "# comment\n\n2.0 yes\n40.5 that hurts\n45 five\n60 banana\n")
    code = main(["run", str(ROUTINE), "--text", "--fast", "--commands", str(commands), "--data-dir", str(tmp_path), "--user", "ann"])
    out = capsys.readouterr().out
    assert code == 0
    assert out.startswith(EXPECTED_START)
    assert "[01:00.0] heard: banana -> unknown\n[01:00.0] coach: Sorry, I didn't catch that.\n" in out
    assert out.splitlines()[-1].startswith("[") and " event: session_end status=completed exercises_done=3 " in out


def test_end_session_exits_zero_and_history_shows_it(tmp_path, capsys):
    commands = _commands(tmp_path, "50 end session\n52 yes\n")
    assert main(["run", str(ROUTINE), "--text", "--fast", "--commands", str(commands), "--data-dir", str(tmp_path), "--user", "bo"]) == 0
    assert "event: session_end status=ended exercises_done=0" in capsys.readouterr().out
    assert main(["history", "--json", "--data-dir", str(tmp_path)]) == 0
    (session,) = json.loads(capsys.readouterr().out)
    assert (session["user"], session["routine"], session["status"], session["pain"]) == ("bo", "session-test", "ended", [])


def test_a_bad_routine_exits_2_with_the_check_message(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\ntitle: X\ndescription: d\nexercises: []\n")
    assert main(["run", str(bad), "--text", "--fast", "--data-dir", str(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"{bad}:4: ")


def test_unknown_routine_id_exits_2_and_names_the_choices(tmp_path, capsys):
    assert main(["run", "no-such-routine", "--text", "--fast", "--data-dir", str(tmp_path)]) == 2
    assert "psoas-basics" in capsys.readouterr().err


def test_a_bad_commands_line_is_reported_with_its_line(tmp_path, capsys):
    commands = _commands(tmp_path, "1 next\nsoon stop\n")
    assert main(["run", str(ROUTINE), "--text", "--fast", "--commands", str(commands), "--data-dir", str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"voicecoach: {commands}:2: expected 'SECONDS PHRASE', got 'soon stop'\n"


def test_typed_answers_in_fast_mode_are_read_when_the_coach_asks(tmp_path):
    result = subprocess.run(
        VOICECOACH + ["run", str(ROUTINE), "--text", "--fast", "--data-dir", str(tmp_path), "--user", "cy"],
        input="no\n", capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "heard: no -> no" in result.stdout
    assert "coach: Got it: your right side is stiffer." in result.stdout
    assert "event: hold exercise=couch side=right" in result.stdout


def test_history_is_readable_after_kill_9_and_marks_the_session_unfinished(tmp_path):
    """A real-time session killed mid-way keeps what it wrote; the next reader marks it unfinished."""
    env = dict(os.environ, VOICECOACH_DATA_DIR=str(tmp_path))
    process = subprocess.Popen(
        VOICECOACH + ["run", str(ROUTINE), "--text", "--commands", str(_commands(tmp_path, "0.1 that hurts\n6 two\n"))],
        stdout=subprocess.PIPE, text=True, env=env,
    )
    try:
        for line in process.stdout:
            if "event: pain" in line:
                break
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    history = subprocess.run(VOICECOACH + ["history", "--json"], capture_output=True, text=True, env=env, timeout=60)
    (session,) = json.loads(history.stdout)
    assert session["status"] == "unfinished"
    assert [p["rating"] for p in session["pain"]] == [2]
    text = subprocess.run(VOICECOACH + ["history"], capture_output=True, text=True, env=env, timeout=60).stdout
    assert "\tsession-test\t-\tunfinished\t0 exercises\tpain: session rated 2" in text
