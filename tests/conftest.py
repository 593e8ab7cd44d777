"""Fixtures shared by the template's tests: one bake per variant per session, PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from expectations import REPLAY_FILE, answers_for
from harness import REPO_ROOT, PostgresServer, require_postgres, write_cookiecutter_config
from pytest_cookies.plugin import Cookies


def pytest_configure(config: pytest.Config) -> None:
    # pytest-cookies resolves its default template "." against the working directory;
    # pin it to this repository so the suite runs from any directory.
    if config.option.template == ".":
        config.option.template = str(REPO_ROOT)


@dataclass(frozen=True)
class Bake:
    """One baked project, or the error that stopped the bake."""

    variant: str
    answers: dict[str, str]
    project_dir: Path | None
    error: BaseException | None

    def require(self) -> Path:
        if self.project_dir is None:
            pytest.fail(f"bake {self.variant!r} failed: {self.error!r}", pytrace=False)
        return self.project_dir

    def recorded_answers(self) -> dict[str, object]:
        data: dict[str, dict[str, object]] = json.loads(
            (self.require() / REPLAY_FILE).read_text(encoding="utf-8")
        )
        return data["cookiecutter"]


@dataclass
class Bakery:
    """Bakes each variant once per session, on first use."""

    cookies: Cookies
    bakes: dict[str, Bake] = field(default_factory=dict)

    def get(self, variant: str) -> Bake:
        if variant not in self.bakes:
            answers = answers_for(variant)
            result = self.cookies.bake(extra_context=answers)
            project_dir = result.project_path if result.exit_code == 0 else None
            self.bakes[variant] = Bake(variant, answers, project_dir, result.exception)
        return self.bakes[variant]


@pytest.fixture(scope="session")
def bakery(cookies_session: Cookies) -> Bakery:
    return Bakery(cookies_session)


@pytest.fixture(scope="session")
def cookiecutter_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cookiecutter user config whose replay and clone dirs live in a temporary dir."""
    return write_cookiecutter_config(tmp_path_factory.mktemp("cookiecutter-user"))


@pytest.fixture(scope="session")
def postgres() -> PostgresServer:
    """The local PostgreSQL server: skipped when absent, a failure under CI=true."""
    server = PostgresServer.from_environment()
    require_postgres(server)
    return server


@pytest.fixture
def postgres_database(postgres: PostgresServer) -> Iterator[str]:
    """A database made for one test on the local server, always dropped; yields its URL."""
    name = postgres.create_database()
    try:
        yield postgres.url(name)
    finally:
        postgres.drop_database(name)
