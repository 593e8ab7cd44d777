"""The command that serves the app in production: the Dockerfile's CMD, read from it."""

import json
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def production_command() -> list[str]:
    """The Dockerfile's CMD, as the image runs it."""
    dockerfile = (PROJECT_ROOT / "Dockerfile").read_text(encoding="utf-8")
    line = next(line for line in dockerfile.splitlines() if line.startswith("CMD "))
    command: list[str] = json.loads(line.removeprefix("CMD "))
    return command
