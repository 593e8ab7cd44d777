"""What every part of the benchmark shares: paths, addresses, app names, the run's settings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent.parent
REPO_ROOT = BENCH_DIR.parent
REFERENCE_MODULE = "reference_app"
FLOOR_MODULE = "fastapi_floor_app"

PG_HOST = "127.0.0.1"
PG_PORT = 5432
PG_USER = "postgres"
LIST_PATH = "/api/v1/items?limit=20"
LIVE_PATH = "/health/live"
# Measured in this order in every round; "fastapi" is the framework floor (fastapi_floor_app.py).
APPS = ("baked", "fastapi", "reference")


class SetupError(Exception):
    """The benchmark could not get to the point of measuring."""


@dataclass
class Config:
    rounds: int
    duration: float
    sweep_duration: float
    warmup: float
    sweep: list[int]
    threads: int
    wrk_timeout: float
    wait_quiet: float
    items: int
    suite_runs: int
    template_suite: bool
    keep: bool
    json_path: Path | None
    profile_dir: Path | None
    profile_seconds: float
    instructions: int
