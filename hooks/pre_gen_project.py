"""Refuse a bake before any file is written when an answer cannot make a working project.

Cookiecutter renders this file with Jinja and runs it with the (still empty) project
directory as the working directory; on a non-zero exit it deletes the directory it created.
Only the last line holds template syntax, so the unrendered file stays importable: the tests
import it, and so does `bake_checks.py`, the template's Jinja extension, which applies these
same rules earlier, before cookiecutter creates the project directory (see its docstring).
No third-party imports: this runs in the user's cookiecutter environment.
"""

from __future__ import annotations

import json
import os
import re
import sys
import unicodedata
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import NamedTuple

PYTHON_VERSIONS = ("3.11", "3.12", "3.13")
DATABASES = ("postgresql", "sqlite")
AUTHS = ("users", "none")
AI_PROVIDERS = ("none", "anthropic", "openai")
YES_NO = ("yes", "no")
CI_SERVICES = ("github", "gitlab", "none")
LICENSES = ("MIT", "Apache-2.0", "BSD-3-Clause", "proprietary")

PROJECT_NAME_MAX = 80
PROJECT_SLUG_MAX = 63  # PostgreSQL's identifier limit: the slug also names the database
DESCRIPTION_MAX = 300
AUTHOR_NAME_MAX = 100
EMAIL_MAX = 254
VERSION_MAX = 64
SHOWN_MAX = 60  # how much of a bad value an error message quotes

SLUG_RE = re.compile(r"[a-z][a-z0-9-]*[a-z0-9]")
# Databases every PostgreSQL server already has; baking over them would migrate into them.
RESERVED_DATABASE_NAMES = frozenset({"postgres", "template0", "template1"})

# A plausible address, ASCII only: it lands in pyproject.toml, the README and the settings.
EMAIL_RE = re.compile(
    r"""
    (?P<local>[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*)
    @
    (?P<domain>(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,63})
    """,
    re.VERBOSE,
)

# Every version PEP 440 accepts (its public and local forms, in any spelling the spec
# normalises), written from the grammar in the specification.
PEP440_RE = re.compile(
    r"""
    v?
    (?:[0-9]+!)?                                     # epoch
    [0-9]+(?:\.[0-9]+)*                              # release
    (?:[-_.]?(?:alpha|beta|preview|pre|rc|a|b|c)[-_.]?[0-9]*)?          # pre-release
    (?:-[0-9]+|[-_.]?(?:post|rev|r)[-_.]?[0-9]*)?    # post-release
    (?:[-_.]?dev[-_.]?[0-9]*)?                       # development release
    (?:\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?              # local version label
    """,
    re.VERBOSE | re.IGNORECASE,
)

TEMPLATE_MARKERS = ("{" + "{", "{" + "%", "{" + "#")  # split so Jinja leaves this file alone


def shown(value: object) -> str:
    """Quote a bad value for an error message, truncated so a huge answer stays readable."""
    text = repr(value)
    if len(text) > SHOWN_MAX:
        text = text[: SHOWN_MAX - 3] + "..."
    return text


def invisible_characters(text: str) -> list[str]:
    """Name the control, format and line-separator characters in text (tab and newline included)."""
    found: list[str] = []
    for char in text:
        category = unicodedata.category(char)
        if category.startswith("C") or category in ("Zl", "Zp"):
            name = unicodedata.name(char, "") or f"{char!r} (U+{ord(char):04X})"
            if name not in found:
                found.append(name)
    return found


def text_problems(value: str, *, max_length: int) -> list[str]:
    """Rules shared by the free-text answers: length, visible characters, no template syntax."""
    problems: list[str] = []
    if not value.strip():
        problems.append("must not be empty or only whitespace")
        return problems
    if value != value.strip():
        problems.append("must not start or end with whitespace")
    if len(value) > max_length:
        problems.append(f"must be at most {max_length} characters (got {len(value)})")
    invisible = invisible_characters(value)
    if invisible:
        problems.append(
            f"must be a single line of visible characters (found {', '.join(invisible)})"
        )
    if any(marker in value for marker in TEMPLATE_MARKERS):
        markers = ", ".join(repr(marker) for marker in TEMPLATE_MARKERS)
        problems.append(f"must not contain template syntax ({markers})")
    return problems


def database_name(slug: str) -> str:
    """The database a bake's settings name: the slug with '-' replaced by '_'."""
    return slug.replace("-", "_")


def check_project_name(value: str) -> list[str]:
    problems = text_problems(value, max_length=PROJECT_NAME_MAX)
    if value.strip() and not any(char.isalnum() for char in value):
        problems.append("must contain at least one letter or digit")
    return problems


def check_project_slug(value: str) -> list[str]:
    allowed = (
        "must start with a lower-case letter a-z, contain only a-z, 0-9 and '-', "
        "and end with a letter or digit (e.g. 'my-service')"
    )
    if not SLUG_RE.fullmatch(value):
        return [allowed]
    problems: list[str] = []
    if "--" in value:
        problems.append("must not contain '--'")
    if len(value) > PROJECT_SLUG_MAX:
        problems.append(
            f"must be at most {PROJECT_SLUG_MAX} characters, the PostgreSQL name limit "
            f"(got {len(value)})"
        )
    if database_name(value) in RESERVED_DATABASE_NAMES:
        problems.append(
            f"must not name a database every PostgreSQL server already has "
            f"({', '.join(sorted(RESERVED_DATABASE_NAMES))})"
        )
    return problems


def check_description(value: str) -> list[str]:
    return text_problems(value, max_length=DESCRIPTION_MAX)


def check_author_name(value: str) -> list[str]:
    return text_problems(value, max_length=AUTHOR_NAME_MAX)


def check_author_email(value: str) -> list[str]:
    if len(value) > EMAIL_MAX:
        return [f"must be at most {EMAIL_MAX} characters (got {len(value)})"]
    match = EMAIL_RE.fullmatch(value)
    if match is None or len(match["local"]) > 64:
        return [
            "must be an e-mail address like 'name@example.com' (ASCII letters, digits "
            "and . _ % + - before the '@', a domain with a dot after it)"
        ]
    return []


def check_version(value: str) -> list[str]:
    if len(value) > VERSION_MAX or not PEP440_RE.fullmatch(value):
        return ["must be a PEP 440 version such as '0.1.0', '1.0.0rc1' or '2.0.0.dev3'"]
    return []


def choice_check(choices: tuple[str, ...]) -> Callable[[str], list[str]]:
    def check(value: str) -> list[str]:
        if value in choices:
            return []
        return [f"must be one of {', '.join(repr(choice) for choice in choices)}"]

    return check


CHECKS: dict[str, Callable[[str], list[str]]] = {
    "project_name": check_project_name,
    "project_slug": check_project_slug,
    "description": check_description,
    "author_name": check_author_name,
    "author_email": check_author_email,
    "version": check_version,
    "python_version": choice_check(PYTHON_VERSIONS),
    "database": choice_check(DATABASES),
    "auth": choice_check(AUTHS),
    "ai_provider": choice_check(AI_PROVIDERS),
    "docker": choice_check(YES_NO),
    "kubernetes": choice_check(YES_NO),
    "metrics": choice_check(YES_NO),
    "tracing": choice_check(YES_NO),
    "sentry": choice_check(YES_NO),
    "ci": choice_check(CI_SERVICES),
    "license": choice_check(LICENSES),
    "redis": choice_check(YES_NO),
    "background_jobs": choice_check(YES_NO),
    "git_init": choice_check(YES_NO),
}


class Conflict(NamedTuple):
    """Answers that each make sense alone but cannot work together.

    (A NamedTuple, not a dataclass: bake_checks.py loads this file as a module that is not in
    sys.modules, where dataclasses cannot resolve postponed annotations.)
    """

    when: Mapping[str, str]  # option -> the answer that takes part in the conflict
    why: str
    instead: str

    def applies(self, answers: Mapping[str, object]) -> bool:
        """True when every answer named is given as listed (absent options never conflict)."""
        return all(answers.get(option) == value for option, value in self.when.items())

    def message(self) -> str:
        named = " with ".join(f"{option}={value!r}" for option, value in self.when.items())
        return f"{named} cannot work: {self.why}; pick {self.instead}"


# Every combination the template refuses. The tests' all-pairs matrix leaves these out too.
CONFLICTS = (
    Conflict(
        {"kubernetes": "yes", "docker": "no"},
        "the Kubernetes manifests deploy the image the Dockerfile builds, and docker='no' "
        "bakes no Dockerfile",
        "docker='yes', or kubernetes='no'",
    ),
    Conflict(
        {"kubernetes": "yes", "database": "sqlite"},
        "the Deployment runs several replicas (and an autoscaler adds more) that must share one "
        "database, and a SQLite file belongs to one pod",
        "database='postgresql', or kubernetes='no'",
    ),
    Conflict(
        {"background_jobs": "yes", "redis": "no"},
        "the job queue, its retries and its dead-letter list live in Redis, and redis='no' "
        "bakes no Redis",
        "redis='yes', or background_jobs='no'",
    ),
)


def conflicts(answers: Mapping[str, object]) -> list[str]:
    """One message per conflicting set of answers."""
    return [conflict.message() for conflict in CONFLICTS if conflict.applies(answers)]


def validate(answers: Mapping[str, object]) -> list[str]:
    """Return one message per broken rule; an empty list means the answers can be baked."""
    errors: list[str] = []
    for field, check in CHECKS.items():
        if field not in answers:
            errors.append(f"{field}: missing from the answers")
            continue
        value = answers[field]
        if not isinstance(value, str):
            errors.append(f"{field}: {shown(value)} is a {type(value).__name__}; it must be text")
            continue
        errors.extend(f"{field}: {shown(value)} {problem}" for problem in check(value))

    # A derived answer can be overridden (extra context, replay file); it must stay derived.
    slug = answers.get("project_slug")
    db_name = answers.get("__db_name")
    if isinstance(slug, str) and db_name is not None and db_name != database_name(slug):
        errors.append(
            f"__db_name: {shown(db_name)} must be the project_slug with '-' replaced by '_' "
            f"({shown(database_name(slug))})"
        )
    errors.extend(conflicts(answers))
    return errors


def target_directory_problems(directory: Path) -> list[str]:
    """Refuse to bake into a directory that already holds files (--overwrite-if-exists)."""
    try:
        entries = sorted(os.listdir(directory))  # noqa: PTH208 (names, not paths)
    except OSError as error:
        return [f"project directory {str(directory)!r} cannot be read: {error}"]
    if not entries:
        return []
    listed = ", ".join(entries[:5]) + (", ..." if len(entries) > 5 else "")
    return [
        f"project directory {str(directory)!r} already exists and is not empty ({listed}); "
        "refusing to bake over it so none of its files is overwritten. Choose another "
        "project_slug or output directory, or move that directory away first."
    ]


def report(errors: list[str]) -> str:
    """The refusal a user reads: one line per problem, each naming its field."""
    return "\n".join(
        [
            "Cannot bake this project:",
            *(f"  - {error}" for error in errors),
            "Nothing was written. Run cookiecutter again with other answers.",
        ]
    )


def main(answers: Mapping[str, object], directory: Path | None = None) -> int:
    errors = validate(answers)
    errors.extend(target_directory_problems(Path.cwd() if directory is None else directory))
    if not errors:
        return 0
    print(report(errors), file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(json.loads({{ cookiecutter | tojson | tojson }})))  # type: ignore[name-defined,arg-type]  # noqa: F821  # fmt: skip
