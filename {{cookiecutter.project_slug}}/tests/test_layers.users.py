"""The layer rules, checked on the source: services and repositories know nothing of HTTP,
repositories never commit, and `users` does not depend on `auth`."""

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"
HTTP_FREE_LAYERS = ("service.py", "repository.py", "models.py", "schemas.py", "errors.py")


def imported_modules(path: Path) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
    return modules


@pytest.mark.parametrize(
    "path",
    sorted(
        path
        for name in HTTP_FREE_LAYERS
        for path in APP.glob(f"*/{name}")
        if path.parent.name != "core"  # the error handlers and dependencies live there
    ),
    ids=lambda path: f"{path.parent.name}/{path.name}",
)
def test_services_and_repositories_do_not_import_the_web_framework(path: Path) -> None:
    web = {
        module
        for module in imported_modules(path)
        if module.split(".")[0] in {"fastapi", "starlette"}
    }
    assert web == set()


def test_users_does_not_depend_on_auth() -> None:
    """auth builds on users; only the users router asks auth who is calling."""
    for path in (APP / "users").glob("*.py"):
        if path.name != "router.py":
            assert not any(module.startswith("app.auth") for module in imported_modules(path)), path


def test_repositories_never_commit() -> None:
    for path in [*APP.glob("*/repository.py"), APP / "db" / "repository.py"]:
        assert ".commit(" not in path.read_text(encoding="utf-8"), path
