"""Every variant bakes into a complete, tidy project: files per option, no template leftovers."""

from __future__ import annotations

import ast
import configparser
import json
import re
import stat
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml
from bakes import Bake, Bakery
from expectations import (
    ANSWERS_FILE,
    DERIVED_KEYS,
    GITHUB_EXPRESSION_DIRS,
    PROMPT_KEYS,
    VARIANTS,
    expected_absent,
    expected_present,
)
from harness import REPO_ROOT, bake

ALL_VARIANTS = pytest.mark.parametrize("variant", list(VARIANTS))
TEMPLATE_MARKERS = ("{{", "{%", "{#")
GITHUB_EXPRESSION = re.compile(r"\$\{\{.*?\}\}")
# The one command that names cookiecutter on purpose: the guides' way to add a resource.
RESOURCE_COMMAND = re.compile(r"uvx cookiecutter <template> --directory resource")


def files_of(project: Path) -> dict[str, Path]:
    """Every file of a bake by its relative POSIX path (not git's own, when git_init made it)."""
    return {
        relative: path
        for path in sorted(project.rglob("*"))
        if (path.is_file() or path.is_symlink())
        and not (relative := path.relative_to(project).as_posix()).startswith(".git/")
    }


def text_of(project: Path, relative: str) -> str:
    try:
        return (project / relative).read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        pytest.fail(f"{relative} is not UTF-8 text: {error}")


@pytest.fixture
def baked(request: pytest.FixtureRequest, bakery: Bakery) -> Bake:
    variant: str = request.node.callspec.params["variant"]
    return bakery.get(variant)


@ALL_VARIANTS
def test_bake_succeeds(variant: str, baked: Bake) -> None:
    project = baked.require()
    assert project.is_dir()
    assert project.name == baked.recorded_answers()["project_slug"]


@ALL_VARIANTS
def test_files_present_and_absent_per_options(variant: str, baked: Bake) -> None:
    files = set(files_of(baked.require()))
    files |= {str(parent) for path in files for parent in Path(path).parents if parent.parts}
    assert sorted(expected_present(baked.answers) - files) == [], "missing"
    assert sorted(expected_absent(baked.answers) & files) == [], "should have been removed"


@ALL_VARIANTS
def test_no_template_leftovers(variant: str, baked: Bake) -> None:
    """No `{{`, `{%`, `{#` or the word cookiecutter in any name or file but the replay file."""
    project = baked.require()
    found: list[str] = []
    for relative, _path in files_of(project).items():
        for part in relative.split("/"):
            if "cookiecutter" in part.lower() and relative != ANSWERS_FILE:
                found.append(f"{relative}: path mentions cookiecutter")
            if any(marker in part for marker in TEMPLATE_MARKERS):
                found.append(f"{relative}: path holds template syntax")
        if relative == ANSWERS_FILE:
            continue
        github = relative.split("/")[0] in GITHUB_EXPRESSION_DIRS
        for number, line in enumerate(text_of(project, relative).splitlines(), 1):
            scanned = GITHUB_EXPRESSION.sub("", line) if github else line
            scanned = RESOURCE_COMMAND.sub("", scanned)
            markers = [marker for marker in TEMPLATE_MARKERS if marker in scanned]
            if "cookiecutter" in scanned.lower():
                markers.append("cookiecutter")
            if markers:
                found.append(f"{relative}:{number}: {', '.join(markers)}: {line.strip()[:100]}")
    assert found == []


@ALL_VARIANTS
def test_config_and_source_files_parse(variant: str, baked: Bake) -> None:
    project = baked.require()
    parsed = 0
    for relative, path in files_of(project).items():
        text = text_of(project, relative)
        suffix = path.suffix
        if suffix == ".toml":
            tomllib.loads(text)
        elif suffix in {".yml", ".yaml"}:
            list(yaml.safe_load_all(text))
        elif suffix in {".ini", ".cfg"}:
            configparser.ConfigParser(interpolation=None).read_string(text, source=relative)
        elif suffix == ".json":
            json.loads(text)
        elif suffix == ".py":
            ast.parse(text, filename=relative)
        else:
            continue
        parsed += 1
    assert parsed >= 10
    alembic = configparser.ConfigParser(interpolation=None)
    alembic.read_string(text_of(project, "alembic.ini"))
    assert alembic.has_option("alembic", "script_location")


@ALL_VARIANTS
def test_pyproject_carries_the_answers_exactly(variant: str, baked: Bake) -> None:
    """Quotes, backslashes and accents survive the trip into TOML unchanged."""
    project = baked.require()
    recorded = baked.recorded_answers()
    metadata = tomllib.loads(text_of(project, "pyproject.toml"))["project"]
    assert metadata["name"] == recorded["project_slug"]
    assert metadata["version"] == baked.answers["version"]
    assert metadata["description"] == baked.answers.get("description", recorded["description"])
    assert metadata["authors"] == [
        {"name": baked.answers["author_name"], "email": baked.answers["author_email"]}
    ]
    assert metadata["requires-python"] == ">=3.11"


@pytest.mark.parametrize(
    ("variant", "database"), [("postgresql", "PostgreSQL"), ("sqlite", "SQLite")]
)
def test_the_default_description_names_the_chosen_database(
    variant: str, database: str, baked: Bake
) -> None:
    assert f"FastAPI service on {database}," in str(baked.recorded_answers()["description"])


PYTHON_VERSION_FILES = {
    "Dockerfile": "FROM python:{v}-slim",
    ".github/workflows/ci.yml": 'python-version: "{v}"',
    ".gitlab-ci.yml": "image: ghcr.io/astral-sh/uv:0.9-python{v}-bookworm-slim",
}


@ALL_VARIANTS
def test_python_version_reaches_docker_and_ci(variant: str, baked: Bake) -> None:
    project = baked.require()
    version = baked.answers["python_version"]
    present = [name for name in PYTHON_VERSION_FILES if (project / name).is_file()]
    for name in present:
        assert PYTHON_VERSION_FILES[name].format(v=version) in text_of(project, name), name
    others = {v for v in ("3.11", "3.12", "3.13") if v != version}
    for name in present:
        assert not any(f"python:{v}" in text_of(project, name) for v in others), name


@ALL_VARIANTS
def test_no_empty_files(variant: str, baked: Bake) -> None:
    project = baked.require()
    empty = [rel for rel in files_of(project) if not text_of(project, rel).strip()]
    assert empty == []


@ALL_VARIANTS
def test_text_is_tidy(variant: str, baked: Bake) -> None:
    """Rendered files read as hand-written: one final newline, no trailing blanks or runs."""
    project = baked.require()
    problems: list[str] = []
    for relative in files_of(project):
        text = text_of(project, relative)
        if not text.endswith("\n") or text.endswith("\n\n"):
            problems.append(f"{relative}: must end with exactly one newline")
        blank_run = 0
        for number, line in enumerate(text.splitlines(), 1):
            if line != line.rstrip():
                problems.append(f"{relative}:{number}: trailing whitespace")
            blank_run = blank_run + 1 if not line.strip() else 0
            if blank_run == 3:
                problems.append(f"{relative}:{number}: three blank lines in a row")
    assert problems == []


def env_values(text: str) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in text.splitlines() if "=" in line)
    return {key.strip(): value for key, value in pairs if not key.lstrip().startswith("#")}


@ALL_VARIANTS
def test_env_has_fresh_secrets_in_place_of_placeholders(variant: str, baked: Bake) -> None:
    project = baked.require()
    example = env_values(text_of(project, ".env.example"))
    env = env_values(text_of(project, ".env"))
    placeholders = sorted(key for key, value in example.items() if value == "changethis")
    users = baked.answers["auth"] == "users"
    # Without users the service signs nothing: no SECRET_KEY, and no admin's password.
    assert ("SECRET_KEY" in placeholders) is users
    assert ("SECRET_KEY" in example) is users
    assert ("FIRST_ADMIN_PASSWORD" in example) is users
    assert "changethis" not in text_of(project, ".env")
    assert list(env) == list(example)
    for key, value in env.items():
        if key in placeholders:
            assert len(value) >= 43, key
        else:
            assert value == example[key], key
    assert len({env[key] for key in placeholders}) == len(placeholders)
    assert stat.S_IMODE((project / ".env").stat().st_mode) == 0o600


def test_no_two_bakes_share_a_secret(bakery: Bakery) -> None:
    secrets: list[str] = []
    for variant in VARIANTS:
        project = bakery.get(variant).require()
        example = env_values(text_of(project, ".env.example"))
        env = env_values(text_of(project, ".env"))
        secrets += [env[key] for key, value in example.items() if value == "changethis"]
    assert len(secrets) >= len(VARIANTS)
    assert len(set(secrets)) == len(secrets)


def template_commit() -> str:
    """The commit of this template checkout, which every bake of this run records."""
    done = subprocess.run(
        ["git", "-C", str(REPO_ROOT), "rev-parse", "HEAD"], capture_output=True, text=True
    )
    assert done.returncode == 0, f"the template is not a git checkout: {done.stderr}"
    return done.stdout.strip()


@ALL_VARIANTS
def test_answers_file_records_the_answers_template_and_commit(variant: str, baked: Bake) -> None:
    """`.cruft.json` as cruft reads it: this checkout, its commit, the answers as context."""
    recorded = baked.recorded_answers()
    assert {key: recorded[key] for key in baked.answers} == baked.answers
    slug = recorded["project_slug"]
    assert isinstance(slug, str)
    assert recorded["__db_name"] == slug.replace("-", "_")
    assert not {"_output_dir", "_repo_dir", "_checkout"} & set(recorded)
    assert set(recorded) == {*PROMPT_KEYS, *DERIVED_KEYS, "_template", "_commit"}
    state = json.loads((baked.require() / ANSWERS_FILE).read_text(encoding="utf-8"))
    assert set(state) == {"template", "commit", "checkout", "context", "directory"}
    assert Path(state["template"]) == REPO_ROOT.resolve()
    assert state["commit"] == recorded["_commit"] == template_commit()
    assert recorded["_template"] == state["template"]
    assert (state["checkout"], state["directory"]) == (None, None)


@pytest.mark.parametrize("variant", ["postgresql", "edge-sqlite"])
def test_replaying_the_recorded_answers_bakes_the_same_project(
    variant: str, bakery: Bakery, tmp_path: Path, cookiecutter_config: Path
) -> None:
    """The context of `.cruft.json` is a replay file: `cookiecutter --replay-file` of it
    reproduces the bake (the template README gives the one-liner)."""
    original = bakery.get(variant).require()
    replay = tmp_path / "answers.json"
    state = json.loads((original / ANSWERS_FILE).read_text(encoding="utf-8"))
    replay.write_text(json.dumps(state["context"]), encoding="utf-8")
    output = tmp_path / "out"
    replayed = bake(output, cookiecutter_config, replay=replay)
    assert replayed.name == original.name
    original_files, replayed_files = files_of(original), files_of(replayed)
    assert set(replayed_files) == set(original_files)
    differing = [
        relative
        for relative in original_files
        if original_files[relative].read_bytes() != replayed_files[relative].read_bytes()
    ]
    assert differing == [".env"]  # only the freshly generated secrets differ


# Files whose content the bake's checks (ruff, mypy, Alembic, pytest) read.
CHECKED_BY_THE_BAKE = ("*.py", "pyproject.toml", "alembic.ini", "*.mako")


@pytest.mark.parametrize("database", ["postgresql", "sqlite"])
def test_python_version_changes_nothing_the_checks_read(database: str, bakery: Bakery) -> None:
    """Why the full checks run on one python_version: the others bake the same code."""
    variants = [name for name in VARIANTS if name.startswith(f"{database}-py")] + [database]
    reference = files_of(bakery.get(database).require())
    for variant in variants:
        other = files_of(bakery.get(variant).require())
        assert set(other) == set(reference), variant
        differing = [
            relative
            for relative in reference
            if reference[relative].read_bytes() != other[relative].read_bytes()
            and any(Path(relative).match(pattern) for pattern in CHECKED_BY_THE_BAKE)
        ]
        assert differing == [], f"{variant} differs from {database} in checked files"


def readme_tree(readme: str) -> set[str]:
    """The paths the template README's tree of a bake names, rebuilt from its indentation.

    Each entry is a name at an indent of two spaces per level, then its comment; a line may
    name several files in one directory (`test_a.py  test_b.py`).
    """
    block = readme.split("```\nmy-service/\n", 1)[1].split("```", 1)[0]
    parents: list[str] = []
    paths: set[str] = set()
    for line in block.splitlines():
        stripped = line.lstrip(" ")
        depth = (len(line) - len(stripped)) // 2 - 1
        names = re.findall(r"[\w.-]+\.py\b|[\w.-]+/", stripped)
        if not names or depth < 0 or not re.match(r"[\w.-]", stripped):
            continue  # a wrapped comment
        del parents[depth:]
        if names[0].endswith("/") and len(parents) == depth:
            parents.append(names[0].rstrip("/"))
            continue
        paths.update("/".join([*parents, name]) for name in names if not name.endswith("/"))
    return paths


@pytest.mark.parametrize("variant", ["postgresql", "sqlite", "auth-none"])
def test_readme_tree_lists_every_module(variant: str, baked: Bake) -> None:
    project = baked.project_dir
    assert project is not None
    modules = {
        path
        for path in files_of(project)
        if path.endswith(".py") and not path.endswith("__init__.py")
    }
    listed = readme_tree((REPO_ROOT / "README.md").read_text(encoding="utf-8"))
    assert sorted(modules - listed) == []
