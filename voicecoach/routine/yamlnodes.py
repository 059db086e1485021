"""Reading a routine file into YAML nodes that still know their line numbers, safely.

Only `yaml.SafeLoader`'s composer runs: nodes are built, nothing is constructed or executed, so a
hostile tag does nothing. Aliases are refused (a routine never needs them, and they are how
"billion laughs" files blow up), and nesting is capped before Python's recursion limit is reached.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from voicecoach.routine.problems import Report

MAX_FILE_BYTES = 1_000_000
"""A routine of several dozen exercises is about 20 kB; anything near a megabyte is not a routine,
and refusing it keeps the pure-Python parser's time and memory small."""

MAX_NESTING_DEPTH = 32
"""A routine nests about nine levels deep (routine, exercises, levels, phases, cues); the cap keeps
the recursive composer far from Python's recursion limit."""

TAG_PREFIX = "tag:yaml.org,2002:"
STR_TAG = TAG_PREFIX + "str"
INT_TAG = TAG_PREFIX + "int"
FLOAT_TAG = TAG_PREFIX + "float"
BOOL_TAG = TAG_PREFIX + "bool"
NULL_TAG = TAG_PREFIX + "null"
SEQ_TAG = TAG_PREFIX + "seq"
MAP_TAG = TAG_PREFIX + "map"

_KIND_BY_TAG = {
    STR_TAG: "text",
    INT_TAG: "a number",
    FLOAT_TAG: "a number",
    BOOL_TAG: "true/false",
    NULL_TAG: "nothing (null)",
    TAG_PREFIX + "timestamp": "a date",
}


class _GuardedLoader(yaml.SafeLoader):
    """SafeLoader whose composer refuses aliases and deep nesting."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Optional[Node], index: object) -> Optional[Node]:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            message = f"aliases (*{event.anchor}) are not supported; write the value out"
            raise yaml.composer.ComposerError(problem=message, problem_mark=event.start_mark)
        if self._depth >= MAX_NESTING_DEPTH:
            message = f"nested deeper than {MAX_NESTING_DEPTH} levels"
            raise yaml.composer.ComposerError(problem=message, problem_mark=self.peek_event().start_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def read_document(path: Path, report: Report) -> Optional[Node]:
    """The file's single YAML document as a node, or None after reporting why it cannot be read."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            report.error(1, f"file is {size} bytes, over the {MAX_FILE_BYTES} byte limit for a routine")
            return None
        data = path.read_bytes()
    except OSError as error:
        report.error(1, f"cannot read file: {error.strerror or error}")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        report.error(line, f"not UTF-8 text (byte {error.start} is 0x{data[error.start]:02x})")
        return None
    return compose(text, report)


def compose(text: str, report: Report, allow_empty: bool = False) -> Optional[Node]:
    """The single document in `text`; None after reporting why not, or for an empty text when
    `allow_empty` (a settings file of comments only is fine; a routine file is not)."""
    try:
        node = _compose(text)
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        report.error(line, f"not valid YAML: character U+{error.character:04X} is not allowed")
        return None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 1
        explanation = ", ".join(part for part in (error.context, error.problem) if part)
        report.error(line, f"not valid YAML: {explanation}")
        return None
    except yaml.YAMLError as error:
        report.error(1, f"not valid YAML: {error}")
        return None
    if node is None and not allow_empty:
        report.error(1, "the file is empty; a routine needs id, title, description and exercises")
    return node


def _compose(text: str) -> Optional[Node]:
    loader = _GuardedLoader(text)  # checks for unprintable characters, so may raise already
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def describe(node: Node) -> str:
    """What a node holds, in the words an error message uses: 'text', 'a list', ..."""
    if isinstance(node, MappingNode) and node.tag == MAP_TAG:
        return "a mapping"
    if isinstance(node, SequenceNode) and node.tag == SEQ_TAG:
        return "a list"
    if isinstance(node, ScalarNode) and node.tag in _KIND_BY_TAG:
        kind = _KIND_BY_TAG[node.tag]
        return kind if node.tag == NULL_TAG else f"{kind} {shorten(node.value)!r}"
    return f"a value tagged {shorten(node.tag.replace(TAG_PREFIX, '!!'))}"


SHOWN_VALUE_CHARS = 40
"""Characters of a value quoted in a message: enough to recognise it, short enough for one line."""


def shorten(value: str) -> str:
    return value if len(value) <= SHOWN_VALUE_CHARS else value[: SHOWN_VALUE_CHARS - 3] + "..."


def is_text(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == STR_TAG
