"""Shared machinery of the template's tests: hook loading, baking, commands, PostgreSQL."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import quote

import pytest
from cookiecutter.main import cookiecutter

REPO_ROOT = Path(__file__).resolve().parent.parent
HOOKS_DIR = REPO_ROOT / "hooks"
BAKES_DIR = REPO_ROOT / ".bakes"
LOGS_DIR = BAKES_DIR / "logs"
OUTPUT_TAIL = 6000  # characters of a failed command's output shown in the failure


def load_hook(name: str) -> ModuleType:
    """Import hooks/<name>.py from its path, as cookiecutter's unrendered source."""
    path = HOOKS_DIR / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"template_hooks_{name}", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses and typing look modules up by name
    spec.loader.exec_module(module)
    return module


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def bake(
    output_dir: Path,
    config_file: Path,
    extra_context: Mapping[str, object] | None = None,
    *,
    replay: Path | None = None,
    overwrite_if_exists: bool = False,
    skip_if_file_exists: bool = False,
) -> Path:
    """Bake the template without prompts (or from a replay file); errors propagate."""
    options: dict[str, Any] = {
        "output_dir": str(output_dir),
        "config_file": str(config_file),
        "overwrite_if_exists": overwrite_if_exists,
        "skip_if_file_exists": skip_if_file_exists,
    }
    if replay is not None:
        return Path(cookiecutter(str(REPO_ROOT), replay=str(replay), **options))
    return Path(
        cookiecutter(
            str(REPO_ROOT), no_input=True, extra_context=dict(extra_context or {}), **options
        )
    )


def write_cookiecutter_config(directory: Path) -> Path:
    """A user config that keeps cookiecutter's replay and clone dirs out of $HOME."""
    directory.mkdir(parents=True, exist_ok=True)
    config = directory / "cookiecutter-config.yaml"
    config.write_text(
        f"cookiecutters_dir: {str(directory / 'cookiecutters')!r}\n"
        f"replay_dir: {str(directory / 'replay')!r}\n",
        encoding="utf-8",
    )
    return config


# --- running a bake's own tools ---------------------------------------------------------


@dataclass(frozen=True)
class CommandResult:
    args: tuple[str, ...]
    cwd: Path
    returncode: int
    stdout: str
    stderr: str
    log: Path

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def describe(self) -> str:
        """The failure text: command, where, exit status and the tail of its output."""
        return (
            f"$ {' '.join(self.args)}\n"
            f"  in {self.cwd}\n"
            f"  exit status {self.returncode}; full output in {self.log}\n"
            f"--- stdout (tail) ---\n{self.stdout[-OUTPUT_TAIL:]}\n"
            f"--- stderr (tail) ---\n{self.stderr[-OUTPUT_TAIL:]}"
        )


def uv_binary() -> str:
    found = os.environ.get("UV") or shutil.which("uv")
    if not found:
        pytest.fail("uv is not installed: run `python3 -m pip install uv` first")
    return found


def bake_environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment a bake's commands see: ours minus what would leak into its own run.

    The bake gets its own .venv (no UV_PROJECT_ENVIRONMENT, no VIRTUAL_ENV), shares one uv
    cache, never tries to download an interpreter, and does not inherit this pytest run's
    PYTEST_* variables or any DATABASE_URL other than the one a step passes.
    """
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"UV_PROJECT_ENVIRONMENT", "VIRTUAL_ENV", "DATABASE_URL", "PYTHONPATH"}
        and not key.startswith("PYTEST_")
    }
    env.setdefault("UV_CACHE_DIR", str(BAKES_DIR / "uv-cache"))
    env["UV_PYTHON_DOWNLOADS"] = "never"
    env["UV_NO_PROGRESS"] = "1"
    env.update(extra or {})
    return env


def run(
    args: Sequence[str],
    cwd: Path,
    log_name: str,
    env: Mapping[str, str] | None = None,
    timeout: float | None = None,
) -> CommandResult:
    """Run a command to completion, keeping its whole output in .bakes/logs/<log_name>.log."""
    LOGS_DIR.mkdir(parents=True, exist_ok=True)
    log = LOGS_DIR / f"{log_name}.log"
    limit = timeout if timeout is not None else float(os.environ.get("TEMPLATE_STEP_TIMEOUT", 1800))
    try:
        completed = subprocess.run(
            list(args),
            cwd=cwd,
            env=dict(env) if env is not None else bake_environment(),
            capture_output=True,
            text=True,
            timeout=limit,
            check=False,
            stdin=subprocess.DEVNULL,
        )
        returncode, stdout, stderr = completed.returncode, completed.stdout, completed.stderr
    except subprocess.TimeoutExpired as expired:
        returncode = -1
        stdout = _text(expired.stdout)
        stderr = _text(expired.stderr) + f"\n[timed out after {limit:.0f} s]"
    log.write_text(
        f"$ {' '.join(args)}\n# cwd: {cwd}\n# exit status: {returncode}\n"
        f"--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}\n",
        encoding="utf-8",
    )
    return CommandResult(tuple(args), cwd, returncode, stdout, stderr, log)


def _text(output: str | bytes | None) -> str:
    if output is None:
        return ""
    return output.decode("utf-8", "replace") if isinstance(output, bytes) else output


# --- PostgreSQL -------------------------------------------------------------------------


@dataclass(frozen=True)
class PostgresServer:
    host: str
    port: str
    user: str
    password: str | None

    @classmethod
    def from_environment(cls) -> PostgresServer:
        return cls(
            host=os.environ.get("PGHOST", "127.0.0.1"),
            port=os.environ.get("PGPORT", "5432"),
            user=os.environ.get("PGUSER", "postgres"),
            password=os.environ.get("PGPASSWORD"),
        )

    def client_args(self) -> list[str]:
        return ["-h", self.host, "-p", self.port, "-U", self.user]

    def unavailable_reason(self) -> str | None:
        """None when the server answers a query, else why not."""
        psql = shutil.which("psql")
        if psql is None:
            return "PostgreSQL client `psql` is not installed"
        try:
            probe = subprocess.run(
                [psql, *self.client_args(), "-X", "-d", "postgres", "-tAc", "SELECT 1"],
                capture_output=True,
                text=True,
                timeout=15,
                check=False,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired:
            return f"PostgreSQL at {self.host}:{self.port} did not answer within 15 s"
        if probe.returncode != 0 or probe.stdout.strip() != "1":
            return (
                f"PostgreSQL is missing: cannot connect to {self.host}:{self.port} "
                f"as {self.user!r}: {probe.stderr.strip() or probe.stdout.strip()}"
            )
        return None

    def url(self, database: str) -> str:
        credentials = quote(self.user, safe="")
        if self.password:
            credentials += ":" + quote(self.password, safe="")
        return f"postgresql+asyncpg://{credentials}@{self.host}:{self.port}/{database}"

    def create_database(self) -> str:
        name = f"tmpl_{uuid.uuid4().hex[:16]}"
        self._client("createdb", name)
        return name

    def drop_database(self, name: str) -> None:
        self._client("dropdb", "--if-exists", "--force", name)

    def _client(self, program: str, *args: str) -> None:
        binary = shutil.which(program)
        if binary is None:
            pytest.fail(f"PostgreSQL client `{program}` is not installed")
        done = subprocess.run(
            [binary, *self.client_args(), *args],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            stdin=subprocess.DEVNULL,
        )
        if done.returncode != 0:
            pytest.fail(f"{program} {' '.join(args)} failed: {done.stderr.strip()}")


def require_postgres(server: PostgresServer) -> None:
    """Skip outside CI, fail under CI=true, when the PostgreSQL server cannot be used."""
    reason = server.unavailable_reason()
    if reason is None:
        return
    if in_ci():
        pytest.fail(f"{reason} (CI=true: a missing PostgreSQL fails the run)")
    pytest.skip(reason)
