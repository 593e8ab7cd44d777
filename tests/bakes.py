"""The session's bakes: each variant baked once, on first use, shared by every test module."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from expectations import ANSWERS_FILE, answers_for
from pytest_cookies.plugin import Cookies


@dataclass(frozen=True)
class Bake:
    """One baked project, or the error that stopped the bake."""

    variant: str
    answers: dict[str, str]
    project_dir: Path | None
    error: BaseException | None

    def require(self) -> Path:
        if self.project_dir is None:
            pytest.fail(f"bake {self.variant!r} failed: {self.error!r}", pytrace=False)
        return self.project_dir

    def recorded_answers(self) -> dict[str, object]:
        """The answers `.cruft.json` records (its context, in the replay format)."""
        data: dict[str, dict[str, dict[str, object]]] = json.loads(
            (self.require() / ANSWERS_FILE).read_text(encoding="utf-8")
        )
        return data["context"]["cookiecutter"]


@dataclass
class Bakery:
    """Bakes each variant once per session, on first use."""

    cookies: Cookies
    bakes: dict[str, Bake] = field(default_factory=dict)

    def get(self, variant: str) -> Bake:
        if variant not in self.bakes:
            answers = answers_for(variant)
            result = self.cookies.bake(extra_context=answers)
            project_dir = result.project_path if result.exit_code == 0 else None
            self.bakes[variant] = Bake(variant, answers, project_dir, result.exception)
        return self.bakes[variant]
