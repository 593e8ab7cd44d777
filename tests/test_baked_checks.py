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
from expectations import CHECKS, STATIC_STEPS, answers_for, layout
from harness import REPO_ROOT, CommandResult, PostgresServer, bake_environment, run, uv_binary

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


def template_sources(variant: str, bake: Path, root: Path) -> list[str]:
    """Lay the template's Python files out as the bake has them, but as they stand in the
    template: variant files under the name the table gives them, unrendered. The few files
    that hold Jinja come from the bake instead; returns their paths."""
    plan = layout(answers_for(variant))
    rendered: list[str] = []
    for source in sorted(TEMPLATE_DIR.rglob("*.py")):
        path = source.relative_to(TEMPLATE_DIR).as_posix()
        if path in plan.removed:
            continue
        target = root / plan.moved.get(path, path)
        target.parent.mkdir(parents=True, exist_ok=True)
        if any(marker in source.read_text(encoding="utf-8") for marker in JINJA_MARKERS):
            shutil.copy2(bake / plan.moved.get(path, path), target)
            rendered.append(path)
        else:
            shutil.copy2(source, target)
    for config in ("pyproject.toml", "alembic.ini"):
        shutil.copy2(bake / config, root / config)
    return rendered


@pytest.mark.parametrize("variant", variants_running("template-sources"))
def test_template_sources_pass_ruff_and_mypy_as_they_stand(
    variant: str, workspaces: Workspaces, tmp_path: Path
) -> None:
    """Every template .py file without Jinja is checked as written, not only once baked."""
    workspace = workspaces.ready(variant)
    rendered = template_sources(variant, workspace.project, tmp_path)
    assert rendered == ["app/core/config.py"], "keep Jinja out of Python modules"
    venv = workspace.project / ".venv" / "bin"
    for args in (("ruff", "check", "."), ("ruff", "format", "--check", "."), ("mypy",)):
        passed(
            run(
                [str(venv / args[0]), *args[1:]],
                cwd=tmp_path,
                log_name=f"{variant}-template-sources-{args[0]}-{args[1] if len(args) > 1 else ''}",
            )
        )


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


@pytest.mark.parametrize("variant", variants_running("pytest-slow"))
def test_baked_slow_suite(variant: str, workspaces: Workspaces, database_url: str) -> None:
    """The API fuzzing and the attacks on the served app, which a bake's default run leaves
    out (its `fuzz` and `served` markers)."""
    workspace = workspaces.ready(variant)
    command = ("pytest", "-m", "fuzz or served", "--no-cov")
    passed(workspace.uv_run("pytest-slow", command, {"DATABASE_URL": database_url}))
