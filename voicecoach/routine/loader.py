"""Builds a `Routine` from a YAML file, checking everything a session relies on.

Every problem is collected, not only the first, so one `voicecoach check` shows them all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from yaml.nodes import MappingNode, Node

from voicecoach.routine.fields import MappingReader
from voicecoach.routine.model import Audience, CountDirection, Exercise, Level, Phase, Routine, Sides
from voicecoach.routine.problems import Problem, Report, line_of
from voicecoach.routine.yamlnodes import is_text, read_document, shorten

MAX_DURATION_S = 600.0
"""Seconds: no source holds or rests for more than a minute; ten minutes is surely a typo."""

MAX_REPS = 100
"""Holds per side: the sources ask for a few; a hundred means a typo."""

PAIN_SCALE = (0, 10)
"""The 0 to 10 scale the person rates pain on."""

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
"""Ids are typed on the command line, so lower-case words joined by hyphens."""

ROUTINE_KEYS = ("id", "title", "description", "audience", "safety", "pain_threshold", "warm_up", "tips",
                "sources", "exercises")
EXERCISE_KEYS = ("id", "name", "source", "setup", "form", "breathing", "cue_every_s", "hold_s", "reps",
                 "rest_s", "count", "sides", "cautions", "phases", "levels", "default_level")
LEVEL_KEYS = ("name", "description", "hold_s", "reps", "rest_s", "setup", "form", "phases")
PHASE_KEYS = ("name", "hold_s", "say", "breathing", "count")


@dataclass(frozen=True)
class LoadResult:
    """One file checked: the routine if it had no errors, and every problem found."""

    path: Path
    routine: Optional[Routine]
    problems: tuple[Problem, ...]
    routine_id: Optional[str]
    id_line: int
    """1-based line of the routine's id, for cross-file duplicate reports."""


def read_routine_file(path: Path, shown_as: Optional[str] = None) -> LoadResult:
    """Reads and checks `path`; problems name it as `shown_as` (default: the path as given)."""
    report = Report(shown_as if shown_as is not None else str(path))
    node = read_document(path, report)
    routine, routine_id, id_line = (None, None, 1) if node is None else _routine(node, path, report)
    routine = None if report.has_errors else routine
    return LoadResult(path, routine, tuple(report.sorted()), routine_id, id_line)


def _present(values: dict[str, object]) -> dict[str, object]:
    """The values that were given and valid; the rest fall back to the model's defaults."""
    return {key: value for key, value in values.items() if value is not None}


def _named(node: Node, kind: str, name_key: str) -> str:
    """How messages name a mapping: "exercise 'couch'" when it has a readable name, else "exercise"."""
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            if is_text(key_node) and key_node.value == name_key and is_text(value_node):
                return f"{kind} {shorten(value_node.value)!r}"
    return kind


def _identifier(reader: MappingReader, what: str) -> Optional[str]:
    value = reader.text("id", spoken=False)
    if value is not None and not ID_PATTERN.match(value):
        message = f"{what} id {value!r} must be lower-case words joined by hyphens"
        reader.report.error(reader.values["id"], message)
        return None
    return value


def _routine(node: Node, path: Path, report: Report) -> tuple[Optional[Routine], Optional[str], int]:
    reader = MappingReader(node, "routine", ROUTINE_KEYS, ("id", "title", "description", "exercises"), report)
    if not reader.ok:
        return None, None, line_of(node)
    routine_id = _identifier(reader, "routine")
    id_line = line_of(reader.values.get("id", node))
    title, description = reader.text("title"), reader.text("description")
    pain_threshold = reader.whole("pain_threshold", *PAIN_SCALE)
    sources = reader.texts("sources", spoken=False) or ()
    exercises = _exercises(reader, report)
    for exercise, source_node in exercises:
        if exercise is not None and sources and exercise.source not in sources:
            report.warning(source_node, f"source {exercise.source!r} is not listed in the routine's sources")
    fields = dict(
        audience=reader.choice("audience", Audience),
        safety=reader.texts("safety"),
        pain_threshold=pain_threshold,
        warm_up=reader.text("warm_up"),
        tips=reader.texts("tips"),
        sources=sources,
    )
    if report.has_errors or routine_id is None or title is None or description is None:
        return None, routine_id, id_line
    routine = Routine(
        id=routine_id, title=title, description=description,
        exercises=tuple(exercise for exercise, _ in exercises if exercise is not None),
        path=path, **_present(fields),
    )
    return routine, routine_id, id_line


def _exercises(reader: MappingReader, report: Report) -> list[tuple[Optional[Exercise], Node]]:
    items = reader.items("exercises")
    if items is None:
        return []
    if not items:
        report.error(reader.values["exercises"], "the routine has no exercises")
    built: list[tuple[Optional[Exercise], Node]] = []
    first_line: dict[str, int] = {}
    for item in items:
        exercise, id_node, source_node = _exercise(item, report)
        built.append((exercise, source_node))
        if id_node is None:
            continue
        exercise_id = id_node.value
        if exercise_id in first_line:
            message = f"duplicate exercise id {exercise_id!r} (first at line {first_line[exercise_id]})"
            report.error(id_node, message)
        else:
            first_line[exercise_id] = line_of(id_node)
    return built


def _exercise(node: Node, report: Report) -> tuple[Optional[Exercise], Optional[Node], Node]:
    what = _named(node, "exercise", "id")
    reader = MappingReader(node, what, EXERCISE_KEYS, ("id", "name", "source", "setup", "hold_s"), report)
    if not reader.ok:
        return None, None, node
    exercise_id = _identifier(reader, "exercise")
    required = dict(
        id=exercise_id,
        name=reader.text("name"),
        source=reader.text("source", spoken=False),
        setup=_cues(reader, "setup"),
        hold_s=reader.seconds("hold_s", 0, MAX_DURATION_S, allow_low=False),
    )
    optional = dict(
        reps=reader.whole("reps", 1, MAX_REPS),
        rest_s=reader.seconds("rest_s", 0, MAX_DURATION_S, allow_low=True),
        form=reader.texts("form"),
        breathing=reader.texts("breathing"),
        cue_every_s=reader.seconds("cue_every_s", 0, MAX_DURATION_S, allow_low=False),
        cautions=reader.texts("cautions"),
        count=reader.choice("count", CountDirection),
        sides=reader.choice("sides", Sides),
        phases=_phases(reader, report),
        levels=_levels(reader, report),
        default_level=reader.text("default_level", spoken=False),
    )
    _check_default_level(reader, optional["levels"], optional["default_level"])
    id_node = reader.values.get("id") if exercise_id is not None else None
    source_node = reader.values.get("source", node)
    if any(value is None for value in required.values()):
        return None, id_node, source_node
    return Exercise(**required, **_present(optional)), id_node, source_node  # type: ignore[arg-type]


def _cues(reader: MappingReader, key: str) -> Optional[tuple[str, ...]]:
    """Cues that must not be empty when given: the person needs them to get into position."""
    cues = reader.texts(key)
    if cues is not None and not cues:
        reader.report.error(reader.values[key], f"{key} of {reader.what} has no cues")
        return None
    return cues


def _check_default_level(
    reader: MappingReader, levels: Optional[tuple[Level, ...]], name: Optional[str]
) -> None:
    if name is None or (levels is None and reader.has("levels")):
        return  # a broken levels list was already reported
    names = [level.name for level in levels or ()]
    if name not in names:
        known = f"; its levels are {', '.join(names)}" if names else "; it has no levels"
        reader.report.error(
            reader.values["default_level"], f"default_level {name!r} is not a level of {reader.what}{known}"
        )


def _levels(reader: MappingReader, report: Report) -> Optional[tuple[Level, ...]]:
    items = reader.items("levels")
    if items is None:
        return None
    levels: list[Optional[Level]] = []
    first_line: dict[str, int] = {}
    for item in items:
        what = _named(item, "level", "name")
        level_reader = MappingReader(item, what, LEVEL_KEYS, ("name", "description"), report)
        if not level_reader.ok:
            levels.append(None)
            continue
        name = level_reader.text("name")
        if name is not None and name in first_line:
            message = f"duplicate level name {name!r} (first at line {first_line[name]})"
            report.error(level_reader.values["name"], message)
        elif name is not None:
            first_line[name] = line_of(level_reader.values["name"])
        fields = dict(
            description=level_reader.text("description"),
            hold_s=level_reader.seconds("hold_s", 0, MAX_DURATION_S, allow_low=False),
            reps=level_reader.whole("reps", 1, MAX_REPS),
            rest_s=level_reader.seconds("rest_s", 0, MAX_DURATION_S, allow_low=True),
            setup=_cues(level_reader, "setup"),
            form=level_reader.texts("form"),
            phases=_phases(level_reader, report),
        )
        if name is None or fields["description"] is None:
            levels.append(None)
            continue
        levels.append(Level(name=name, **fields))  # type: ignore[arg-type]
    return None if any(level is None for level in levels) else tuple(levels)  # type: ignore[arg-type]


def _phases(reader: MappingReader, report: Report) -> Optional[tuple[Phase, ...]]:
    items = reader.items("phases")
    if items is None:
        return None
    phases: list[Optional[Phase]] = []
    for item in items:
        what = _named(item, "phase", "name")
        phase_reader = MappingReader(item, what, PHASE_KEYS, ("name", "hold_s"), report)
        if not phase_reader.ok:
            phases.append(None)
            continue
        name = phase_reader.text("name")
        hold_s = phase_reader.seconds("hold_s", 0, MAX_DURATION_S, allow_low=False)
        say, breathing = phase_reader.texts("say"), phase_reader.texts("breathing")
        count = phase_reader.flag("count")
        if name is None or hold_s is None:
            phases.append(None)
            continue
        extra = _present(dict(say=say, breathing=breathing, count=count))
        phases.append(Phase(name=name, hold_s=hold_s, **extra))  # type: ignore[arg-type]
    return None if any(phase is None for phase in phases) else tuple(phases)  # type: ignore[arg-type]
