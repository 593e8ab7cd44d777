"""What a bake must contain: the one place the tests read it from.

Optional paths come from the post-gen hook's MANIFEST, so adding an option means editing the
manifest (and the template), never these tests.
"""

from __future__ import annotations

import json
from itertools import product
from typing import TYPE_CHECKING

from harness import REPO_ROOT, load_hook

if TYPE_CHECKING:
    import post_gen_project as post_gen
    import pre_gen_project as pre_gen
else:
    post_gen = load_hook("post_gen_project")
    pre_gen = load_hook("pre_gen_project")

MANIFEST = post_gen.MANIFEST
REPLAY_FILE: str = post_gen.REPLAY_FILE

# Present in every bake, whatever the options.
KEY_FILES = (
    "app/main.py",
    "app/core/config.py",
    "app/core/database.py",
    "app/auth/router.py",
    "app/users/router.py",
    "app/items/router.py",
    "app/health/router.py",
    "app/cli.py",
    "migrations/env.py",
    "alembic.ini",
    "tests/conftest.py",
    "pyproject.toml",
    "README.md",
    ".env.example",
    ".env",
    ".gitignore",
    ".pre-commit-config.yaml",
    ".dockerignore",
    "Dockerfile",
    ".github/workflows/ci.yml",
    REPLAY_FILE,
)

# Files that must never be baked: lock files record index URLs, and a bake makes its own.
FORBIDDEN_FILES = ("uv.lock",)

# Where leftover-template-syntax checks allow GitHub Actions' own `${{ expr }}` syntax.
GITHUB_EXPRESSION_DIRS = (".github",)


def _defaults() -> dict[str, str]:
    """cookiecutter.json's default answers to its prompts, leaving out derived ones."""
    raw = json.loads((REPO_ROOT / "cookiecutter.json").read_text(encoding="utf-8"))
    defaults = {
        key: value[0] if isinstance(value, list) else value
        for key, value in raw.items()
        if not key.startswith("_") and isinstance(value, str | list)
    }
    return {key: value for key, value in defaults.items() if "{" + "{" not in value}


def _derived_keys() -> frozenset[str]:
    """cookiecutter.json's private `__` variables, computed from the answers and recorded too."""
    raw = json.loads((REPO_ROOT / "cookiecutter.json").read_text(encoding="utf-8"))
    return frozenset(key for key in raw if key.startswith("__") and key != "__prompts__")


def _prompt_keys() -> frozenset[str]:
    """Every question cookiecutter.json asks, including those whose default is derived."""
    raw = json.loads((REPO_ROOT / "cookiecutter.json").read_text(encoding="utf-8"))
    return frozenset(key for key in raw if not key.startswith("_"))


DEFAULTS = _defaults()
PROMPT_KEYS = _prompt_keys()
DERIVED_KEYS = _derived_keys()
DATABASES: tuple[str, ...] = pre_gen.DATABASES
PYTHON_VERSIONS: tuple[str, ...] = pre_gen.PYTHON_VERSIONS

EDGE_ANSWERS = {
    "project_name": 'Café Déjà-Vu: l\'API "rapide"!',
    "description": (
        "A \"quoted\" description with 'single quotes', back\\slashes (C:\\temp\\new), "
        'a trailing backslash-quote \\" and unicode: naïve façade, Ωmega, 東京. '
        "It is deliberately long so that wrapped lines, TOML strings, YAML scalars and "
        "Python string literals all have to escape it correctly, and still read well...\\"
    ),
    "author_name": "Zoë O'Brien-Łukasiewicz",
    "author_email": "zoe.o-brien+api@example.co.uk",
    "version": "1.0.0rc1",
}

MAX_SLUG = "cafe-deja-vu-l-api-rapide-with-a-slug-as-long-as-postgresql-all"
assert len(MAX_SLUG) == pre_gen.PROJECT_SLUG_MAX

# Every bake the suite makes, by name: the default, every (database, python_version) pair,
# and the edge inputs on both databases.
VARIANTS: dict[str, dict[str, str]] = {
    "postgresql": {},
    "sqlite": {"database": "sqlite"},
    **{
        f"{database}-py{python}": {"database": database, "python_version": python}
        for database, python in product(DATABASES, PYTHON_VERSIONS)
        if python != DEFAULTS["python_version"]
    },
    # The longest slug allowed: it names the database, so it meets PostgreSQL's limit exactly.
    "edge-postgresql": {**EDGE_ANSWERS, "project_slug": MAX_SLUG, "python_version": "3.11"},
    "edge-sqlite": {**EDGE_ANSWERS, "database": "sqlite", "python_version": "3.12"},
}

# The bake's own checks, in the order a developer would run them.
STATIC_STEPS = ("ruff-check", "ruff-format", "mypy")
ALL_STEPS = (
    *STATIC_STEPS,
    "template-sources",
    "alembic-round-trip",
    "pytest",
    "pytest-slow",
)
# Which bakes run which checks: everything on each database, the static checks on the edge
# inputs (quoting bugs show up as syntax, format or type errors).
CHECKS: dict[str, tuple[str, ...]] = {
    "postgresql": ALL_STEPS,
    "sqlite": ALL_STEPS,
    "edge-postgresql": STATIC_STEPS,
    "edge-sqlite": STATIC_STEPS,
}


def answers_for(variant: str) -> dict[str, str]:
    return {**DEFAULTS, **VARIANTS[variant]}


def layout(answers: dict[str, str]) -> post_gen.Layout:
    """What the post-gen hook does to a bake with these answers."""
    return post_gen.layout(answers)


def expected_present(answers: dict[str, str]) -> set[str]:
    """Every key file, what the table keeps, and every variant under the name it becomes."""
    plan = post_gen.layout(answers)
    kept = {
        path
        for path, rule in MANIFEST.items()
        if isinstance(rule, post_gen.Keep) and path not in plan.removed
    }
    return set(KEY_FILES) | kept | set(plan.moved.values())


def expected_absent(answers: dict[str, str]) -> set[str]:
    """What the table removes, every variant file under its own name, and forbidden files."""
    plan = post_gen.layout(answers)
    unchosen = {
        path
        for path, rule in MANIFEST.items()
        if isinstance(rule, post_gen.Choose) and path not in plan.moved.values()
    }
    return set(plan.removed) | set(plan.moved) | unchosen | set(FORBIDDEN_FILES)
