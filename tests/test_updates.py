"""Template updates for real: a bake from a git copy of this template, a change on each side,
and the baked README's own `cruft update` command bringing the template's change in.

Each test copies the template (as it stands in this checkout, uncommitted changes included)
into a new git repository, bakes from it with cookiecutter's command line, and commits the bake
in a repository of its own, as a user would. cruft is the one in this suite's environment (the
README runs the same release through `uvx`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from expectations import ANSWERS_FILE
from harness import REPO_ROOT, bake_environment, in_ci, run, uv_binary

PROJECT_DIR = "{{cookiecutter.project_slug}}"
IDENTITY = {
    "GIT_AUTHOR_NAME": "Template Tests",
    "GIT_AUTHOR_EMAIL": "tests@example.com",
    "GIT_COMMITTER_NAME": "Template Tests",
    "GIT_COMMITTER_EMAIL": "tests@example.com",
}
# The bake: SQLite, so its suite needs no server; git_init=no, so the test makes the repository.
ANSWERS = {"database": "sqlite", "project_slug": "updated-service", "git_init": "no"}


def git_binary() -> str:
    found = shutil.which("git")
    if found is None:
        if in_ci():
            pytest.fail("git is not installed (CI=true: template updates must be tested)")
        pytest.skip("git is not installed")
    return found


def git(directory: Path, *args: str) -> str:
    done = subprocess.run(
        [git_binary(), *args],
        cwd=directory,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **IDENTITY},
    )
    assert done.returncode == 0, f"git {' '.join(args)} failed in {directory}:\n{done.stderr}"
    return done.stdout


def tool(name: str) -> str:
    """A program of this suite's environment (cookiecutter, cruft)."""
    path = Path(sys.executable).parent / name
    assert path.is_file(), f"{name} is missing from the suite's environment: run `uv sync`"
    return str(path)


def readme_command(project: Path, program: str) -> list[str]:
    """The baked README's `uvx cruft <program> ...` line, as the suite runs it (`uvx cruft`
    becomes this environment's cruft)."""
    readme = (project / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Updating from the template", 1)[1].split("\n## ", 1)[0]
    for line in section.splitlines():
        command = line.split("#", 1)[0].split()
        if command[:3] == ["uvx", "cruft", program]:
            return [tool("cruft"), *command[2:]]
    raise AssertionError(f"the README's update section gives no `uvx cruft {program}`")


@dataclass
class Setup:
    template: Path  # the git copy of this template
    project: Path  # the bake, committed in a repository of its own

    def change_template(self, relative: str, old: str, new: str) -> str:
        """Edit a file of the template's project directory and commit; returns the commit."""
        path = self.template / PROJECT_DIR / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in the template's {relative}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        git(self.template, "commit", "-qam", f"Template: change {relative}")
        return git(self.template, "rev-parse", "HEAD").strip()

    def change_project(self, relative: str, old: str, new: str) -> None:
        path = self.project / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in the bake's {relative}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        git(self.project, "commit", "-qam", f"Project: change {relative}")

    def cruft(self, program: str, log_name: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            readme_command(self.project, program),
            cwd=self.project,
            capture_output=True,
            text=True,
            check=False,
            stdin=subprocess.DEVNULL,
            env={**os.environ, **IDENTITY},
            timeout=300,
        )


def copy_template(destination: Path) -> Path:
    """This checkout's files (tracked and new, not ignored) in a new one-commit repository."""
    listed = git(REPO_ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for relative in filter(None, listed.split("\0")):
        source = REPO_ROOT / relative
        if source.is_file():
            target = destination / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    git(destination, "init", "-q")
    git(destination, "add", "--all")
    git(destination, "commit", "-qm", "The template as tested")
    return destination


@pytest.fixture
def setup(tmp_path: Path, cookiecutter_config: Path) -> Setup:
    template = copy_template(tmp_path / "template")
    output = tmp_path / "bakes"
    baked = subprocess.run(
        [
            tool("cookiecutter"),
            str(template),
            "--no-input",
            "--output-dir",
            str(output),
            "--config-file",
            str(cookiecutter_config),
            *(f"{key}={value}" for key, value in ANSWERS.items()),
        ],
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert baked.returncode == 0, baked.stderr
    project = output / ANSWERS["project_slug"]
    commit = git(template, "rev-parse", "HEAD").strip()
    assert f"{ANSWERS_FILE} records the template and its commit {commit[:12]}" in baked.stdout
    git(project, "init", "-q")
    git(project, "add", "--all")
    git(project, "commit", "-qm", "The bake")
    return Setup(template, project)


def recorded_commit(project: Path) -> str:
    state: dict[str, str] = json.loads((project / ANSWERS_FILE).read_text(encoding="utf-8"))
    return state["commit"]


def test_an_update_brings_in_the_template_change_and_keeps_the_project_change(
    setup: Setup,
) -> None:
    project = setup.project
    env_before = (project / ".env").read_bytes()
    taken = 'detail = "You already have a project with this name."\n'
    archived = (
        '\n\nclass ProjectArchived(ConflictError):\n    detail = "The project is archived."\n'
    )
    setup.change_project("app/projects/errors.py", taken, taken + archived)
    assert setup.cruft("check", "check-current").returncode == 0
    new_commit = setup.change_template(
        "app/items/errors.py",
        "class ItemNotFound(NotFoundError):\n",
        "class ItemNotFound(NotFoundError):\n    # Changed by the template.\n",
    )
    outdated = setup.cruft("check", "check-outdated")
    assert outdated.returncode != 0, outdated.stdout
    assert "out of date" in outdated.stdout

    updated = setup.cruft("update", "update")
    assert updated.returncode == 0, updated.stdout + updated.stderr
    assert "has been updated" in updated.stdout, updated.stdout

    items_errors = (project / "app/items/errors.py").read_text(encoding="utf-8")
    assert "    # Changed by the template.\n" in items_errors, items_errors
    assert "class ProjectArchived(ConflictError)" in (project / "app/projects/errors.py").read_text(
        encoding="utf-8"
    )
    assert recorded_commit(project) == new_commit
    assert (project / ".env").read_bytes() == env_before  # skipped: the bake's own secrets
    changed = sorted(line[3:] for line in git(project, "status", "--porcelain").splitlines())
    assert changed == [".cruft.json", "app/items/errors.py"], changed
    assert setup.cruft("check", "check-updated").returncode == 0

    # The project's checks still pass: ruff, format, and its own suite on SQLite.
    env = bake_environment()
    sync = run([uv_binary(), "sync", "--python", sys.executable], project, "update-uv-sync", env)
    assert sync.ok, sync.describe()
    database = {"DATABASE_URL": f"sqlite+aiosqlite:///{project.parent / 'check.db'}"}
    for name, args in (
        ("ruff-check", ("ruff", "check", ".")),
        ("ruff-format", ("ruff", "format", "--check", ".")),
        ("mypy", ("mypy",)),
        ("pytest", ("pytest", "-q", "-p", "no:cacheprovider")),
    ):
        result = run(
            [uv_binary(), "run", "--no-sync", *args],
            project,
            f"update-{name}",
            bake_environment(database),
        )
        assert result.ok, result.describe()


CONFLICT_MARKERS = re.compile(r"^<<<<<<< .*?^=======$.*?^>>>>>>> ", re.MULTILINE | re.DOTALL)


def test_a_conflicting_update_shows_the_conflict_and_loses_nothing(setup: Setup) -> None:
    project = setup.project
    relative = "app/items/errors.py"  # one file for every answer (no variants to choose from)
    setup.change_project(relative, "Item not found.", "No such item here.")
    setup.change_template(relative, "Item not found.", "That item does not exist.")

    updated = setup.cruft("update", "update-conflict")
    assert updated.returncode == 0, updated.stdout + updated.stderr

    text = (project / relative).read_text(encoding="utf-8")
    rejects = sorted(path.relative_to(project).as_posix() for path in project.rglob("*.rej"))
    if CONFLICT_MARKERS.search(text):  # git's three-way merge: both sides in the file
        assert "No such item here." in text
        assert "That item does not exist." in text
        assert rejects == []
    else:  # cruft's fallback: the hunk that did not apply, beside the file
        assert rejects == [f"{relative}.rej"], updated.stderr
        assert "No such item here." in text
        assert "That item does not exist." in (project / rejects[0]).read_text("utf-8")
    # The rest of the project is as the user left it, and the conflict is there to resolve.
    status = git(project, "status", "--porcelain").splitlines()
    assert any(relative in line for line in status), status
