"""The project under test: baked from the working tree, installed, migrated, and a user of it
registered and logged in through its own API."""

from __future__ import annotations

import json
import sys
import urllib.parse
from pathlib import Path

from bench.config import REPO_ROOT, SetupError
from bench.processes import base_python, child_env, run_command
from bench.servers import http_request


def bake(tmp: Path) -> tuple[float, Path]:
    """Bake the default project into tmp with cookiecutter; its wall time and directory."""
    config_file = tmp / "cookiecutter-config.yaml"
    config_file.write_text(
        f'cookiecutters_dir: "{tmp / "cookiecutters"}"\nreplay_dir: "{tmp / "replay"}"\n'
    )
    output = tmp / "bake"
    output.mkdir()
    seconds, _ = run_command(
        [sys.executable, "-m", "cookiecutter", "--no-input", "-o", str(output), str(REPO_ROOT)],
        cwd=tmp,
        env=child_env({"COOKIECUTTER_CONFIG": str(config_file)}),
        timeout=300,
        what="cookiecutter",
    )
    baked = [path for path in output.iterdir() if path.is_dir()]
    if len(baked) != 1:
        raise SetupError(f"expected one baked project in {output}, found {baked}")
    return seconds, baked[0]


def install(project: Path) -> float:
    """`uv sync` in the bake, with its dev group, on this interpreter; the wall time."""
    seconds, _ = run_command(
        ["uv", "sync", "--python", base_python()],
        cwd=project,
        env=child_env(),
        timeout=600,
        what="uv sync",
    )
    return seconds


def migrate(project: Path, env: dict[str, str]) -> float:
    """`alembic upgrade head` in the bake, against the database in env; the wall time."""
    seconds, _ = run_command(
        [str(project / ".venv" / "bin" / "alembic"), "upgrade", "head"],
        cwd=project,
        env=env,
        timeout=300,
        what="alembic upgrade head",
    )
    return seconds


def login(port: int, email: str, password: str) -> str:
    """Register a user through the baked API, log in, and return the access token."""
    status, body = http_request(
        port,
        "POST",
        "/api/v1/auth/register",
        body=json.dumps({"email": email, "password": password, "full_name": "Bench User"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    if status != 201:
        raise SetupError(f"register answered {status}: {body[:500]!r}")
    status, body = http_request(
        port,
        "POST",
        "/api/v1/auth/login",
        body=urllib.parse.urlencode({"username": email, "password": password}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    if status != 200:
        raise SetupError(f"login answered {status}: {body[:500]!r}")
    return str(json.loads(body)["access_token"])
