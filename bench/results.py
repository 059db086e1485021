"""Benchmark tables, and writing one section of RESULTS.md without touching the others."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Sequence

RESULTS = Path(__file__).with_name("RESULTS.md")


def format_rows(rows: Sequence[Sequence[str]], header: Sequence[str] = ("measure", "result")) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def write_section(heading: str, text: str, path: Path = RESULTS) -> None:
    """Replace only the `## heading` section of RESULTS.md (adding it at the end if new)."""
    current = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    section = f"## {heading}\n\n{text.strip()}\n"
    pattern = re.compile(rf"^## {re.escape(heading)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(current):
        updated = pattern.sub(lambda _: section + "\n", current).rstrip() + "\n"
    else:
        updated = current.rstrip() + "\n\n" + section
    path.write_text(updated, encoding="utf-8")
