#!/usr/bin/env python3
"""Benchmark the baked default project against a framework-free reference app.

    uv run --project benchmarks benchmarks/run.py [--quick] [flags]

(`python3 benchmarks/run.py` works too: without its dependencies it re-runs itself through
`uv run --project benchmarks`.) See benchmarks/README.md for what each figure means; the code
is the package beside this file, `bench/` (its `__init__` lists the modules).

What it does, in order, all on loopback and in bounded time:
  1. bakes the default project with cookiecutter into a temporary directory, installs it with
     `uv sync` on this interpreter, creates a uniquely named PostgreSQL database and runs
     `alembic upgrade head` in the bake;
  2. registers one user through the baked API, logs in for an access token, and seeds that
     user's items with one `INSERT ... SELECT generate_series`;
  3. for each round, starts the baked app, the framework floor (benchmarks/fastapi_floor_app.py:
     the reference's endpoints in a bare FastAPI app) and the reference app
     (benchmarks/reference_app.py) with the same uvicorn settings, one at a time, and measures
     start-up, RSS and wrk load;
  4. with --instructions, counts the instructions of one request in each app under callgrind
     (benchmarks/asgi_driver.py); runs the baked project's own test suite (and, with
     --template-suite, the template's);
  5. prints the medians with baked/reference and fastapi/reference ratios and the issue's
     targets;
  6. stops everything, drops the database and removes the temporary files, also on failure
     or Ctrl-C.

Exit status: 0 when every load ran without an error response, 1 when wrk reported a non-2xx
response or a socket error (or a server died under load), 2 when the setup failed, 3 when the
baked test suite failed.
"""

from __future__ import annotations

import importlib
import os
import shutil
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
# What the benchmark needs beyond the standard library (benchmarks/pyproject.toml).
DEPENDENCIES = ("asyncpg", "cookiecutter", "jwt", "orjson", "starlette", "uvicorn")


def _bootstrap() -> None:
    """Re-run under `uv run --project benchmarks` when the benchmark's dependencies are missing."""
    try:
        for module in DEPENDENCIES:
            importlib.import_module(module)
    except ImportError:
        if os.environ.get("BENCH_BOOTSTRAPPED"):
            raise
        uv = shutil.which("uv")
        if uv is None:
            sys.exit("run.py needs its dependencies: install uv (`pip install uv`) and retry.")
        env = {**os.environ, "BENCH_BOOTSTRAPPED": "1"}
        command = [uv, "run", "--project", str(BENCH_DIR), "python", __file__, *sys.argv[1:]]
        os.execvpe(uv, command, env)


if __name__ == "__main__":
    _bootstrap()
    # Run as a script, this file's directory is first on sys.path: the package is beside it.
    from bench.cli import main

    sys.exit(main())
