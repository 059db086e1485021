"""Broken routine files: each gives exactly the `PATH:LINE: message` a user would need."""

from __future__ import annotations

from pathlib import Path

import pytest

from voicecoach.errors import RoutineError
from voicecoach.routine.library import check_file, check_files, load_routine
from voicecoach.routine.problems import Problem, Severity
from voicecoach.routine.yamlnodes import MAX_FILE_BYTES

DATA = Path(__file__).parent / "data" / "routines"

BROKEN = [
    ("unknown-key.yaml", [
        (5, "missing required key 'hold_s' in exercise 'reach'"),
        (9, "unknown key 'hold_seconds' in exercise 'reach'; did you mean 'hold_s'?"),
    ]),
    ("unknown-key-no-suggestion.yaml", [(4, "unknown key 'colour' in routine")]),
    ("wrong-type.yaml", [(9, "hold_s must be a number of seconds, got text 'five'")]),
    ("wrong-type-list.yaml", [(5, "exercises must be a list, got a mapping")]),
    ("negative-duration.yaml", [(10, "rest_s must be at least 0 and at most 600 seconds, got -3")]),
    ("absurd-duration.yaml", [(12, "hold_s must be more than 0 and at most 600 seconds, got 601")]),
    ("no-setup.yaml", [(5, "missing required key 'setup' in exercise 'reach'")]),
    ("empty-setup.yaml", [(8, "setup of exercise 'reach' has no cues")]),
    ("duplicate-exercise-id.yaml", [(10, "duplicate exercise id 'reach' (first at line 5)")]),
    ("bad-default-level.yaml", [
        (16, "default_level 'hard' is not a level of exercise 'reach'; its levels are gentle, standard"),
    ]),
    ("no-exercises.yaml", [(4, "the routine has no exercises")]),
    ("not-yaml.yaml", [(3, "not valid YAML: while parsing a flow sequence, expected ',' or ']', but got ':'")]),
    ("two-documents.yaml", [
        (2, "not valid YAML: expected a single document in the stream, but found another document"),
    ]),
    ("missing-key.yaml", [(1, "missing required key 'title' in routine")]),
    ("pain-threshold.yaml", [(4, "pain_threshold must be a whole number from 0 to 10, got 11")]),
    ("zero-reps.yaml", [(10, "reps must be a whole number from 1 to 100, got 0")]),
    ("bad-enum.yaml", [
        (10, "sides must be one of none, both, stiffer_first_and_last; got text 'bothe'; did you mean 'both'?"),
    ]),
    ("alias.yaml", [(9, "not valid YAML: aliases (*lie) are not supported; write the value out")]),
    ("duplicate-key.yaml", [(10, "duplicate key 'hold_s' in exercise 'reach' (first at line 9)")]),
    ("python-tag.yaml", [
        (9, "hold_s must be a number of seconds, got a value tagged !!python/object/apply:os.system"),
    ]),
    ("top-level-list.yaml", [(1, "routine must be a mapping of keys, got a list")]),
]


@pytest.mark.parametrize("name, expected", BROKEN, ids=[name for name, _ in BROKEN])
def test_broken_file_reports_each_error_at_its_line(name, expected):
    path = str(DATA / name)
    assert [str(problem) for problem in check_file(path)] == [f"{path}:{line}: {msg}" for line, msg in expected]
    with pytest.raises(RoutineError) as raised:
        load_routine(path)
    assert raised.value.problems == [f"{path}:{line}: {msg}" for line, msg in expected]
    assert raised.value.exit_code == 2


def test_command_phrases_in_cues_are_warnings_that_do_not_stop_loading():
    path = str(DATA / "command-word.yaml")
    problems = check_file(path)
    assert [str(problem) for problem in problems] == [
        f"{path}:9: warning: spoken text contains 'back', a voice command the recognizer would hear from the coach; rephrase it",
        f"{path}:10: warning: spoken text contains 'next', a voice command the recognizer would hear from the coach; rephrase it",
    ]
    assert {problem.severity for problem in problems} == {Severity.WARNING}
    assert load_routine(path).exercise("reach").setup == ("Lie on your back.", "When you are set, say next.")


def test_numbers_and_words_merely_containing_a_phrase_are_not_flagged(tmp_path):
    text = (DATA / "valid.yaml").read_text().replace(
        "setup: Lie face up.", "setup: Count to ten, then ease backward slowly; stopping is fine."
    )
    path = tmp_path / "numbers.yaml"
    path.write_text(text)
    assert check_file(path) == []


def test_several_phrases_in_one_cue_are_named_in_spoken_order(tmp_path):
    text = (DATA / "valid.yaml").read_text().replace("setup: Lie face up.", "setup: Hold on, then say that again.")
    path = tmp_path / "two.yaml"
    path.write_text(text)
    assert [problem.message for problem in check_file(path)] == [
        "spoken text contains 'hold on', 'say that again', voice commands the recognizer would hear from the coach;"
        " rephrase it"
    ]


def test_routine_ids_repeated_across_files_checked_together():
    first, second = str(DATA / "valid.yaml"), str(DATA / "duplicate-routine-id.yaml")
    assert check_file(second) == []
    assert [str(problem) for problem in check_files([first, second])] == [
        f"{second}:2: duplicate routine id 'tiny' (also in {first}:1)"
    ]


def test_file_over_the_size_limit(tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"# padding\n" * (MAX_FILE_BYTES // 10 + 1))
    assert [str(problem) for problem in check_file(path)] == [
        f"{path}:1: file is {MAX_FILE_BYTES + 10} bytes, over the {MAX_FILE_BYTES} byte limit for a routine"
    ]


def test_file_that_is_not_utf8_names_the_line_of_the_bad_byte(tmp_path):
    path = tmp_path / "latin1.yaml"
    latin1 = "Liegen Sie flach, Rücken.".encode("latin-1")
    path.write_bytes((DATA / "valid.yaml").read_bytes().replace(b"Lie face up.", latin1))
    assert [str(problem) for problem in check_file(path)] == [f"{path}:8: not UTF-8 text (byte 160 is 0xfc)"]


@pytest.mark.parametrize("content, expected", [
    (b"", "1: the file is empty; a routine needs id, title, description and exercises"),
    (b"# only a comment\n", "1: the file is empty; a routine needs id, title, description and exercises"),
    (b"[" * 200, "1: not valid YAML: nested deeper than 32 levels"),
    (b"id: tiny\ntitle: \x07bell\n", "2: not valid YAML: character U+0007 is not allowed"),
    (b"a: &a [1, 2]\nb: [*a, *a]\n", "2: not valid YAML: aliases (*a) are not supported; write the value out"),
    (b"just some text", "1: routine must be a mapping of keys, got text 'just some text'"),
])
def test_inputs_that_are_not_routines(tmp_path, content, expected):
    path = tmp_path / "odd.yaml"
    path.write_bytes(content)
    assert [str(problem) for problem in check_file(path)] == [f"{path}:{expected}"]


def test_missing_file_is_a_problem_not_a_traceback(tmp_path):
    path = tmp_path / "absent.yaml"
    assert [str(problem) for problem in check_file(path)] == [f"{path}:1: cannot read file: No such file or directory"]


def test_valid_file_loads_with_the_model_defaults():
    routine = load_routine(DATA / "valid.yaml")
    assert (routine.id, routine.path, routine.audience.value, routine.pain_threshold) == (
        "tiny", DATA / "valid.yaml", "self", 6
    )
    exercise = routine.exercise("reach")
    assert (exercise.setup, exercise.hold_s, exercise.reps, exercise.rest_s) == (("Lie face up.",), 5.0, 1, 10.0)


def test_problem_text_marks_warnings():
    assert str(Problem("a.yaml", 3, "bad")) == "a.yaml:3: bad"
    assert str(Problem("a.yaml", 3, "odd", Severity.WARNING)) == "a.yaml:3: warning: odd"
    assert Problem("a.yaml", 3, "odd", Severity.WARNING).severity == "warning"
