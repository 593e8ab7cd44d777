"""Move the new resource into the project and register it, or change nothing.

Cookiecutter runs this inside the staging directory it rendered (`.new-resource`, in the
project's root). Every edit is worked out and checked first; a file whose anchor is missing
stops the hook with a message saying what to add by hand, before any file of the project is
touched. Then the package and its tests move into place, `app/domains.py` lists the router,
`app/db/models.py` imports the model (so Alembic sees the table), and the project's own ruff
formats and sorts the new code.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

SINGULAR = "{{ cookiecutter.singular }}"
PLURAL = "{{ cookiecutter.plural }}"
MODEL = "{{ (cookiecutter | resource).model }}"
LINE_LENGTH = 100

ROUTERS_RE = re.compile(r"^ROUTERS: tuple\[APIRouter, \.\.\.\] = \((?P<names>[^)]*)\)\n", re.M)
ALL_RE = re.compile(r"^__all__ = \[(?P<names>[^\]]*)\]\n", re.M)
APP_IMPORTS_RE = re.compile(r"^(?:from app\.\S+ import [^\n(]+\n)+", re.M)


class AnchorMissing(Exception):
    pass


def add_import(source: str, line: str, path: str) -> str:
    """`line` among the block of `from app.... import ...` lines, kept in module order."""
    block = APP_IMPORTS_RE.search(source)
    if block is None:
        raise AnchorMissing(f"{path}: no block of `from app.... import ...` lines; add `{line}`")
    lines = sorted([*block.group(0).splitlines(), line], key=lambda text: text.split()[1])
    return source[: block.start()] + "\n".join(lines) + "\n" + source[block.end() :]


def add_to_sequence(
    source: str, pattern: re.Pattern[str], name: str, path: str, *, head: str, brackets: str
) -> str:
    """Append `name` to the one-line or exploded sequence `pattern` finds, as ruff writes it."""
    found = pattern.search(source)
    if found is None:
        raise AnchorMissing(f"{path}: no `{head}{brackets}` found; add {name} to it by hand")
    names = [part.strip() for part in found.group("names").split(",") if part.strip()]
    names.append(name)
    if head.startswith("__all__"):
        names.sort(key=lambda quoted: quoted.strip("\"'"))
    one_line = f"{head}{brackets[0]}{', '.join(names)}{brackets[1]}"
    # One line where it fits, unless it was exploded (ruff keeps a magic trailing comma's lines).
    if len(one_line) <= LINE_LENGTH and "\n" not in found.group("names"):
        text = one_line + "\n"
    else:
        body = "".join(f"    {part},\n" for part in names)
        text = f"{head}{brackets[0]}\n{body}{brackets[1]}\n"
    return source[: found.start()] + text + source[found.end() :]


def edited(project: Path) -> dict[Path, str]:
    domains = project / "app" / "domains.py"
    models = project / "app" / "db" / "models.py"
    for path in (domains, models):
        if not path.is_file():
            raise AnchorMissing(f"{path} does not exist: is this the root of a baked project?")
    source = add_import(
        domains.read_text(encoding="utf-8"),
        f"from app.{PLURAL}.router import router as {PLURAL}_router",
        "app/domains.py",
    )
    source = add_to_sequence(
        source,
        ROUTERS_RE,
        f"{PLURAL}_router",
        "app/domains.py",
        head="ROUTERS: tuple[APIRouter, ...] = ",
        brackets="()",
    )
    model_source = add_import(
        models.read_text(encoding="utf-8"),
        f"from app.{PLURAL}.models import {MODEL}",
        "app/db/models.py",
    )
    model_source = add_to_sequence(
        model_source, ALL_RE, f'"{MODEL}"', "app/db/models.py", head="__all__ = ", brackets="[]"
    )
    return {domains: source, models: model_source}


def ruff(project: Path) -> list[str] | None:
    """The project's own ruff: its virtual environment's, else one on PATH, else through uv."""
    environments = [project / ".venv"]
    if os.environ.get("UV_PROJECT_ENVIRONMENT"):
        environments.insert(0, project / os.environ["UV_PROJECT_ENVIRONMENT"])
    for environment in environments:
        for candidate in (environment / "bin" / "ruff", environment / "Scripts" / "ruff.exe"):
            if candidate.is_file():
                return [str(candidate)]
    if shutil.which("ruff"):
        return ["ruff"]
    if shutil.which("uv"):
        return ["uv", "run", "ruff"]
    return None


def main() -> int:
    staging = Path.cwd()
    project = staging.parent
    try:
        changes = edited(project)
    except AnchorMissing as exc:
        print(f"ERROR: {exc}. Nothing was changed.", file=sys.stderr)
        return 1
    package = project / "app" / PLURAL
    tests = project / "tests" / f"test_{PLURAL}.py"
    shutil.move(staging / "app" / PLURAL, package)
    shutil.move(staging / "tests" / f"test_{PLURAL}.py", tests)
    for path, text in changes.items():
        path.write_text(text, encoding="utf-8")
    new = [str(package.relative_to(project)), str(tests.relative_to(project))]
    command = ruff(project)
    if command is None:
        print(
            f"WARNING: no ruff found; run `ruff check --fix` and `ruff format` on {' '.join(new)}."
        )
    else:
        for arguments in (["check", "--fix", "--quiet", *new], ["format", "--quiet", *new]):
            if subprocess.run([*command, *arguments], cwd=project, check=False).returncode:  # noqa: S603
                print(f"WARNING: `{' '.join([*command, *arguments])}` failed; see above.")
    print(
        f"Added app/{PLURAL} and tests/test_{PLURAL}.py, registered in app/domains.py and "
        f"app/db/models.py. Next:\n"
        f'  uv run alembic revision --autogenerate -m "add {PLURAL}"\n'
        "  uv run alembic upgrade head\n"
        "  uv run pytest"
    )
    return 0


if __name__ == "__main__":
    status = main()
    if status == 0:
        # Cookiecutter leaves the rendered directory in place: nothing of it is left to keep.
        shutil.rmtree(Path.cwd())
    sys.exit(status)
