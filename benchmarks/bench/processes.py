"""Child processes: their environment, commands run to completion, package versions."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from bench.config import SetupError


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for child processes, without this benchmark's own venv in the way."""
    dropped = {
        "VIRTUAL_ENV",
        "UV_PROJECT_ENVIRONMENT",
        "PYTHONHOME",
        "BENCH_BOOTSTRAPPED",
        # As in the Dockerfile: bytecode is compiled once, not on every start.
        "PYTHONDONTWRITEBYTECODE",
    }
    env = {key: value for key, value in os.environ.items() if key not in dropped}
    env["UV_COMPILE_BYTECODE"] = "1"
    env.update(extra or {})
    return env


def run_command(
    command: Sequence[str],
    *,
    cwd: Path,
    env: dict[str, str],
    timeout: float,
    what: str,
) -> tuple[float, subprocess.CompletedProcess[str]]:
    """Run a command to completion; returns its wall time. Raises SetupError on failure."""
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
    except subprocess.TimeoutExpired as exc:
        raise SetupError(f"{what} took longer than {timeout:.0f} s") from exc
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-30:])
        raise SetupError(f"{what} failed (exit {result.returncode}):\n{tail}")
    return elapsed, result


def base_python() -> str:
    """This interpreter outside any virtual environment, for `uv sync --python`."""
    base = getattr(sys, "_base_executable", None)
    return str(base) if base else sys.executable


def package_version(python: Path, package: str) -> str:
    result = subprocess.run(
        [str(python), "-c", f"import importlib.metadata as m; print(m.version({package!r}))"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    return result.stdout.strip() or "?"
