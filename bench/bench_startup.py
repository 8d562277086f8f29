"""Start-up time of a command that runs no flow, against the libraries it cannot do without.

    .venv/bin/python bench/bench_startup.py [--runs 15] [--json]

Measures, side by side and interleaved run by run (so that load from other jobs falls on
both alike), the wall time of

- the floor: ``python -c "import sqlmodel, typer, rich.table"``, what any command of a
  Typer + rich + SQLModel program pays before it does anything, and
- ``spreiding case list --as bzk`` on an initialised demo database (SQLite in a temporary
  folder), the console script as a user runs it,

and prints each median and the ratio of the medians (issue 9 asks for at most 1.3). One
warm-up run of each is not counted (it fills the OS file cache and writes the .pyc files).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
FLOOR = [sys.executable, "-c", "import sqlmodel, typer, rich.table"]
COMMAND = [str(BIN / "spreiding"), "case", "list", "--as", "bzk"]
LIMIT = 1.3


def _run(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def measure(runs: int) -> dict:
    """Median seconds of both commands over ``runs`` interleaved runs, and their ratio."""
    with tempfile.TemporaryDirectory(prefix="spreiding-bench-startup-") as folder:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SPREIDING_")}
        env.update(SPREIDING_DATA_DIR=folder, PREFECT_HOME=str(Path(folder) / "prefect"))
        subprocess.run(
            [str(BIN / "spreiding"), "init", "--demo"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        _run(FLOOR, env), _run(COMMAND, env)  # warm-up
        floor, command = [], []
        for _ in range(runs):
            floor.append(_run(FLOOR, env))
            command.append(_run(COMMAND, env))
    result = {
        "runs": runs,
        "floor_command": " ".join(["python", *FLOOR[1:2], repr(FLOOR[2])]),
        "command": " ".join(["spreiding", *COMMAND[1:]]),
        "floor_median_s": statistics.median(floor),
        "command_median_s": statistics.median(command),
    }
    result["ratio"] = result["command_median_s"] / result["floor_median_s"]
    return result


def main(argv: list[str] | None = None) -> None:
    """Measure and print a Markdown table row (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--json", action="store_true", help="Print the result as JSON.")
    args = parser.parse_args(argv)
    result = measure(args.runs)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print("| command | median (s) |")
    print("|---|--:|")
    print(f"| `{result['floor_command']}` | {result['floor_median_s']:.3f} |")
    print(f"| `{result['command']}` | {result['command_median_s']:.3f} |")
    verdict = "within" if result["ratio"] <= LIMIT else "ABOVE"
    print(f"\nratio {result['ratio']:.2f} ({verdict} the limit of {LIMIT}), {args.runs} runs each")


if __name__ == "__main__":
    main()
