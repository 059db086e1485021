"""The bundled routines: all clean, faithful to the seed documents, and found by id."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from voicecoach.errors import UsageError
from voicecoach.routine.library import (
    bundled_routines, check_file, check_files, load_routine, resolve_routine, routine_files, routines_dir,
)
from voicecoach.routine.model import Audience, Sides

PROJECT = Path(__file__).resolve().parents[1]
SEEDS = ("000_a465804d0a70793e.txt", "001_5cd596bf7ea082c0.txt", "002_99cac061aba92d74.txt",
         "003_5c5c7ee564cdff66.txt", "004_27b3dfec25f933bb.txt")
STRAY_TEXT = ("viagra", "netflix", "youtube", "thoughts on", "chiropract", "doctor ekberg", "subscribe")
DATA = Path(__file__).parent / "data" / "routines"


def _bundled_files() -> list[Path]:
    return routine_files(PROJECT / "routines")


def _by_id() -> dict:
    return {routine.id: routine for routine in bundled_routines()}


def test_routines_dir_is_beside_the_package_unless_overridden(monkeypatch, tmp_path):
    monkeypatch.delenv("VOICECOACH_ROUTINES", raising=False)
    assert routines_dir() == PROJECT / "routines"
    monkeypatch.setenv("VOICECOACH_ROUTINES", str(tmp_path))
    assert routines_dir() == tmp_path


@pytest.mark.parametrize("path", _bundled_files(), ids=lambda path: path.name)
def test_bundled_routine_checks_clean_and_is_named_after_its_id(path):
    assert [str(problem) for problem in check_file(path)] == []
    assert load_routine(path).id == path.stem


def test_bundled_routines_have_unique_ids_and_come_sorted():
    assert check_files(_bundled_files()) == []
    ids = [routine.id for routine in bundled_routines()]
    assert ids == ["assisted-psoas-stretch", "back-and-hip-strength", "hip-flexor-stretches", "psoas-basics",
                   "psoas-release"]


def test_every_seed_document_is_cited_and_listed_in_its_routines_sources():
    cited = set()
    for routine in bundled_routines():
        for exercise in routine.exercises:
            assert exercise.source in routine.sources, (routine.id, exercise.id)
            cited.add(exercise.source)
    assert cited == set(SEEDS)


def test_every_seed_exercise_is_in_some_routine():
    exercise_ids = {exercise.id for routine in bundled_routines() for exercise in routine.exercises}
    assert exercise_ids >= {
        "couch-psoas-stretch",                                   # 000
        "assisted-psoas-stretch",                                # 001
        "kneeling-lunge-stretch", "supine-psoas-stretch", "pigeon-pose", "butterfly-stretch",  # 002
        "flatten-lower-spine", "psoas-release",                  # 003
        "cobra", "kneeling-hip-stretch", "glute-bridge",         # 004
    }


def test_no_stray_text_from_the_source_pages():
    for path in _bundled_files():
        text = path.read_text(encoding="utf-8").lower()
        assert [word for word in STRAY_TEXT if word in text] == [], path.name


def test_source_numbers_are_kept():
    routines = _by_id()
    couch = routines["psoas-basics"].exercise("couch-psoas-stretch")
    assert couch.sides is Sides.STIFFER_FIRST_AND_LAST
    assert [(phase.name, phase.hold_s) for phase in couch.phases] == [
        ("stretch", 15), ("contract", 10), ("relax and stretch further", 15)
    ]
    assert [phase.hold_s for phase in couch.variant(0).phases] == [10]  # the low end of "10 to 15 seconds"
    for exercise in routines["hip-flexor-stretches"].exercises:
        assert {exercise.variant(index).hold_s for index in range(exercise.level_count)} == {20, 30}
    assisted = routines["assisted-psoas-stretch"]
    assert (assisted.audience, assisted.pain_threshold) == (Audience.CAREGIVER, 6)
    assert assisted.exercises[0].phases[0].hold_s == 10
    release = routines["psoas-release"].exercise("psoas-release")
    assert [level.name for level in release.levels] == ["small lift", "bent leg, more range", "straighter leg"]
    assert routines["back-and-hip-strength"].exercise("kneeling-hip-stretch").phases[0].hold_s == 10


def test_caregiver_cues_speak_to_the_helper():
    exercise = _by_id()["assisted-psoas-stretch"].exercises[0]
    spoken = " ".join(exercise.setup + tuple(text for phase in exercise.phases for text in phase.say))
    assert "them" in spoken and not re.search(r"\byour (leg|knee|hip)\b", spoken)


def test_psoas_basics_is_a_session_of_several_minutes():
    minutes = _by_id()["psoas-basics"].estimated_seconds() / 60
    assert 5 <= minutes <= 12


def test_resolve_by_id_and_by_path():
    assert resolve_routine("psoas-basics").id == "psoas-basics"
    assert resolve_routine(str(DATA / "valid.yaml")).id == "tiny"


def test_resolve_unknown_id_lists_the_known_ones():
    with pytest.raises(UsageError) as raised:
        resolve_routine("psoas-extreme")
    assert str(raised.value) == (
        "unknown routine 'psoas-extreme'; known routines: assisted-psoas-stretch, back-and-hip-strength, "
        "hip-flexor-stretches, psoas-basics, psoas-release"
    )
    assert raised.value.exit_code == 2


def test_resolve_finds_an_id_whose_file_has_another_name(monkeypatch, tmp_path):
    (tmp_path / "mine.yaml").write_text((DATA / "valid.yaml").read_text())
    monkeypatch.setenv("VOICECOACH_ROUTINES", str(tmp_path))
    assert resolve_routine("tiny").path == tmp_path / "mine.yaml"


def test_readme_example_checks_clean(tmp_path):
    readme = (PROJECT / "routines" / "README.md").read_text(encoding="utf-8")
    example = readme.split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "example.yaml"
    path.write_text(example)
    assert [str(problem) for problem in check_file(path)] == []
    assert load_routine(path).exercises[0].default_level_index == 1
