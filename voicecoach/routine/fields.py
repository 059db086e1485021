"""Typed reading of one YAML mapping, reporting every problem at the line of its key or value.

Each getter returns None when the key is absent or its value is wrong; the problem is already in
the report, so the builder only has to carry on and collect the rest.
"""

from __future__ import annotations

import difflib
import enum
import math
from typing import Optional, Sequence, TypeVar

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from voicecoach.routine.problems import Report
from voicecoach.routine.spoken import command_warning
from voicecoach.routine.yamlnodes import (
    BOOL_TAG, FLOAT_TAG, INT_TAG, describe, is_text, shorten,
)

E = TypeVar("E", bound=enum.Enum)

SUGGESTION_CUTOFF = 0.6
"""difflib similarity above which a key is probably a typo of a known one (difflib's own default)."""

_CONSTRUCTOR = yaml.constructor.SafeConstructor()
"""Turns number and true/false scalars into values with YAML's own rules; it never sees other tags."""


def did_you_mean(word: str, known: Sequence[str]) -> str:
    matches = difflib.get_close_matches(word, known, n=1, cutoff=SUGGESTION_CUTOFF)
    return f"; did you mean {matches[0]!r}?" if matches else ""


class MappingReader:
    def __init__(
        self, node: Node, what: str, allowed: Sequence[str], required: Sequence[str], report: Report
    ):
        """`what` names the mapping in messages, e.g. "exercise 'couch'"."""
        self.node = node
        self.what = what
        self.report = report
        self.values: dict[str, Node] = {}
        self.key_nodes: dict[str, Node] = {}
        self.ok = isinstance(node, MappingNode)
        if not self.ok:
            report.error(node, f"{what} must be a mapping of keys, got {describe(node)}")
            return
        for key_node, value_node in node.value:
            if not is_text(key_node):
                report.error(key_node, f"keys in {what} must be text, got {describe(key_node)}")
                continue
            key = key_node.value
            if key in self.key_nodes:
                first = self.key_nodes[key].start_mark.line + 1
                report.error(key_node, f"duplicate key {key!r} in {what} (first at line {first})")
            elif key not in allowed:
                report.error(key_node, f"unknown key {key!r} in {what}{did_you_mean(key, allowed)}")
            else:
                self.key_nodes[key] = key_node
                self.values[key] = value_node
        for key in required:
            if key not in self.values and key not in self.key_nodes:
                report.error(node, f"missing required key {key!r} in {what}")

    def has(self, key: str) -> bool:
        return key in self.values

    def text(self, key: str, spoken: bool = True) -> Optional[str]:
        node = self.values.get(key)
        return None if node is None else self._text(key, node, spoken)

    def texts(self, key: str, spoken: bool = True) -> Optional[tuple[str, ...]]:
        """A list of texts; a single text is accepted as a list of one."""
        node = self.values.get(key)
        if node is None:
            return None
        if is_text(node):
            single = self._text(key, node, spoken)
            return None if single is None else (single,)
        if not isinstance(node, SequenceNode):
            self.report.error(node, f"{key} must be text or a list of texts, got {describe(node)}")
            return None
        items = [self._text(key, item, spoken) for item in node.value]
        return None if any(item is None for item in items) else tuple(items)  # type: ignore[misc]

    def seconds(self, key: str, low: float, high: float, allow_low: bool) -> Optional[float]:
        """Seconds from `low` (included only if `allow_low`) to `high`."""
        value = self._number(key, (INT_TAG, FLOAT_TAG), "a number of seconds")
        if value is None:
            return None
        too_low = value < low or (value == low and not allow_low)
        if too_low or value > high:
            bound = "at least" if allow_low else "more than"
            shown = shorten(self.values[key].value)
            self.report.error(
                self.values[key], f"{key} must be {bound} {low:g} and at most {high:g} seconds, got {shown}"
            )
            return None
        return float(value)

    def whole(self, key: str, low: int, high: int) -> Optional[int]:
        value = self._number(key, (INT_TAG,), "a whole number")
        if value is None:
            return None
        if not low <= value <= high:
            shown = shorten(self.values[key].value)
            message = f"{key} must be a whole number from {low} to {high}, got {shown}"
            self.report.error(self.values[key], message)
            return None
        return int(value)

    def flag(self, key: str) -> Optional[bool]:
        node = self.values.get(key)
        if node is None:
            return None
        if not (isinstance(node, ScalarNode) and node.tag == BOOL_TAG):
            self.report.error(node, f"{key} must be true or false, got {describe(node)}")
            return None
        return bool(_CONSTRUCTOR.construct_yaml_bool(node))

    def choice(self, key: str, options: type[E]) -> Optional[E]:
        node = self.values.get(key)
        if node is None:
            return None
        names = [option.value for option in options]
        if is_text(node) and node.value in names:
            return options(node.value)
        hint = did_you_mean(node.value, names) if is_text(node) else ""
        self.report.error(node, f"{key} must be one of {', '.join(names)}; got {describe(node)}{hint}")
        return None

    def items(self, key: str) -> Optional[list[Node]]:
        """The entries of a list (each checked by the caller), or None if absent or not a list."""
        node = self.values.get(key)
        if node is None:
            return None
        if not isinstance(node, SequenceNode):
            self.report.error(node, f"{key} must be a list, got {describe(node)}")
            return None
        return list(node.value)

    def _text(self, key: str, node: Node, spoken: bool) -> Optional[str]:
        if not is_text(node):
            self.report.error(node, f"{key} must be text, got {describe(node)}")
            return None
        value = " ".join(node.value.split())
        if not value:
            self.report.error(node, f"{key} must not be empty")
            return None
        warning = command_warning(value) if spoken else ""
        if warning:
            self.report.warning(node, warning)
        return value

    def _number(self, key: str, tags: tuple[str, ...], expected: str) -> Optional[float]:
        node = self.values.get(key)
        if node is None:
            return None
        if not (isinstance(node, ScalarNode) and node.tag in tags):
            self.report.error(node, f"{key} must be {expected}, got {describe(node)}")
            return None
        build = _CONSTRUCTOR.construct_yaml_int if node.tag == INT_TAG else _CONSTRUCTOR.construct_yaml_float
        try:
            value = build(node)
        except (ValueError, OverflowError, yaml.YAMLError):
            value = math.nan
        if isinstance(value, float) and not math.isfinite(value):
            self.report.error(node, f"{key} must be a finite number, got {shorten(node.value)!r}")
            return None
        return value
