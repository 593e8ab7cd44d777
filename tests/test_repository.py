"""The template's own code meets the bar it sets for bakes: ruff, ruff format, mypy strict."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from harness import REPO_ROOT

OWN_CODE = (
    "hooks",
    "tests",
    "bake_checks.py",
    "benchmarks",
    "resource/hooks",
    "resource/resource_fields.py",
)


@pytest.mark.parametrize(
    "args",
    [
        ("ruff", "check", *OWN_CODE),
        ("ruff", "format", "--check", *OWN_CODE),
        ("mypy",),
    ],
    ids=["ruff-check", "ruff-format", "mypy"],
)
def test_template_code_is_clean(args: tuple[str, ...]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_no_lock_file_is_tracked() -> None:
    """A uv.lock records package-index URLs; the template and its bakes make their own."""
    git = shutil.which("git")
    if git is None or not (REPO_ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    tracked = subprocess.run(
        [git, "ls-files"], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert [path for path in tracked if path.split("/")[-1] == "uv.lock"] == []
