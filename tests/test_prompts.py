"""Bad answers, baked for real: each is refused, names its field, and leaves nothing behind."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from cookiecutter.exceptions import FailedHookException, OutputDirExistsException
from harness import bake
from pytest_cookies.plugin import Cookies

VALID_SLUG = {"project_slug": "my-service"}


@dataclass(frozen=True)
class BadAnswer:
    id: str
    answers: dict[str, object]
    field: str
    # Where the refusal comes from: our pre-gen hook ("hook"), cookiecutter's own choice check
    # ("choice"), or cookiecutter refusing a slug that names an existing directory ("exists").
    by: str = "hook"
    # Empty directories cookiecutter's `mkdir -p` made for a nested slug before any hook ran
    # (relative to the output dir); it removes only the project directory itself.
    leftover_dirs: tuple[str, ...] = ()


BAD_ANSWERS = [
    # project_name (a valid slug is given where the name alone would slugify to nothing)
    BadAnswer("name-empty", {"project_name": ""}, "project_name"),
    BadAnswer("name-whitespace", {"project_name": "   "}, "project_name"),
    BadAnswer("name-newline", {"project_name": "My\nService"}, "project_name"),
    BadAnswer("name-nul", {"project_name": "My\x00Service"}, "project_name"),
    BadAnswer("name-bidi-override", {"project_name": "My\u202eecivreS"}, "project_name"),
    BadAnswer("name-overlong", {"project_name": "Service " * 11}, "project_name"),
    BadAnswer("name-punctuation-only", {"project_name": "!!! ---"}, "project_name"),
    BadAnswer("name-padded", {"project_name": " My Service "}, "project_name"),
    BadAnswer(
        "name-template-syntax",
        {"project_name": "{% raw %}{{ 7 * 7 }}{% endraw %}", **VALID_SLUG},
        "project_name",
    ),
    BadAnswer("name-not-text", {"project_name": None, **VALID_SLUG}, "project_name"),
    # project_slug
    BadAnswer("slug-traversal", {"project_slug": "../evil"}, "project_slug"),
    BadAnswer("slug-deep-traversal", {"project_slug": "../../evil"}, "project_slug"),
    BadAnswer("slug-absolute", {"project_slug": "/tmp/evil-slug"}, "project_slug"),
    BadAnswer("slug-nested", {"project_slug": "a/b"}, "project_slug", leftover_dirs=("a",)),
    BadAnswer("slug-upper-case", {"project_slug": "My-Service"}, "project_slug"),
    BadAnswer("slug-space", {"project_slug": "my service"}, "project_slug"),
    BadAnswer("slug-underscore", {"project_slug": "my_service"}, "project_slug"),
    BadAnswer("slug-leading-dash", {"project_slug": "-service"}, "project_slug"),
    BadAnswer("slug-trailing-dash", {"project_slug": "service-"}, "project_slug"),
    BadAnswer("slug-double-dash", {"project_slug": "my--service"}, "project_slug"),
    BadAnswer("slug-leading-digit", {"project_slug": "1service"}, "project_slug"),
    BadAnswer("slug-one-char", {"project_slug": "x"}, "project_slug"),
    BadAnswer("slug-overlong", {"project_slug": "a" * 64}, "project_slug"),
    BadAnswer("slug-shell-command", {"project_slug": "x;rm -rf ~"}, "project_slug"),
    BadAnswer("slug-shell-substitution", {"project_slug": "$(whoami)"}, "project_slug"),
    BadAnswer("slug-backticks", {"project_slug": "`id`"}, "project_slug"),
    BadAnswer("slug-non-ascii", {"project_slug": "café"}, "project_slug"),
    BadAnswer("slug-reserved-database", {"project_slug": "postgres"}, "project_slug"),
    BadAnswer("slug-empty", {"project_slug": ""}, "project_slug", by="exists"),
    BadAnswer("slug-dot", {"project_slug": "."}, "project_slug", by="exists"),
    BadAnswer("slug-dot-dot", {"project_slug": ".."}, "project_slug", by="exists"),
    BadAnswer("db-name-overridden", {"__db_name": "postgres"}, "__db_name"),
    # description
    BadAnswer("description-two-lines", {"description": "one\ntwo"}, "description"),
    BadAnswer("description-tab", {"description": "a\tb"}, "description"),
    BadAnswer("description-overlong", {"description": "x" * 301}, "description"),
    BadAnswer(
        "description-template-syntax", {"description": "{% raw %}{#{% endraw %}"}, "description"
    ),
    # author
    BadAnswer("author-name-empty", {"author_name": ""}, "author_name"),
    BadAnswer("author-name-escape-sequence", {"author_name": "Bob\x1b[2J"}, "author_name"),
    BadAnswer("author-name-overlong", {"author_name": "x" * 101}, "author_name"),
    BadAnswer("author-name-not-text", {"author_name": {"first": "Bob"}}, "author_name"),
    BadAnswer("email-no-at", {"author_email": "not-an-email"}, "author_email"),
    BadAnswer("email-no-domain-dot", {"author_email": "me@localhost"}, "author_email"),
    BadAnswer("email-two-ats", {"author_email": "me@@example.com"}, "author_email"),
    BadAnswer("email-non-ascii", {"author_email": "josé@example.com"}, "author_email"),
    BadAnswer("email-newline", {"author_email": "me@example.com\nBcc: x@y.z"}, "author_email"),
    BadAnswer("email-markup", {"author_email": "<script>@example.com"}, "author_email"),
    # version
    BadAnswer("version-empty", {"version": ""}, "version"),
    BadAnswer("version-word", {"version": "latest"}, "version"),
    BadAnswer("version-semver-snapshot", {"version": "1.0.0-SNAPSHOT"}, "version"),
    BadAnswer("version-range", {"version": ">=1.0"}, "version"),
    BadAnswer("version-bool", {"version": True}, "version"),
    # choices: cookiecutter refuses these itself, before any hook
    BadAnswer("python-too-old", {"python_version": "3.10"}, "python_version", by="choice"),
    BadAnswer("python-unknown", {"python_version": "3.14"}, "python_version", by="choice"),
    BadAnswer("database-unknown", {"database": "mysql"}, "database", by="choice"),
    BadAnswer("database-wrong-case", {"database": "PostgreSQL"}, "database", by="choice"),
]


def tree(root: Path) -> set[str]:
    return {str(path.relative_to(root)) for path in root.rglob("*")}


def listing(directory: Path) -> set[str]:
    return {path.name for path in directory.iterdir()}


def assert_nothing_left(before: set[str], after: set[str], root: Path, allowed: set[str]) -> None:
    new = after - before - allowed
    assert not new, f"left behind under {root}: {sorted(new)}"
    for path in allowed & after:  # anything inside them would be in `new`
        assert (root / path).is_dir(), f"{path} is not a directory"


@pytest.mark.parametrize("case", BAD_ANSWERS, ids=[case.id for case in BAD_ANSWERS])
def test_bad_answer_is_refused_and_leaves_nothing(
    case: BadAnswer, cookies: Cookies, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    output_root = tmp_path / "cookies"  # pytest-cookies bakes into cookies/bake00
    slug = case.answers.get("project_slug")
    target = output_root / "bake00" / slug if isinstance(slug, str) and case.by == "hook" else None
    target_existed = target is not None and target.exists()
    outside_before = listing(tmp_path.parent)
    before = tree(tmp_path)

    result = cookies.bake(extra_context=case.answers)
    _, stderr = capfd.readouterr()

    assert result.exit_code != 0
    assert result.project_path is None
    if case.by == "hook":
        assert isinstance(result.exception, FailedHookException)
        assert f"  - {case.field}: " in stderr, stderr
    elif case.by == "choice":
        assert isinstance(result.exception, ValueError)
        assert f"choice variable {case.field}," in str(result.exception)
    else:
        assert isinstance(result.exception, OutputDirExistsException)

    allowed = {"cookies/bake00", *(f"cookies/bake00/{d}" for d in case.leftover_dirs)}
    assert_nothing_left(before, tree(tmp_path), tmp_path, allowed)
    assert listing(tmp_path.parent) <= outside_before
    if target is not None and not target_existed:
        assert not target.exists(), f"{target} was left behind"


def test_message_names_the_field_the_value_and_what_is_allowed(
    cookies: Cookies, capfd: pytest.CaptureFixture[str]
) -> None:
    result = cookies.bake(extra_context={"project_slug": "../evil", "author_email": "nope"})
    _, stderr = capfd.readouterr()
    assert result.exit_code != 0
    assert stderr.startswith("Cannot bake this project:\n")
    assert (
        "  - project_slug: '../evil' must start with a lower-case letter a-z, contain only "
        "a-z, 0-9 and '-', and end with a letter or digit (e.g. 'my-service')\n"
    ) in stderr
    assert "  - author_email: 'nope' must be an e-mail address like 'name@example.com'" in stderr


def test_bad_choice_in_a_replay_file_is_refused_by_the_hook(
    tmp_path: Path, cookiecutter_config: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """Replay bypasses cookiecutter's choice check; the pre-gen hook still refuses."""
    replay = tmp_path / "answers.json"
    answers = {
        "project_name": "My Service",
        "project_slug": "my-service",
        "description": "d",
        "author_name": "A",
        "author_email": "a@example.com",
        "version": "0.1.0",
        "python_version": "2.7",
        "database": "mysql",
        "__db_name": "my_service",
        "__project_name_literal": '"My Service"',
    }
    replay.write_text(json.dumps({"cookiecutter": answers}), encoding="utf-8")
    output = tmp_path / "out"
    output.mkdir()
    with pytest.raises(FailedHookException):
        bake(output, cookiecutter_config, replay=replay)
    stderr = capfd.readouterr().err
    assert "  - python_version: '2.7' must be one of '3.11', '3.12', '3.13'" in stderr
    assert "  - database: 'mysql' must be one of 'postgresql', 'sqlite'" in stderr
    assert list(output.iterdir()) == []


# --- baking over an existing directory ------------------------------------------------------


def existing_project(output: Path) -> tuple[Path, dict[str, bytes]]:
    """A directory where the bake would go, holding a user's work."""
    project = output / "my-service"
    (project / "app").mkdir(parents=True)
    files = {
        "README.md": b"my own notes\n",
        "app/main.py": b"print('my code')\n",
        ".env": b"SECRET_KEY=my-real-secret\n",
    }
    for name, content in files.items():
        (project / name).write_bytes(content)
    return project, files


def snapshot(root: Path) -> dict[str, bytes | None]:
    return {
        str(path.relative_to(root)): path.read_bytes() if path.is_file() else None
        for path in sorted(root.rglob("*"))
    }


@pytest.mark.parametrize(
    ("overwrite", "skip"),
    [(False, False), (True, False), (True, True)],
    ids=["default", "overwrite-if-exists", "overwrite-and-skip-existing"],
)
def test_baking_over_an_existing_project_never_touches_it(
    tmp_path: Path,
    cookiecutter_config: Path,
    capfd: pytest.CaptureFixture[str],
    overwrite: bool,
    skip: bool,
) -> None:
    output = tmp_path / "out"
    project, _ = existing_project(output)
    before = snapshot(output)

    expected = FailedHookException if overwrite else OutputDirExistsException
    with pytest.raises(expected):
        bake(
            output,
            cookiecutter_config,
            {"project_name": "My Service"},
            overwrite_if_exists=overwrite,
            skip_if_file_exists=skip,
        )

    assert snapshot(output) == before
    if overwrite:
        stderr = capfd.readouterr().err
        assert f"project directory {str(project)!r} already exists and is not empty" in stderr
