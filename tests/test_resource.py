"""The resource template (`resource/`): refusals before anything is written, and a baked
project that gains resources, migrates them and passes its own checks and fuzzing.

The refusals run without baking: a directory with a `.cruft.json` is all the pre-gen hook
reads. The bakes reuse test_baked_checks' machinery (a synced environment per dependency set)
on a copy of their own, so the shared bakes never gain the resources.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from bakes import Bakery
from expectations import VARIANTS, answers_for
from harness import REPO_ROOT, PostgresServer, bake_environment
from test_baked_checks import ALEMBIC_ROUND_TRIP, STATIC_COMMANDS, Workspace, Workspaces, passed

RESOURCE_DIR = REPO_ROOT / "resource"
# A bake on SQLite without auth (the matrix names its variants by their answers).
SQLITE_NONE = min(
    (
        name
        for name in VARIANTS
        if {**answers_for(name)}.items() >= {("database", "sqlite"), ("auth", "none")}
    ),
    key=lambda name: (answers_for(name).get("redis") != "no", name),
)


def load_rules() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "resource_fields", RESOURCE_DIR / "resource_fields.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["resource_fields"] = module
    spec.loader.exec_module(module)
    return module


rules = load_rules()


def fake_project(root: Path, auth: str = "users", database: str = "postgresql") -> Path:
    """Just what the pre-gen hook reads: the answers, and an existing package."""
    root.mkdir(parents=True, exist_ok=True)
    answers = {"context": {"cookiecutter": {"auth": auth, "database": database}}}
    (root / ".cruft.json").write_text(json.dumps(answers), encoding="utf-8")
    (root / "app" / "items").mkdir(parents=True)
    (root / "tests").mkdir()
    (root / "tests" / "test_limits.py").write_text("", encoding="utf-8")
    (root / "app" / "items" / "models.py").write_text(
        'class Item:\n    __tablename__ = "item"\n', encoding="utf-8"
    )
    return root


def answers(**changes: str) -> dict[str, str]:
    return {
        "singular": "widget",
        "plural": "widgets",
        "owned": "yes",
        "fields": "name:str(50)",
        "reference": "",
        **changes,
    }


def add_resource(
    project: Path, changes: dict[str, str], env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The command users run, from the project's root."""
    context = [f"{key}={value}" for key, value in answers(**changes).items()]
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "cookiecutter",
            "--no-input",
            str(REPO_ROOT),
            "--directory",
            "resource",
            *context,
        ],
        cwd=project,
        env=env or bake_environment(),
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_field_syntax() -> None:
    fields = rules.parse_fields(
        "title:str(120)!unique, notes:text?, quantity:int, price:decimal, done:bool, "
        "due:datetime?, kind:enum(small|large)"
    )
    assert [(f.name, f.type, f.optional, f.unique) for f in fields] == [
        ("title", "str", False, True),
        ("notes", "text", True, False),
        ("quantity", "int", False, False),
        ("price", "decimal", False, False),
        ("done", "bool", False, False),
        ("due", "datetime", True, False),
        ("kind", "enum", False, False),
    ]
    assert fields[0].length == 120
    assert fields[-1].choices == ("small", "large")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"singular": "class"}, "singular: 'class' is a Python keyword"),
        ({"plural": "Widgets"}, "plural: 'Widgets' is not a snake_case identifier"),
        ({"plural": "items"}, "plural: app/items exists"),
        ({"singular": "item", "plural": "things"}, "singular: the table 'item' exists"),
        ({"plural": "widget"}, "plural: 'widget' is the singular too"),
        ({"singular": "response"}, "singular: 'response' names a variable"),
        ({"plural": "limits"}, "plural: tests/test_limits.py exists"),
        ({"fields": "widget_read:int"}, "WidgetRead would shadow"),
        ({"fields": ""}, "fields: give at least one field"),
        ({"fields": "name:string"}, "unknown type 'string'"),
        ({"fields": "name:str(0)"}, "the length of str(N)"),
        ({"fields": "kind:enum(one)"}, "two or more distinct values"),
        ({"fields": "a:int, a:bool"}, "a given more than once"),
        ({"fields": "id:int"}, "'id' is a name every resource has"),
        ({"fields": "done:bool!unique"}, "a bool field cannot be unique"),
        ({"fields": "for:int"}, "'for' is a Python keyword"),
        ({"reference": "projects"}, "reference: app/projects is not a resource"),
    ],
)
def test_bad_answers_are_refused_with_the_field_named(
    tmp_path: Path, changes: dict[str, str], message: str
) -> None:
    project = fake_project(tmp_path)
    with pytest.raises(rules.Refused, match=None) as refused:
        rules.describe(answers(**changes), project)
    assert message in str(refused.value)


def test_owned_needs_users(tmp_path: Path) -> None:
    project = fake_project(tmp_path, auth="none")
    with pytest.raises(rules.Refused, match="owned: the project was baked with auth='none'"):
        rules.describe(answers(), project)
    assert not rules.describe(answers(owned="no"), project).owned


def test_outside_a_baked_project_it_says_where_to_run(tmp_path: Path) -> None:
    with pytest.raises(rules.Refused, match=r"run this template from the root of a project"):
        rules.describe(answers(), tmp_path)


@pytest.mark.parametrize(
    ("auth", "changes", "message"),
    [
        ("none", {}, "answer owned=no"),
        ("users", {"fields": "title:str(x)"}, "fields:"),
        ("users", {"reference": "gadgets"}, "reference:"),
    ],
)
def test_the_command_refuses_before_anything_is_written(
    tmp_path: Path, auth: str, changes: dict[str, str], message: str
) -> None:
    project = fake_project(tmp_path / "project", auth=auth)
    before = sorted(project.rglob("*"))
    result = add_resource(project, changes)
    assert result.returncode != 0
    assert message in result.stdout  # cookiecutter prints the refusal alone, no traceback
    assert "Traceback" not in result.stdout + result.stderr
    assert sorted(project.rglob("*")) == before  # not even the staging directory is made


# --- bakes that gain resources ------------------------------------------------------------


@pytest.fixture(scope="module")
def resource_workspaces(bakery: Bakery, tmp_path_factory: pytest.TempPathFactory) -> Workspaces:
    """Copies of their own, in the environments test_baked_checks makes (or reuses)."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    return Workspaces(bakery, tmp_path_factory.mktemp("resource"), shared / "environments")


@pytest.fixture
def fresh_database(request: pytest.FixtureRequest) -> Iterator[str]:
    server: PostgresServer = request.getfixturevalue("postgres")
    name = server.create_database()
    try:
        yield server.url(name)
    finally:
        server.drop_database(name)


def add_and_migrate(workspace: Workspace, database_url: str, **changes: str) -> None:
    plural = answers(**changes)["plural"]
    env = workspace.env({"DATABASE_URL": database_url})
    added = add_resource(workspace.project, changes, env)
    assert added.returncode == 0, added.stdout + added.stderr
    passed(workspace.uv_run(f"resource-{plural}", ("alembic", "upgrade", "head"), env))
    passed(
        workspace.uv_run(
            f"resource-{plural}",
            ("alembic", "revision", "--autogenerate", "-m", f"add {plural}"),
            env,
        )
    )
    (migration,) = (workspace.project / "migrations" / "versions").glob(f"*add_{plural}.py")
    text = migration.read_text(encoding="utf-8")
    # Exactly the new table, its indexes and constraints.
    assert text.count("op.create_table(") == 1
    assert f'op.create_table(\n        "{answers(**changes)["singular"]}",' in text
    assert "op.add_column" not in text
    assert "op.alter_column" not in text


def full_checks(workspace: Workspace, database_url: str, *pytest_args: str) -> None:
    env = workspace.env({"DATABASE_URL": database_url})
    for args in STATIC_COMMANDS.values():
        passed(workspace.uv_run("resource", args, env))
    for args in ALEMBIC_ROUND_TRIP:
        passed(workspace.uv_run("resource", args, env))
    passed(
        workspace.uv_run(
            "resource", ("pytest", "-q", "-p", "no:cacheprovider", *pytest_args), workspace.env()
        )
    )


@pytest.mark.slow
@pytest.mark.xdist_group("resource-postgresql")
def test_two_resources_on_postgresql(resource_workspaces: Workspaces, fresh_database: str) -> None:
    workspace = resource_workspaces.ready("postgresql")
    add_and_migrate(
        workspace,
        fresh_database,
        singular="gadget",
        plural="gadgets",
        fields=(
            "title:str(120)!unique, notes:text?, quantity:int, price:decimal, done:bool, "
            "due:datetime?, kind:enum(small|large)"
        ),
        reference="projects",
    )
    add_and_migrate(
        workspace,
        fresh_database,
        singular="part",
        plural="parts",
        fields="label:str(40), weight:int?",
        reference="gadgets",
    )
    full_checks(workspace, fresh_database, "--cov")
    # The bake's own fuzzing picks up every route of the schema, the new ones included.
    passed(
        workspace.uv_run(
            "resource-fuzz",
            ("pytest", "-q", "-p", "no:cacheprovider", "-m", "fuzz", "-k", "gadgets or parts"),
            workspace.env(),
        )
    )


@pytest.mark.slow
@pytest.mark.xdist_group("resource-sqlite")
def test_an_unowned_resource_on_sqlite_without_auth(
    resource_workspaces: Workspaces, tmp_path: Path
) -> None:
    workspace = resource_workspaces.ready(SQLITE_NONE)
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'check.db'}"
    add_and_migrate(
        workspace,
        database_url,
        owned="no",
        fields="code:str(20)!unique, amount:decimal?, due:datetime?, size:enum(s|m|l)",
        reference="projects",
    )
    full_checks(workspace, database_url)


def load_post_gen() -> ModuleType:
    path = RESOURCE_DIR / "hooks" / "post_gen_project.py"
    spec = importlib.util.spec_from_file_location("resource_post_gen", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


DOMAINS = '''"""Domains."""

from fastapi import APIRouter

from app.auth.router import router as auth_router
from app.items.router import router as items_router

ROUTERS: tuple[APIRouter, ...] = {routers}
'''
MODELS = '''"""Models."""

from app.db.base import Base
from app.items.models import Item

__all__ = ["Base", "Item"]
'''


@pytest.mark.parametrize(
    ("routers", "expected"),
    [
        (
            "(auth_router, items_router)",
            "ROUTERS: tuple[APIRouter, ...] = (auth_router, items_router, "
            "{{ cookiecutter.plural }}_router)\n",
        ),
        (
            "(\n    auth_router,\n    items_router,\n)",
            "ROUTERS: tuple[APIRouter, ...] = (\n    auth_router,\n    items_router,\n"
            "    {{ cookiecutter.plural }}_router,\n)\n",
        ),
    ],
    ids=["one-line", "exploded"],
)
def test_the_post_gen_hook_registers_the_router_and_model(
    tmp_path: Path, routers: str, expected: str
) -> None:
    hook = load_post_gen()
    (tmp_path / "app" / "db").mkdir(parents=True)
    (tmp_path / "app" / "domains.py").write_text(DOMAINS.format(routers=routers), encoding="utf-8")
    (tmp_path / "app" / "db" / "models.py").write_text(MODELS, encoding="utf-8")
    domains, models = hook.edited(tmp_path).values()
    assert expected in domains
    # The unrendered hook's names sort where the rendered ones would among these imports.
    assert "from app.{{ cookiecutter.plural }}.router import" in domains
    assert '__all__ = ["Base", "Item", "{{ (cookiecutter | resource).model }}"]' in models


@pytest.mark.parametrize("broken", ["domains", "models"])
def test_a_missing_anchor_stops_the_hook_before_anything_changes(
    tmp_path: Path, broken: str
) -> None:
    project = fake_project(tmp_path / "project")
    (project / "app" / "db").mkdir()
    routers = "(auth_router, items_router)"
    domains = DOMAINS.format(routers=routers)
    models = MODELS
    if broken == "domains":
        domains = domains.replace("ROUTERS", "ALL_ROUTERS")
    else:
        models = models.replace("__all__", "EXPORTED")
    (project / "app" / "domains.py").write_text(domains, encoding="utf-8")
    (project / "app" / "db" / "models.py").write_text(models, encoding="utf-8")
    before = {path: path.read_bytes() for path in project.rglob("*") if path.is_file()}
    result = add_resource(project, {})
    assert result.returncode != 0
    assert "Nothing was changed" in result.stderr
    assert {path: path.read_bytes() for path in project.rglob("*") if path.is_file()} == before
    assert not (project / ".new-resource").exists()


def test_the_pre_gen_hook_refuses_on_its_own(tmp_path: Path) -> None:
    """The same rules in the hook, for whatever renders the files without the extension."""
    project = fake_project(tmp_path / "project", auth="none")
    staging = project / ".new-resource"
    staging.mkdir()
    context = {**answers(), "_output_dir": str(project), "_repo_dir": str(RESOURCE_DIR)}
    source = (RESOURCE_DIR / "hooks" / "pre_gen_project.py").read_text(encoding="utf-8")
    hook = tmp_path / "pre_gen_project.py"
    hook.write_text(source.replace("{{ cookiecutter | jsonify }}", json.dumps(context)), "utf-8")
    refused = subprocess.run(
        [sys.executable, str(hook)], cwd=staging, capture_output=True, text=True, check=False
    )
    assert refused.returncode == 1
    assert "owned: the project was baked with auth='none'" in refused.stderr
    context["owned"] = "no"
    hook.write_text(source.replace("{{ cookiecutter | jsonify }}", json.dumps(context)), "utf-8")
    accepted = subprocess.run([sys.executable, str(hook)], cwd=staging, check=False)
    assert accepted.returncode == 0
