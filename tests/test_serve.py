"""`voicecoach serve --text --fast --commands`: the idle coach, by its exact transcript."""

from __future__ import annotations

import pytest

from voicecoach.cli import main
from voicecoach.routine.library import bundled_routines
from voicecoach.serve.requests import match_routines, parse_request, strip_wake


def _serve(tmp_path, commands: str, capsys, *extra: str) -> str:
    path = tmp_path / "commands.txt"
    path.write_text(commands)
    assert main(["serve", "--text", "--fast", "--commands", str(path), "--data-dir", str(tmp_path / "data"), *extra]) == 0
    return capsys.readouterr().out


def test_conversation_without_the_wake_phrase_gets_no_answer(tmp_path, capsys):
    out = _serve(tmp_path, "1 what a day it has been\n5 start psoas basics\n9 next\n12 that hurts\n", capsys)
    assert out.splitlines() == [
        "[00:00.0] event: idle user=default",
        "[00:01.0] heard: what a day it has been -> ignored",
        "[00:05.0] heard: start psoas basics -> ignored",
        "[00:09.0] heard: next -> ignored",
        "[00:12.0] heard: that hurts -> ignored",
    ]


def test_wake_then_list_then_an_ambiguous_name_gets_a_question(tmp_path, capsys):
    out = _serve(tmp_path, "2 coach\n3 what routines are there\n20 coach start the psoas routine\n", capsys)
    assert out.splitlines()[1:] == [
        "[00:02.0] heard: coach -> wake",
        "[00:02.0] coach: Yes?",
        "[00:03.0] heard: what routines are there -> list",
        "[00:03.0] coach: The routines are: Assisted psoas stretch, Spine and hip strength, Hip flexor stretches, Psoas basics or Psoas release.",
        "[00:20.0] heard: coach start the psoas routine -> choose",
        "[00:20.0] coach: Which one: Assisted psoas stretch, Psoas basics or Psoas release?",
    ]


def test_a_request_after_the_awake_window_is_ignored(tmp_path, capsys):
    out = _serve(tmp_path, "2 coach\n30 start psoas basics\n", capsys)
    assert "[00:30.0] heard: start psoas basics -> ignored" in out


def test_start_by_voice_runs_the_session_then_returns_to_idle(tmp_path, capsys):
    out = _serve(tmp_path, "2 hey coach, start the assisted stretch\n40 end session\n41 yes\n200 coach goodbye\n", capsys)
    lines = out.splitlines()
    assert lines[1:4] == [
        "[00:02.0] heard: hey coach, start the assisted stretch -> start",
        "[00:02.0] coach: Starting Assisted psoas stretch.",
        "[00:03.5] event: session_start routine=assisted-psoas-stretch user=default",
    ]
    assert "coach: These instructions are for the helper." in out
    end = [i for i, line in enumerate(lines) if "event: session_end status=ended" in line][0]
    assert lines[end + 1].endswith("event: idle user=default")
    assert lines[-2:] == ["[03:20.0] heard: coach goodbye -> goodbye", "[03:20.0] coach: Goodbye."]


def test_unknown_name_gets_the_list_and_user_can_be_switched(tmp_path, capsys):
    out = _serve(tmp_path, "1 coach start yoga\n5 coach this is anna\n8 coach who is exercising\n", capsys)
    assert "[00:01.0] coach: I don't know that one. The routines are: " in out
    assert "[00:05.0] coach: Hello Anna." in out
    assert "coach: Anna is exercising." in out


def test_resume_picks_up_an_unfinished_session(tmp_path, capsys):
    out = _serve(tmp_path, "1 coach resume\n", capsys)
    assert "[00:01.0] coach: There's no unfinished session to pick up." in out


@pytest.mark.parametrize(
    "spoken, expected",
    [
        ("psoas basics", ["psoas-basics"]),
        ("the assisted stretch", ["assisted-psoas-stretch"]),
        ("hip flexor stretches", ["hip-flexor-stretches"]),
        ("the release", ["psoas-release"]),
        ("yoga", []),
    ],
)
def test_routine_names_match_natural_short_names(spoken, expected):
    assert [r.id for r in match_routines(spoken, bundled_routines())] == expected


def test_wake_phrase_must_open_the_utterance():
    assert strip_wake("Hey coach, help", ["coach", "hey coach"]) == "help"
    assert strip_wake("my coach said so", ["coach", "hey coach"]) is None
    assert parse_request("this is bob", []).name == "bob"


def test_typed_serve_in_real_time_ends_when_the_typing_ends(tmp_path):
    """With nothing scheduled, the idle coach waits on its input alone; end of input ends serving."""
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "voicecoach", "serve", "--text", "--data-dir", str(tmp_path)],
        input="coach goodbye\n", capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1:] == ["[00:00.0] heard: coach goodbye -> goodbye", "[00:00.0] coach: Goodbye."]
