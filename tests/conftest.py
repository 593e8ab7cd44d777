"""Fixtures shared by the template's tests: one bake per variant per session, PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from bakes import Bakery
from expectations import MATRIX
from harness import REPO_ROOT, PostgresServer, require_postgres, write_cookiecutter_config
from pytest_cookies.plugin import Cookies


def pytest_configure(config: pytest.Config) -> None:
    # pytest-cookies resolves its default template "." against the working directory;
    # pin it to this repository so the suite runs from any directory.
    if config.option.template == ".":
        config.option.template = str(REPO_ROOT)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark what the quick selection leaves out: every test of a matrix bake (`matrix`), and
    the bakes' slow suites (`slow`)."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        variant = callspec.params.get("variant") if callspec is not None else None
        if variant in MATRIX:
            item.add_marker(pytest.mark.matrix)
        if item.name.startswith("test_baked_slow_suite"):
            item.add_marker(pytest.mark.slow)


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
