"""`voicecoach check` and `voicecoach list`: exact output and exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from voicecoach.cli import main

DATA = Path(__file__).parent / "data" / "routines"
VALID = (DATA / "valid.yaml").read_text()
BACK_WARNING = "spoken text contains 'back', a voice command the recognizer would hear from the coach; rephrase it"
NEXT_WARNING = "spoken text contains 'next', a voice command the recognizer would hear from the coach; rephrase it"


def test_check_without_paths_checks_the_bundled_routines_clean(capsys, monkeypatch):
    monkeypatch.delenv("VOICECOACH_ROUTINES", raising=False)
    assert main(["check"]) == 0
    out, err = capsys.readouterr()
    assert (out, err) == ("", "checked 5 file(s): 0 error(s), 0 warning(s)\n")


def test_check_prints_one_line_per_error_and_exits_1(capsys):
    valid, broken = str(DATA / "valid.yaml"), str(DATA / "zero-reps.yaml")
    assert main(["check", valid, broken]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        f"{broken}:1: duplicate routine id 'tiny' (also in {valid}:1)",
        f"{broken}:10: reps must be a whole number from 1 to 100, got 0",
    ]
    assert err == "checked 2 file(s): 2 error(s), 0 warning(s)\n"


def test_check_with_only_warnings_exits_0(capsys):
    path = str(DATA / "command-word.yaml")
    assert main(["check", path]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == [f"{path}:9: warning: {BACK_WARNING}", f"{path}:10: warning: {NEXT_WARNING}"]
    assert err == "checked 1 file(s): 0 error(s), 2 warning(s)\n"


def test_check_a_folder_checks_its_yaml_files(capsys, tmp_path):
    (tmp_path / "a.yaml").write_text(VALID)
    (tmp_path / "notes.txt").write_text("not a routine")
    (tmp_path / "b.yaml").write_text(VALID.replace("hold_s: 5", "hold_s: 5\n    colour: red"))
    assert main(["check", str(tmp_path)]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        f"{tmp_path / 'b.yaml'}:1: duplicate routine id 'tiny' (also in {tmp_path / 'a.yaml'}:1)",
        f"{tmp_path / 'b.yaml'}:10: unknown key 'colour' in exercise 'reach'",
    ]
    assert err == "checked 2 file(s): 2 error(s), 0 warning(s)\n"


def test_list_prints_id_title_and_whole_minutes(capsys, monkeypatch, tmp_path):
    (tmp_path / "tiny.yaml").write_text(VALID)
    long_routine = VALID.replace("id: tiny", "id: long").replace("Tiny routine", "Long routine")
    (tmp_path / "long.yaml").write_text(long_routine.replace("hold_s: 5", "hold_s: 600\n    reps: 3\n    rest_s: 0"))
    monkeypatch.setenv("VOICECOACH_ROUTINES", str(tmp_path))
    assert main(["list"]) == 0
    out, err = capsys.readouterr()
    # 5 s of holding still lists as 1 minute; three 10-minute holds plus a short setup cue as 30.
    assert (out, err) == ("long\tLong routine\t30\ntiny\tTiny routine\t1\n", "")


def test_list_refuses_a_broken_library_with_its_problems(capsys, monkeypatch, tmp_path):
    (tmp_path / "tiny.yaml").write_text(VALID.replace("hold_s: 5", "hold_s: -5"))
    monkeypatch.setenv("VOICECOACH_ROUTINES", str(tmp_path))
    assert main(["list"]) == 2
    out, err = capsys.readouterr()
    assert (out, err) == ("", f"{tmp_path / 'tiny.yaml'}:9: hold_s must be more than 0 and at most 600 seconds, got -5\n")


def _voicecoach() -> list[str]:
    script = Path(sys.executable).parent / "voicecoach"
    return [str(script)] if script.exists() else [sys.executable, "-m", "voicecoach"]


def test_installed_command_checks_and_lists_the_bundled_routines():
    env = {key: value for key, value in os.environ.items() if key != "VOICECOACH_ROUTINES"}
    check = subprocess.run(_voicecoach() + ["check"], capture_output=True, text=True, env=env, timeout=60)
    assert (check.returncode, check.stdout, check.stderr) == (0, "", "checked 5 file(s): 0 error(s), 0 warning(s)\n")
    listed = subprocess.run(_voicecoach() + ["list"], capture_output=True, text=True, env=env, timeout=60)
    assert listed.returncode == 0 and listed.stderr == ""
    rows = [line.split("\t") for line in listed.stdout.splitlines()]
    assert [row[:2] for row in rows] == [
        ["assisted-psoas-stretch", "Assisted psoas stretch"],
        ["back-and-hip-strength", "Spine and hip strength"],
        ["hip-flexor-stretches", "Hip flexor stretches"],
        ["psoas-basics", "Psoas basics"],
        ["psoas-release", "Psoas release"],
    ]
    assert all(row[2].isdigit() and int(row[2]) >= 1 for row in rows)
    broken = subprocess.run(_voicecoach() + ["check", str(DATA / "no-exercises.yaml")],
                            capture_output=True, text=True, env=env, timeout=60)
    assert (broken.returncode, broken.stdout) == (1, f"{DATA / 'no-exercises.yaml'}:4: the routine has no exercises\n")
