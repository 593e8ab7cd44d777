"""The bake's guides cannot drift: every shell command CONTRIBUTING.md and AGENTS.md give runs
in a copy of a bake, in the order a newcomer meets them, and AGENTS.md's checks are the README's.

The commands are the same on both databases (only the table of `DATABASE_URL`s differs), so
they run once, on the SQLite bake, which needs no server; the README's checks run on every
bake in test_baked_checks.py.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bakes import Bakery
from expectations import MATRIX, answers_for
from harness import bake_environment, run
from test_options import readme_checks

GUIDES = ("CONTRIBUTING.md", "AGENTS.md")
SHELL_BLOCK = re.compile(r"^```(?:sh|bash)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
ANY_BLOCK = re.compile(r"^```(\S*)$", re.MULTILINE)


def shell_blocks(text: str) -> list[str]:
    return [match.group(1) for match in SHELL_BLOCK.finditer(text)]


def commands(block: str) -> list[str]:
    return [line.strip() for line in block.splitlines() if line.strip()]


@pytest.mark.parametrize("variant", ["postgresql", "sqlite"])
def test_agents_lists_the_readme_checks(variant: str, bakery: Bakery) -> None:
    project = bakery.get(variant).require()
    agents = (project / "AGENTS.md").read_text(encoding="utf-8")
    assert "CONTRIBUTING.md" in agents
    (block,) = shell_blocks(agents)
    assert commands(block) == readme_checks(project)


@pytest.mark.parametrize("variant", ["postgresql", "sqlite"])
def test_the_guides_give_commands_only_in_shell_blocks(variant: str, bakery: Bakery) -> None:
    """Every fenced block is a shell block (run below), or plainly not a command (text, code)."""
    project = bakery.get(variant).require()
    for guide in GUIDES:
        text = (project / guide).read_text(encoding="utf-8")
        languages = ANY_BLOCK.findall(text)[::2]  # opening fences only
        assert set(languages) <= {"sh", "bash", "text", "python"}, (guide, languages)
        assert shell_blocks(text), f"{guide} gives no command"


def test_shell_blocks_are_found() -> None:
    """The extraction above would see a command, and only inside a shell block."""
    text = "intro\n```sh\nuv sync\n\nuv run pytest\n```\n```text\nnot run\n```\n"
    assert [commands(block) for block in shell_blocks(text)] == [["uv sync", "uv run pytest"]]


def sqlite_bake_with(option: str) -> str:
    """A SQLite bake of the matrix with the option on, whose guides say more (how to add a job)."""
    return next(
        name
        for name in MATRIX
        if answers_for(name)["database"] == "sqlite" and answers_for(name)[option] == "yes"
    )


@pytest.mark.slow
@pytest.mark.xdist_group("guides")
@pytest.mark.parametrize("variant", ["sqlite", sqlite_bake_with("background_jobs")])
def test_every_command_of_the_guides_runs(variant: str, bakery: Bakery, tmp_path: Path) -> None:
    """CONTRIBUTING.md's commands, then AGENTS.md's checks, each block in `bash -euo pipefail`,
    in a copy of a SQLite bake with its own environment and database file."""
    project = tmp_path / "project"
    shutil.copytree(bakery.get(variant).require(), project, symlinks=True)
    env = bake_environment({"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'guide.db'}"})
    ran = 0
    for guide in GUIDES:
        for number, block in enumerate(shell_blocks((project / guide).read_text("utf-8")), 1):
            result = run(
                ["bash", "-euo", "pipefail", "-c", block],
                project,
                f"guide-{guide.split('.')[0].lower()}-{number}",
                env,
            )
            assert result.ok, f"{guide}, block {number}:\n{block}\n{result.describe()}"
            ran += len(commands(block))
    # The day-one, migration and test commands, the ten checks, and with users the admin ones.
    assert ran >= (20 if answers_for(variant)["auth"] == "users" else 17)
