"""Run each bake's own checks in a fresh environment, as its developers would.

Per variant: `uv sync` (its declared dependencies only, the interpreter running this suite, a
uv cache shared across bakes) into an environment made fresh for its dependency set, which
bakes with the same dependencies share (`expectations.dependency_key`); then ruff, ruff
format, mypy, the Alembic round trip, its own pytest suite, and the Dockerfile's CMD run as
it stands. PostgreSQL bakes get a database made for each test and dropped after it. Full
output of every command is kept in .bakes/logs/.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from bakes import Bakery
from expectations import CHECKS, STATIC_STEPS, answers_for, dependency_key, layout
from harness import (
    LOGS_DIR,
    REPO_ROOT,
    CommandResult,
    PostgresServer,
    bake_environment,
    run,
    uv_binary,
)

TEMPLATE_DIR = REPO_ROOT / "{{cookiecutter.project_slug}}"
JINJA_MARKERS = ("{" + "{", "{" + "%")

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


def grouped(variants: list[str]) -> list[pytest.param]:  # type: ignore[valid-type]
    """One xdist group per bake: its checks run on one worker, in one copy of the bake."""
    return [pytest.param(v, marks=pytest.mark.xdist_group(v), id=v) for v in variants]


@dataclass
class Workspace:
    variant: str
    project: Path
    environment: Path
    sync: CommandResult

    def env(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        return bake_environment({"UV_PROJECT_ENVIRONMENT": str(self.environment), **(extra or {})})

    def uv_run(self, step: str, args: tuple[str, ...], env: dict[str, str]) -> CommandResult:
        """`uv run --no-sync <args>` in the bake, in its dependency set's environment."""
        name = f"{self.variant}-{step}-{'-'.join(args[:2])}".replace("/", "_")
        return run(
            [uv_binary(), "run", "--no-sync", *args],
            cwd=self.project,
            log_name=name,
            env=self.env(env),
        )


@dataclass
class Workspaces:
    """A copy of each variant's bake with its environment synced, made once per session."""

    bakery: Bakery
    root: Path
    environments: Path
    made: dict[str, Workspace] = field(default_factory=dict)

    def get(self, variant: str) -> Workspace:
        if variant not in self.made:
            baked = self.bakery.get(variant).require()
            # A copy, so the files test_bake.py inspects never gain .venv, uv.lock or caches.
            project = self.root / variant / baked.name
            shutil.copytree(baked, project, symlinks=True)
            environment = self.environments / dependency_key(project)
            # One sync at a time per environment, across xdist workers: the first makes it,
            # the others find it complete (uv then changes nothing).
            self.environments.mkdir(parents=True, exist_ok=True)
            with (self.environments / f"{environment.name}.lock").open("w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                sync = run(
                    [uv_binary(), "sync", "--python", sys.executable],
                    cwd=project,
                    log_name=f"{variant}-uv-sync",
                    env=bake_environment({"UV_PROJECT_ENVIRONMENT": str(environment)}),
                )
            self.made[variant] = Workspace(variant, project, environment, sync)
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
    # Environments live under the session's base temporary directory, which every xdist
    # worker shares (its parent), and are made fresh for each run.
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    return Workspaces(bakery, tmp_path_factory.mktemp("checks"), shared / "environments")


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


@pytest.mark.parametrize("variant", grouped(list(CHECKS)))
def test_uv_sync(variant: str, workspaces: Workspaces) -> None:
    passed(workspaces.get(variant).sync)


@pytest.mark.parametrize(
    ("variant", "step"),
    [
        pytest.param(variant, step, marks=pytest.mark.xdist_group(variant), id=f"{variant}-{step}")
        for step in STATIC_STEPS
        for variant in variants_running(step)
    ],
)
def test_static_check(variant: str, step: str, workspaces: Workspaces) -> None:
    workspace = workspaces.ready(variant)
    passed(workspace.uv_run(step, STATIC_COMMANDS[step], {}))


# The Python modules that may hold Jinja: the settings (a default per answer), the registry of
# the baked extensions and the test plugins they bring, defaults that name the project, and
# the routers whose writes send a background job.
JINJA_MODULES = frozenset(
    {
        "app/core/config.py",
        "app/extensions.py",
        "tests/conftest.py",
        "app/redis/config.py",
        # The production environment the served tests start the app in (an AI key).
        "tests/test_served.py",
        # A line each where a write sends its job after the commit, with background jobs.
        "app/auth/router.py",
        "app/projects/router.py",
        "app/jobs/config.py",
        "app/tracing/config.py",
    }
)


def template_sources(variant: str, bake: Path, root: Path) -> list[str]:
    """Lay the template's Python files out as the bake has them, but as they stand in the
    template: variant files under the name the table gives them, unrendered. The few files
    that hold Jinja come from the bake instead; returns their paths in the bake."""
    plan = layout(answers_for(variant))
    rendered: list[str] = []
    for source in sorted(TEMPLATE_DIR.rglob("*.py")):
        path = source.relative_to(TEMPLATE_DIR).as_posix()
        if any(path == gone or path.startswith(f"{gone}/") for gone in plan.removed):
            continue
        target = root / plan.moved.get(path, path)
        target.parent.mkdir(parents=True, exist_ok=True)
        if any(marker in source.read_text(encoding="utf-8") for marker in JINJA_MARKERS):
            shutil.copy2(bake / plan.moved.get(path, path), target)
            rendered.append(plan.moved.get(path, path))
        else:
            shutil.copy2(source, target)
    for config in ("pyproject.toml", "alembic.ini"):
        shutil.copy2(bake / config, root / config)
    return rendered


@pytest.mark.parametrize("variant", grouped(variants_running("template-sources")))
def test_template_sources_pass_ruff_and_mypy_as_they_stand(
    variant: str, workspaces: Workspaces, tmp_path: Path
) -> None:
    """Every template .py file without Jinja is checked as written, not only once baked."""
    workspace = workspaces.ready(variant)
    rendered = template_sources(variant, workspace.project, tmp_path)
    unexpected = sorted(set(rendered) - JINJA_MODULES)
    assert unexpected == [], "keep Jinja out of Python modules but the few listed"
    venv = workspace.environment / "bin"
    for args in (("ruff", "check", "."), ("ruff", "format", "--check", "."), ("mypy",)):
        passed(
            run(
                [str(venv / args[0]), *args[1:]],
                cwd=tmp_path,
                log_name=f"{variant}-template-sources-{args[0]}-{args[1] if len(args) > 1 else ''}",
            )
        )


@pytest.mark.parametrize("variant", grouped(variants_running("alembic-round-trip")))
def test_alembic_round_trip(variant: str, workspaces: Workspaces, database_url: str) -> None:
    """upgrade head, downgrade base, upgrade head, then no drift between models and DDL."""
    workspace = workspaces.ready(variant)
    for args in ALEMBIC_ROUND_TRIP:
        passed(workspace.uv_run("alembic-round-trip", args, {"DATABASE_URL": database_url}))


@pytest.mark.parametrize("variant", grouped(variants_running("pytest")))
def test_baked_test_suite(variant: str, workspaces: Workspaces, database_url: str) -> None:
    workspace = workspaces.ready(variant)
    passed(workspace.uv_run("pytest", ("pytest", "--cov"), {"DATABASE_URL": database_url}))


@pytest.mark.parametrize("variant", grouped(variants_running("pytest-slow")))
def test_baked_slow_suite(variant: str, workspaces: Workspaces, database_url: str) -> None:
    """The API fuzzing and the attacks on the served app, which a bake's default run leaves
    out (its `fuzz` and `served` markers)."""
    workspace = workspaces.ready(variant)
    command = ("pytest", "-m", "fuzz or served")
    passed(workspace.uv_run("pytest-slow", command, {"DATABASE_URL": database_url}))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def dockerfile_cmd(project: Path) -> list[str]:
    """The exec-form CMD of the bake's Dockerfile, as the image runs it."""
    lines = (project / "Dockerfile").read_text(encoding="utf-8").splitlines()
    cmds = [line for line in lines if line.startswith("CMD ")]
    assert len(cmds) == 1, "one CMD"
    command: list[str] = json.loads(cmds[0].removeprefix("CMD "))
    return command


def serves(url: str, process: subprocess.Popen[bytes], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                return bool(response.status == 200)
        except OSError:
            time.sleep(0.2)
    return False


@pytest.mark.parametrize("variant", grouped(variants_running("served-command")))
def test_the_production_command_starts_the_app(
    variant: str, workspaces: Workspaces, database_url: str
) -> None:
    """The Dockerfile's CMD (or, without Docker, the README's command) runs as written, outside
    a container, with the image's PATH and production settings, on a migrated database, and
    answers readiness. Only the port differs: the CMD's 8000 becomes a free one, so parallel
    bakes and other programs on this machine never collide."""
    workspace = workspaces.ready(variant)
    if answers_for(variant)["docker"] == "yes":
        command = dockerfile_cmd(workspace.project)
    else:
        module = (workspace.project / "tests" / "served_command.py").read_text(encoding="utf-8")
        scope: dict[str, object] = {}
        exec(compile(module, "served_command.py", "exec"), scope)  # noqa: S102 - the bake's own
        command = scope["production_command"]()  # type: ignore[operator]
    assert command[0] == "uvicorn", command
    port = free_port()
    command[command.index("--port") + 1] = str(port)
    passed(
        workspace.uv_run(
            "served-command", ("alembic", "upgrade", "head"), {"DATABASE_URL": database_url}
        )
    )
    env = workspace.env(
        {
            "PATH": f"{workspace.environment / 'bin'}{os.pathsep}{os.environ['PATH']}",
            "ENVIRONMENT": "production",
            "SECRET_KEY": "a-production-secret-for-this-check-only-0123456789",
            # Production refuses to start without it; readiness never asks the provider.
            "AI_API_KEY": "a-production-key-for-this-check-only",
            "DATABASE_URL": database_url,
        }
    )
    LOGS_DIR.mkdir(parents=True, exist_ok=True)
    log = LOGS_DIR / f"{variant}-served-command.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            command,
            cwd=workspace.project,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            ready = serves(f"http://127.0.0.1:{port}/health/ready", process, 60)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)
    assert ready, f"`{' '.join(command)}` did not serve /health/ready; see {log}"
