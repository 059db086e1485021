"""The routine library: the bundled routines, and loading or checking any routine file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, Union

from voicecoach.errors import RoutineError, UsageError
from voicecoach.routine.loader import LoadResult, read_routine_file
from voicecoach.routine.model import Routine
from voicecoach.routine.problems import Problem, Severity

ROUTINES_ENV = "VOICECOACH_ROUTINES"
"""Names a folder to use instead of the bundled routines, e.g. a user's own collection."""

ROUTINE_SUFFIXES = (".yaml", ".yml")

PathLike = Union[str, "os.PathLike[str]"]


def routines_dir() -> Path:
    """The folder of bundled routines: `routines/` beside the package, unless the env var overrides."""
    override = os.environ.get(ROUTINES_ENV)
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "routines"


def routine_files(folder: Path) -> list[Path]:
    """The routine files in `folder`, sorted by name; none if it is missing."""
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.iterdir() if path.suffix in ROUTINE_SUFFIXES and path.is_file())


def load_routine(path: PathLike) -> Routine:
    """The routine in `path`, fully validated; `RoutineError` lists every error found."""
    result = read_routine_file(Path(path), str(path))
    if result.routine is None:
        errors = [problem for problem in result.problems if problem.severity is Severity.ERROR]
        raise RoutineError([str(problem) for problem in errors])
    return result.routine


def check_file(path: PathLike) -> list[Problem]:
    """Every problem in one file, errors and warnings, by line."""
    return list(read_routine_file(Path(path), str(path)).problems)


def check_files(paths: Iterable[PathLike]) -> list[Problem]:
    """Every problem in the files, plus routine ids used by more than one of them."""
    results = [read_routine_file(Path(path), str(path)) for path in paths]
    problems: list[Problem] = []
    first: dict[str, LoadResult] = {}
    for result in results:
        found = list(result.problems)
        if result.routine_id is not None and result.routine_id in first:
            earlier = first[result.routine_id]
            message = f"duplicate routine id {result.routine_id!r} (also in {earlier.path}:{earlier.id_line})"
            found.append(Problem(str(result.path), result.id_line, message))
        elif result.routine_id is not None:
            first[result.routine_id] = result
        problems.extend(sorted(found, key=lambda problem: problem.line))
    return problems


def bundled_routines() -> list[Routine]:
    """Every routine in `routines_dir()`, sorted by id; `RoutineError` if any is broken."""
    files = routine_files(routines_dir())
    errors = [str(problem) for problem in check_files(files) if problem.severity is Severity.ERROR]
    if errors:
        raise RoutineError(errors)
    return sorted((load_routine(path) for path in files), key=lambda routine: routine.id)


def resolve_routine(name_or_path: str) -> Routine:
    """A bundled routine by id, or the routine in a YAML file."""
    candidate = Path(name_or_path)
    if candidate.suffix in ROUTINE_SUFFIXES or os.sep in name_or_path or candidate.is_file():
        return load_routine(candidate)
    folder = routines_dir()
    # Bundled files are named after their ids, so the usual case loads one file, not all.
    named = folder / f"{name_or_path}.yaml"
    if named.is_file():
        routine = load_routine(named)
        if routine.id == name_or_path:
            return routine
    routines = bundled_routines()
    for routine in routines:
        if routine.id == name_or_path:
            return routine
    known = ", ".join(routine.id for routine in routines) or f"none (no routines in {folder})"
    raise UsageError(f"unknown routine {name_or_path!r}; known routines: {known}")
