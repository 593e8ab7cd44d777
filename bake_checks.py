"""Refuse unbakeable answers before cookiecutter creates the project directory.

Cookiecutter creates the project directory, `{{cookiecutter.project_slug}}` rendered, before it
runs hooks/pre_gen_project.py. An answer the file system cannot hold (a slug of 300
characters, or one holding a NUL or a '/') therefore used to end in a Python traceback from
cookiecutter, or leave directories behind, before the hook could refuse it; and cookiecutter's
command line prints a traceback for every failing hook as well.

This module is a local Jinja extension, listed in cookiecutter.json's `_extensions`;
cookiecutter imports it from the template root. It loads the pre-gen hook's own rules from
the hook file (one set of rules, not two) and applies them when cookiecutter renders the
project directory's name, with every answer final and nothing yet written: the same moment in
every mode (prompts, --no-input, extra context, the Python API, --replay). A refusal raises
`AnswersRefused`, a FailedHookException, whose message names each field, its value and what
is allowed; cookiecutter's command line prints it without a traceback and exits with status 1.
The hook still runs afterwards and checks the same rules again.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from cookiecutter.exceptions import FailedHookException
from jinja2 import Environment
from jinja2.ext import Extension

RULES_FILE = Path(__file__).resolve().parent / "hooks" / "pre_gen_project.py"

# The template directory's name, which cookiecutter renders (Environment.from_string, so with
# no template name) just before it creates the project directory.
PROJECT_DIRECTORY = "{{cookiecutter.project_slug}}"
CHECK_FILTER = "bake_checks_refuse_unbakeable"
# The same name, rendered after the check: the filter raises or renders as nothing.
CHECKED_PROJECT_DIRECTORY = "{{ cookiecutter | " + CHECK_FILTER + " }}" + PROJECT_DIRECTORY


def load_rules(path: Path = RULES_FILE) -> ModuleType:
    """Import the pre-gen hook from its unrendered file (its template syntax is on a line
    that runs only as a script)."""
    spec = importlib.util.spec_from_file_location("bake_checks_pre_gen_rules", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load the answer rules from {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


if TYPE_CHECKING:
    import pre_gen_project as rules
else:
    rules = load_rules()


class AnswersRefused(FailedHookException):  # type: ignore[misc]  # cookiecutter is untyped
    """The answers cannot make a working project; the message lists every problem."""


def problems(answers: Mapping[str, object]) -> list[str]:
    """The pre-gen hook's rules, and its check of the directory the bake would write into."""
    errors = rules.validate(answers)
    slug = answers.get("project_slug")
    output_dir = answers.get("_output_dir")
    if isinstance(slug, str) and isinstance(output_dir, str) and not rules.check_project_slug(slug):
        target = Path(output_dir, slug)
        if os.path.lexists(target):
            errors.extend(rules.target_directory_problems(target))
    return errors


def refuse_unbakeable(answers: object) -> str:
    """Raise AnswersRefused when the answers cannot be baked; render as nothing otherwise.

    Answers still being prompted for are skipped: only a complete set is final.
    """
    if not isinstance(answers, Mapping) or not all(field in answers for field in rules.CHECKS):
        return ""
    errors = problems(answers)
    if errors:
        raise AnswersRefused(rules.report(errors))
    return ""


def text_only(slugify: Callable[..., str]) -> Callable[..., str]:
    """Cookiecutter's slugify, giving "" for an answer that is not text (None, say, from the
    Python API) instead of a TypeError, so the default slug falls back to 'my-service' and the
    check can name the answer that is wrong."""

    def slugify_text(value: object, *args: object, **kwargs: object) -> str:
        return slugify(value, *args, **kwargs) if isinstance(value, str) else ""

    return slugify_text


class BakeChecks(Extension):
    """Checks the answers while cookiecutter renders the project directory's name."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters[CHECK_FILTER] = refuse_unbakeable
        slugify = environment.filters.get("slugify")
        if slugify is not None:
            environment.filters["slugify"] = text_only(slugify)

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        if name is None and source == PROJECT_DIRECTORY:
            return CHECKED_PROJECT_DIRECTORY
        return source
