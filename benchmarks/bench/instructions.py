"""Instructions per request, counted by valgrind's callgrind around asgi_driver.py."""

from __future__ import annotations

import re
import subprocess

from bench.config import BENCH_DIR, LIST_PATH, LIVE_PATH, SetupError
from bench.console import log
from bench.servers import AppSpec

INSTRUCTION_PATHS = {"list": LIST_PATH, "live": LIVE_PATH}
COLLECTED = re.compile(r"Collected\s*:\s*(\d+)")


def collected_instructions(stderr: str) -> int | None:
    """The last "Collected : N" total callgrind wrote to stderr; None when it wrote none."""
    found = COLLECTED.findall(stderr)
    return int(found[-1]) if found else None


def callgrind_command(spec: AppSpec, path: str, count: int) -> list[str]:
    """asgi_driver.py in the app's venv under callgrind: 20 warm-up requests to each benchmarked
    path, then `count` to `path`."""
    warm_up = [other for other in INSTRUCTION_PATHS.values() if other != path]
    return [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        str(spec.uvicorn.parent / "python"),
        str(BENCH_DIR / "asgi_driver.py"),
        spec.target,
        str(count),
        path,
        *warm_up,
    ]


def callgrind_instructions(spec: AppSpec, token: str, path: str, count: int) -> int:
    """Instructions the app's process executes for its start-up, 20 warm-up requests to each
    benchmarked path and `count` requests to `path`, called in-process by asgi_driver.py under
    callgrind."""
    # PYTHONMALLOC=malloc: valgrind follows the system allocator, not pymalloc's arenas.
    env = {**spec.env, "BENCH_TOKEN": token, "PYTHONMALLOC": "malloc"}
    process = subprocess.run(
        callgrind_command(spec, path, count),
        cwd=spec.cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    total = collected_instructions(process.stderr)
    if process.returncode != 0 or total is None:
        raise SetupError(
            f"callgrind run of {spec.name} {path} x{count} failed "
            f"(exit {process.returncode}):\n{process.stderr[-2000:]}"
        )
    return total


def per_request(base: int, total: int, count: int) -> float:
    """Instructions of one request: the run with `count` requests less the run with none."""
    return (total - base) / count


def count_instructions(spec: AppSpec, token: str, count: int) -> dict[str, float]:
    """Instructions per request for each path: the runs with `count` requests less the run
    with none, over `count`. Deterministic to about 1 %, whatever else the machine does."""
    base = callgrind_instructions(spec, token, LIVE_PATH, 0)
    figures: dict[str, float] = {}
    for name, path in INSTRUCTION_PATHS.items():
        total = callgrind_instructions(spec, token, path, count)
        figures[name] = per_request(base, total, count)
    log(
        f"  {spec.name}: list {figures['list'] / 1e6:.2f} M, "
        f"liveness {figures['live'] / 1e6:.3f} M instructions per request"
    )
    return figures
