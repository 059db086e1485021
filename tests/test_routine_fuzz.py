"""Whatever is in a routine file, the loader answers with a routine or with PATH:LINE problems."""

from __future__ import annotations

import copy
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from voicecoach.errors import RoutineError
from voicecoach.routine.library import check_file, load_routine
from voicecoach.routine.model import Routine

PROJECT = Path(__file__).resolve().parents[1]
SEED_ROUTINES = sorted((PROJECT / "routines").glob("*.yaml"))
WORKDIR = Path(tempfile.mkdtemp(prefix="voicecoach-fuzz-"))
FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "150")), deadline=None, suppress_health_check=[HealthCheck.too_slow])

ODD_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**30, max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
    st.sampled_from(["next", "stop", "lie on your back", "both", "up", "stiffer_first_and_last", "", "0x1F",
                     "1:30", "2001-01-01", "~", ".nan", "-5", "601"]),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def _containers(tree: Any) -> list[Any]:
    found = []
    if isinstance(tree, (dict, list)):
        found.append(tree)
        for child in tree.values() if isinstance(tree, dict) else tree:
            found.extend(_containers(child))
    return found


def _mutate(data: st.DataObject, tree: Any) -> None:
    target = data.draw(st.sampled_from(_containers(tree)))
    if not target:
        if isinstance(target, dict):
            target[data.draw(st.text(max_size=8))] = data.draw(ODD_VALUES)
        else:
            target.append(data.draw(ODD_VALUES))
        return
    keys = list(target.keys()) if isinstance(target, dict) else list(range(len(target)))
    key = data.draw(st.sampled_from(keys))
    action = data.draw(st.sampled_from(["delete", "duplicate", "rename", "replace", "wrap"]))
    if action == "delete":
        del target[key]
    elif action == "duplicate" and isinstance(target, list):
        target.insert(key, copy.deepcopy(target[key]))
    elif action in ("duplicate", "rename") and isinstance(target, dict):
        new_key = data.draw(st.one_of(st.text(max_size=12), st.just(key + "s"), st.just(key[:-1])))
        target[new_key] = target.pop(key) if action == "rename" else copy.deepcopy(target[key])
    elif action == "wrap":
        target[key] = [target[key]]
    else:
        target[key] = data.draw(ODD_VALUES)


def _assert_loads_or_reports(path: Path) -> None:
    pattern = re.compile(rf"^{re.escape(str(path))}:\d+: ")
    for problem in check_file(path):
        assert pattern.match(str(problem)), str(problem)
    try:
        routine = load_routine(path)
    except RoutineError as error:
        assert error.problems
        for line in error.problems:
            assert pattern.match(line), line
    else:
        assert isinstance(routine, Routine)


@FUZZ
@given(data=st.data(), seed=st.sampled_from(SEED_ROUTINES), mutations=st.integers(min_value=1, max_value=4))
def test_mutated_routines_never_crash_the_loader(data, seed, mutations):
    tree = yaml.safe_load(seed.read_text(encoding="utf-8"))
    for _ in range(mutations):
        if not _containers(tree):
            break
        _mutate(data, tree)
    path = WORKDIR / "mutated.yaml"
    path.write_text(yaml.safe_dump(tree, allow_unicode=True, sort_keys=False), encoding="utf-8")
    _assert_loads_or_reports(path)


@FUZZ
@given(data=st.data(), seed=st.sampled_from(SEED_ROUTINES))
def test_text_edits_never_crash_the_loader(data, seed):
    text = seed.read_bytes()
    start = data.draw(st.integers(min_value=0, max_value=len(text)))
    length = data.draw(st.integers(min_value=0, max_value=40))
    insert = data.draw(st.one_of(
        st.binary(max_size=20), st.sampled_from([b"&a ", b"*a", b"!!python/name:os.system ", b"{", b"]", b"\t",
                                                  b"- ", b": ", b"\n  ", b"---\n", b"\xff", b"<<: "]),
    ))
    path = WORKDIR / "edited.yaml"
    path.write_bytes(text[:start] + insert + text[start + length:])
    _assert_loads_or_reports(path)


@FUZZ
@given(content=st.binary(max_size=300))
def test_random_bytes_never_crash_the_loader(content):
    path = WORKDIR / "random.yaml"
    path.write_bytes(content)
    _assert_loads_or_reports(path)


@FUZZ
@given(content=st.text(alphabet=st.sampled_from(list("[]{}-:,&*!|>'\"#\n ab1")), max_size=200))
def test_yaml_punctuation_soup_never_crashes_the_loader(content):
    path = WORKDIR / "soup.yaml"
    path.write_text(content, encoding="utf-8")
    _assert_loads_or_reports(path)
