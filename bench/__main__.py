"""`python -m bench [NAME] [ARGS...]`: run one benchmark by name, or all of them."""

from __future__ import annotations

import importlib
import sys

BENCHMARKS = {"speech": "bench.speech", "recognition": "bench.recognition", "bargein": "bench.bargein", "soak": "bench.soak", "idle": "bench.idle"}
"""Name -> module exposing `main(argv) -> int`."""


def main(argv: list[str]) -> int:
    if argv and argv[0] in BENCHMARKS:
        return importlib.import_module(BENCHMARKS[argv[0]]).main(argv[1:])
    if argv:
        print(f"unknown benchmark {argv[0]!r}; choose from {', '.join(BENCHMARKS)}", file=sys.stderr)
        return 2
    return max(importlib.import_module(module).main([]) for module in BENCHMARKS.values())


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
