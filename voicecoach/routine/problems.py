"""Problems found while checking a routine file: errors stop it loading, warnings do not."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Optional

from yaml.nodes import Node


class Severity(str, enum.Enum):
    ERROR = "error"
    """The routine cannot be loaded."""
    WARNING = "warning"
    """The routine loads, but should be fixed."""


@dataclass(frozen=True)
class Problem:
    path: str
    """The file as the user named it."""
    line: int
    """1-based line of the offending key or value."""
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        prefix = "warning: " if self.severity is Severity.WARNING else ""
        return f"{self.path}:{self.line}: {prefix}{self.message}"


def line_of(node: Optional[Node]) -> int:
    """1-based line where `node` starts; line 1 when there is no node (an empty file)."""
    return node.start_mark.line + 1 if node is not None else 1


class Report:
    """Collects the problems of one file while it is read."""

    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []

    def error(self, where: "Node | int | None", message: str) -> None:
        self._add(where, message, Severity.ERROR)

    def warning(self, where: "Node | int | None", message: str) -> None:
        self._add(where, message, Severity.WARNING)

    @property
    def has_errors(self) -> bool:
        return any(problem.severity is Severity.ERROR for problem in self.problems)

    def sorted(self) -> list[Problem]:
        return sorted(self.problems, key=lambda problem: problem.line)

    def _add(self, where: "Node | int | None", message: str, severity: Severity) -> None:
        line = where if isinstance(where, int) else line_of(where)
        self.problems.append(Problem(self.path, line, message, severity))
