"""Run each bake's own checks in a fresh environment of its own, as its developers would.

Per variant: `uv sync` once (its declared dependencies only, the interpreter running this
suite, a uv cache shared across bakes), then ruff, ruff format, mypy, the Alembic round trip
and its own pytest suite. PostgreSQL bakes get a database made for each test and dropped
after it. Full output of every command is kept in .bakes/logs/.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from bakes import Bakery
from expectations import CHECKS, STATIC_STEPS, answers_for
from harness import CommandResult, PostgresServer, bake_environment, run, uv_binary

STATIC_COMMANDS: dict[str, tuple[str, ...]] = {
    "ruff-check": ("ruff", "check", "."),
    "ruff-format": ("ruff", "format", "--check", "."),
    "mypy": ("mypy",),
}
ALEMBIC_ROUND_TRIP: tuple[tuple[str, ...], ...] = (
    ("alembic", "upgrade", "head"),
    ("alembic", "downgrade", "base"),
    ("alembic", "upgrade", "head"),
    ("alembic", "check"),
)


def variants_running(step: str) -> list[str]:
    return [variant for variant, steps in CHECKS.items() if step in steps]


@dataclass
class Workspace:
    variant: str
    project: Path
    sync: CommandResult

    def uv_run(self, step: str, args: tuple[str, ...], env: dict[str, str]) -> CommandResult:
        """`uv run --no-sync <args>` in the bake: its own .venv, never a re-sync."""
        name = f"{self.variant}-{step}-{'-'.join(args[:2])}".replace("/", "_")
        return run(
            [uv_binary(), "run", "--no-sync", *args],
            cwd=self.project,
            log_name=name,
            env=bake_environment(env),
        )


@dataclass
class Workspaces:
    """A copy of each variant's bake with its environment synced, made once per session."""

    bakery: Bakery
    root: Path
    made: dict[str, Workspace] = field(default_factory=dict)

    def get(self, variant: str) -> Workspace:
        if variant not in self.made:
            baked = self.bakery.get(variant).require()
            # A copy, so the files test_bake.py inspects never gain .venv, uv.lock or caches.
            project = self.root / variant / baked.name
            shutil.copytree(baked, project, symlinks=True)
            sync = run(
                [uv_binary(), "sync", "--python", sys.executable],
                cwd=project,
                log_name=f"{variant}-uv-sync",
            )
            self.made[variant] = Workspace(variant, project, sync)
        return self.made[variant]

    def ready(self, variant: str) -> Workspace:
        workspace = self.get(variant)
        if not workspace.sync.ok:
            pytest.fail(
                f"`uv sync` failed for the {variant} bake, so its checks cannot run:\n"
                + workspace.sync.describe(),
                pytrace=False,
            )
        return workspace


@pytest.fixture(scope="session")
def workspaces(bakery: Bakery, tmp_path_factory: pytest.TempPathFactory) -> Workspaces:
    return Workspaces(bakery, tmp_path_factory.mktemp("checks"))


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """DATABASE_URL for one test: a fresh PostgreSQL database or SQLite file, never reused."""
    variant: str = request.node.callspec.params["variant"]
    if answers_for(variant)["database"] != "postgresql":
        yield f"sqlite+aiosqlite:///{tmp_path / 'check.db'}"
        return
    server: PostgresServer = request.getfixturevalue("postgres")
    name = server.create_database()
    try:
        yield server.url(name)
    finally:
        server.drop_database(name)


def passed(result: CommandResult) -> None:
    if not result.ok:
        pytest.fail(result.describe(), pytrace=False)


@pytest.mark.parametrize("variant", list(CHECKS))
def test_uv_sync(variant: str, workspaces: Workspaces) -> None:
    passed(workspaces.get(variant).sync)


@pytest.mark.parametrize(
    ("variant", "step"),
    [(variant, step) for step in STATIC_STEPS for variant in variants_running(step)],
)
def test_static_check(variant: str, step: str, workspaces: Workspaces) -> None:
    workspace = workspaces.ready(variant)
    passed(workspace.uv_run(step, STATIC_COMMANDS[step], {}))


@pytest.mark.parametrize("variant", variants_running("alembic-round-trip"))
def test_alembic_round_trip(variant: str, workspaces: Workspaces, database_url: str) -> None:
    """upgrade head, downgrade base, upgrade head, then no drift between models and DDL."""
    workspace = workspaces.ready(variant)
    for args in ALEMBIC_ROUND_TRIP:
        passed(workspace.uv_run("alembic-round-trip", args, {"DATABASE_URL": database_url}))


@pytest.mark.parametrize("variant", variants_running("pytest"))
def test_baked_test_suite(variant: str, workspaces: Workspaces, database_url: str) -> None:
    workspace = workspaces.ready(variant)
    passed(workspace.uv_run("pytest", ("pytest",), {"DATABASE_URL": database_url}))


@pytest.mark.parametrize("variant", variants_running("pytest-fuzz"))
def test_baked_fuzz_suite(variant: str, workspaces: Workspaces, database_url: str) -> None:
    """The API-fuzzing tests, which a bake's default run leaves out (its `fuzz` marker)."""
    workspace = workspaces.ready(variant)
    command = ("pytest", "-m", "fuzz", "--no-cov")
    passed(workspace.uv_run("pytest-fuzz", command, {"DATABASE_URL": database_url}))
