"""What a bake must contain: the one place the tests read it from.

Optional paths come from the post-gen hook's MANIFEST, so adding an option means editing the
manifest (and the template), never these tests.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from itertools import combinations, product
from pathlib import Path
from typing import TYPE_CHECKING

from harness import REPO_ROOT, load_hook

if TYPE_CHECKING:
    import post_gen_project as post_gen
    import pre_gen_project as pre_gen
else:
    post_gen = load_hook("post_gen_project")
    pre_gen = load_hook("pre_gen_project")

MANIFEST = post_gen.MANIFEST
ANSWERS_FILE: str = post_gen.ANSWERS_FILE

# Present in every bake, whatever the options.
KEY_FILES = (
    "app/main.py",
    "app/core/config.py",
    "app/core/database.py",
    "app/items/router.py",
    "app/projects/router.py",
    "app/health/router.py",
    "migrations/env.py",
    "alembic.ini",
    "tests/conftest.py",
    "pyproject.toml",
    "README.md",
    ".env.example",
    ".env",
    ".gitignore",
    ".pre-commit-config.yaml",
    "CONTRIBUTING.md",
    "AGENTS.md",
    ANSWERS_FILE,
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


def _choices() -> dict[str, list[str]]:
    """Every prompt that offers a list of choices, in cookiecutter.json's order."""
    raw = json.loads((REPO_ROOT / "cookiecutter.json").read_text(encoding="utf-8"))
    return {
        key: value
        for key, value in raw.items()
        if isinstance(value, list) and not key.startswith("_")
    }


def _prompt_keys() -> frozenset[str]:
    """Every question cookiecutter.json asks, including those whose default is derived."""
    raw = json.loads((REPO_ROOT / "cookiecutter.json").read_text(encoding="utf-8"))
    return frozenset(key for key in raw if not key.startswith("_"))


DEFAULTS = _defaults()
CHOICES = _choices()
# The default of every option with choices: what a test's hand-written answers start from, so
# that a new option needs no edit there.
CHOICE_DEFAULTS: dict[str, str] = {option: values[0] for option, values in CHOICES.items()}
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


def refused(answers: dict[str, str]) -> bool:
    """The pre-gen hook refuses these answers together (partial answers: what is given)."""
    return bool(pre_gen.conflicts(answers))


Pair = tuple[tuple[str, str], tuple[str, str]]


def pairs_of(row: dict[str, str]) -> set[Pair]:
    """Every pair of (option, value) a row of answers holds, options in sorted order."""
    items = sorted(row.items())
    return {(a, b) for a, b in combinations(items, 2)}


def allowed_pairs(choices: dict[str, list[str]]) -> set[Pair]:
    """Every pair of values of two options that the pre-gen hook does not refuse."""
    every: set[Pair] = set()
    for first, second in combinations(sorted(choices), 2):
        for a, b in product(choices[first], choices[second]):
            if not refused({first: a, second: b}):
                every.add(((first, a), (second, b)))
    return every


def all_pairs(choices: dict[str, list[str]], given: list[dict[str, str]]) -> list[dict[str, str]]:
    """Rows of answers that, with the rows given, hold every allowed pair of values.

    Greedy and deterministic: while a pair is uncovered, start a row from the first uncovered
    pair, then give each other option, in cookiecutter.json's order, the value that covers the
    most uncovered pairs with the values chosen so far (ties: the earlier choice, so the
    default), never one the pre-gen hook refuses alongside them. (allpairspy, given the
    refusals as its filter, left allowed pairs uncovered.) Every option with choices takes
    part, so a new option joins the matrix by being added to cookiecutter.json.
    """
    uncovered = allowed_pairs(choices)
    for row in given:
        uncovered -= pairs_of(row)
    rows: list[dict[str, str]] = []
    while uncovered:
        (first, a), (second, b) = min(uncovered)
        row = {first: a, second: b}
        for option in choices:
            if option in row:
                continue
            scored = [
                (len(pairs_of({**row, option: value}) & uncovered), -index, value)
                for index, value in enumerate(choices[option])
                if not refused({**row, option: value})
            ]
            if not scored:
                raise ValueError(f"no value of {option} can join {row}")
            row[option] = max(scored)[2]
        row = {option: row[option] for option in choices}
        rows.append(row)
        uncovered -= pairs_of(row)
    return rows


def uncovered_pairs(rows: list[dict[str, str]], choices: dict[str, list[str]]) -> list[str]:
    """The allowed value pairs that no row holds (empty when the rows are all-pairs); checked
    independently of all_pairs(), value by value."""
    missing: list[str] = []
    for first, second in combinations(choices, 2):
        for a, b in product(choices[first], choices[second]):
            if refused({first: a, second: b}):
                continue
            if not any(row[first] == a and row[second] == b for row in rows):
                missing.append(f"{first}={a} {second}={b}")
    return missing


def matrix_name(answers: dict[str, str]) -> str:
    """`matrix-` and each answer that differs from the default, short enough for a log name."""
    changed = [f"{key}={value}" for key, value in answers.items() if value != DEFAULTS[key]]
    return "matrix-" + ("+".join(changed) or "default")


# The default bake ("postgresql") is the matrix's first row; these are the others.
MATRIX: dict[str, dict[str, str]] = {
    matrix_name(row): row for row in all_pairs(CHOICES, [{k: DEFAULTS[k] for k in CHOICES}])
}

# Every bake the suite makes, by name: the default, every (database, python_version) pair,
# and the edge inputs on both databases.
VARIANTS: dict[str, dict[str, str]] = {
    "postgresql": {},
    "sqlite": {"database": "sqlite"},
    # No users: a backend behind a gateway (its SQLite pairing is in the matrix).
    "auth-none": {"auth": "none"},
    # Every optional part at once, attacked from outside like the default (the slow suite).
    "everything": {
        "ai_provider": "openai",
        "kubernetes": "yes",
        "metrics": "yes",
        "tracing": "yes",
        "sentry": "yes",
        "redis": "yes",
        "background_jobs": "yes",
    },
    **{
        f"{database}-py{python}": {"database": database, "python_version": python}
        for database, python in product(DATABASES, PYTHON_VERSIONS)
        if python != DEFAULTS["python_version"]
    },
    # The longest slug allowed: it names the database, so it meets PostgreSQL's limit exactly.
    "edge-postgresql": {**EDGE_ANSWERS, "project_slug": MAX_SLUG, "python_version": "3.11"},
    "edge-sqlite": {**EDGE_ANSWERS, "database": "sqlite", "python_version": "3.12"},
    # The all-pairs matrix over every option with choices (the default is "postgresql").
    **MATRIX,
}

# The bake's own checks, in the order a developer would run them.
STATIC_STEPS = ("ruff-check", "ruff-format", "mypy")
MATRIX_STEPS = (
    *STATIC_STEPS,
    "template-sources",
    "alembic-round-trip",
    "pytest",
    "served-command",
)
ALL_STEPS = (*MATRIX_STEPS, "pytest-slow")
# Which bakes run which checks: everything on the default and on SQLite, the full treatment
# but the slow suite on every bake of the matrix, the static checks on the edge inputs
# (quoting bugs show up as syntax, format or type errors).
CHECKS: dict[str, tuple[str, ...]] = {
    "postgresql": ALL_STEPS,
    "sqlite": ALL_STEPS,
    "auth-none": ALL_STEPS,
    "everything": ALL_STEPS,
    **dict.fromkeys(MATRIX, MATRIX_STEPS),
    "edge-postgresql": STATIC_STEPS,
    "edge-sqlite": STATIC_STEPS,
}
# A quick selection for local work: `pytest -m quick` (see the README).
QUICK_VARIANTS = ("postgresql", "sqlite")


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


def dependency_key(project: Path) -> str:
    """What decides a bake's environment: its dependencies and dependency groups. Bakes that
    agree share one environment."""
    pyproject = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    declared = {
        "requires-python": pyproject["project"]["requires-python"],
        "dependencies": sorted(pyproject["project"].get("dependencies", [])),
        "groups": pyproject.get("dependency-groups", {}),
    }
    text = json.dumps(declared, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:12]
