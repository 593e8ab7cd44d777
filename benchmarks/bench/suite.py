"""Test suites timed: the baked project's (and, when asked, the template's), and pytest's
summary line read for the counts."""

from __future__ import annotations

import re
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TypedDict

SUMMARY_COUNT = re.compile(r"(\d+) (passed|failed|errors?|skipped|deselected|xfailed|xpassed)")


class SuiteResult(TypedDict):
    """Runs of one suite: the wall time of each finished run, the last counts, the failures."""

    walls: list[float]
    counts: dict[str, int]
    failures: list[str]


def parse_pytest_counts(output: str) -> dict[str, int]:
    """The counts on pytest's summary line ("175 passed, 34 deselected in 9.87s"), read from the
    last line that has any with "passed", "failed" or "error" in it; "errors" counts as
    "error". Empty when there is no such line."""
    counts: dict[str, int] = {}
    for line in reversed(output.strip().splitlines()):
        found = SUMMARY_COUNT.findall(line)
        if found and ("passed" in line or "failed" in line or "error" in line):
            for number, word in found:
                counts["error" if word.startswith("error") else word] = int(number)
            break
    return counts


def run_suite(
    command: Sequence[str], cwd: Path, env: dict[str, str], runs: int, timeout: float
) -> SuiteResult:
    """Run a pytest suite `runs` times; wall times, counts and failures."""
    walls: list[float] = []
    counts: dict[str, int] = {}
    failures: list[str] = []
    for index in range(runs):
        started = time.perf_counter()
        try:
            result = subprocess.run(
                list(command),
                cwd=cwd,
                env=env,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            failures.append(f"run {index + 1}: timed out after {timeout:.0f} s")
            continue
        walls.append(time.perf_counter() - started)
        output = result.stdout + result.stderr
        counts = parse_pytest_counts(output)
        if result.returncode != 0:
            tail = "\n".join(output.strip().splitlines()[-25:])
            failures.append(f"run {index + 1}: exit {result.returncode}\n{tail}")
    return {"walls": walls, "counts": counts, "failures": failures}
