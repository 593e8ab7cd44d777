"""Bad answers, baked for real: each is refused, names its field, and leaves nothing behind.

Every answer is checked while cookiecutter renders the project directory's name, before it
creates anything (bake_checks.py, with the pre-gen hook's rules), so a refusal is the same
whether the answers come from the Python API, the command line, prompts on stdin or a replay
file. The only refusals that come from cookiecutter itself are a choice outside the listed
ones given as extra context, and extra context that is not valid Jinja (see the xfail tests).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from cookiecutter.exceptions import FailedHookException
from expectations import CHOICE_DEFAULTS
from harness import REPO_ROOT, bake
from pytest_cookies.plugin import Cookies

TRACEBACK = "Traceback (most recent call last)"
REFUSAL = "Cannot bake this project:\n"
VALID_SLUG = {"project_slug": "my-service"}
CLI_TIMEOUT = 120


@dataclass(frozen=True)
class BadAnswer:
    id: str
    answers: dict[str, object]
    field: str
    # Who refuses: the answer check ("check", AnswersRefused before any directory is made), or
    # cookiecutter itself for a choice outside the listed ones ("choice", a ValueError raised
    # while it reads the extra context, before any template code runs).
    by: str = "check"


BAD_ANSWERS = [
    # project_name (a valid slug is given where the name alone would slugify to nothing)
    BadAnswer("name-empty", {"project_name": ""}, "project_name"),
    BadAnswer("name-whitespace", {"project_name": "   "}, "project_name"),
    BadAnswer("name-newline", {"project_name": "My\nService"}, "project_name"),
    BadAnswer("name-nul", {"project_name": "My\x00Service"}, "project_name"),
    BadAnswer("name-bidi-override", {"project_name": "My\u202eecivreS"}, "project_name"),
    BadAnswer("name-lone-surrogate", {"project_name": "My \udcff"}, "project_name"),
    BadAnswer("name-overlong", {"project_name": "Service " * 11}, "project_name"),
    BadAnswer("name-punctuation-only", {"project_name": "!!! ---"}, "project_name"),
    BadAnswer("name-padded", {"project_name": " My Service "}, "project_name"),
    BadAnswer(
        "name-template-syntax",
        {"project_name": "{% raw %}{{ 7 * 7 }}{% endraw %}", **VALID_SLUG},
        "project_name",
    ),
    BadAnswer("name-not-text", {"project_name": None, **VALID_SLUG}, "project_name"),
    # None used to stop cookiecutter's slugify (the default slug) with a TypeError
    BadAnswer("name-not-text-default-slug", {"project_name": None}, "project_name"),
    # project_slug: each of these names a path, or one the file system cannot hold
    BadAnswer("slug-traversal", {"project_slug": "../evil"}, "project_slug"),
    BadAnswer("slug-deep-traversal", {"project_slug": "../../evil"}, "project_slug"),
    BadAnswer("slug-absolute", {"project_slug": "/tmp/evil-slug"}, "project_slug"),
    BadAnswer("slug-nested", {"project_slug": "a/b"}, "project_slug"),
    BadAnswer("slug-empty", {"project_slug": ""}, "project_slug"),
    BadAnswer("slug-dot", {"project_slug": "."}, "project_slug"),
    BadAnswer("slug-dot-dot", {"project_slug": ".."}, "project_slug"),
    BadAnswer("slug-too-long-for-a-file-name", {"project_slug": "a" * 300}, "project_slug"),
    BadAnswer("slug-one-past-name-max", {"project_slug": "a" * 256}, "project_slug"),
    BadAnswer("slug-past-path-max", {"project_slug": "a/" * 2100 + "b"}, "project_slug"),
    BadAnswer("slug-nul", {"project_slug": "my\x00service"}, "project_slug"),
    BadAnswer("slug-newline", {"project_slug": "my\nservice"}, "project_slug"),
    BadAnswer("slug-lone-surrogate", {"project_slug": "my-\udcffservice"}, "project_slug"),
    BadAnswer("slug-not-text", {"project_slug": None}, "project_slug"),
    BadAnswer("slug-number", {"project_slug": 123}, "project_slug"),
    # project_slug: the rules of the name itself
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
    BadAnswer("db-name-overridden", {"__db_name": "postgres"}, "__db_name"),
    # description
    BadAnswer("description-two-lines", {"description": "one\ntwo"}, "description"),
    BadAnswer("description-tab", {"description": "a\tb"}, "description"),
    BadAnswer("description-overlong", {"description": "x" * 301}, "description"),
    BadAnswer("description-huge", {"description": "x" * 1_000_000}, "description"),
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
    # choices: cookiecutter refuses these itself while it reads the extra context
    BadAnswer("python-too-old", {"python_version": "3.10"}, "python_version", by="choice"),
    BadAnswer("python-unknown", {"python_version": "3.14"}, "python_version", by="choice"),
    BadAnswer("python-not-text", {"python_version": 3.13}, "python_version", by="choice"),
    BadAnswer("database-unknown", {"database": "mysql"}, "database", by="choice"),
    BadAnswer("database-wrong-case", {"database": "PostgreSQL"}, "database", by="choice"),
]


def tree(root: Path) -> set[str]:
    return {str(path.relative_to(root)) for path in root.rglob("*")}


def listing(directory: Path) -> set[str]:
    return {path.name for path in directory.iterdir()}


def assert_refused_by_the_check(error: BaseException | None, field: str) -> str:
    """The answer check's refusal: a FailedHookException whose message names the field."""
    assert isinstance(error, FailedHookException), repr(error)
    assert type(error).__name__ == "AnswersRefused", repr(error)
    message = str(error)
    assert message.startswith(REFUSAL), message
    assert f"\n  - {field}: " in message, message
    assert message.endswith("\nNothing was written. Run cookiecutter again with other answers.")
    return message


@pytest.mark.parametrize("case", BAD_ANSWERS, ids=[case.id for case in BAD_ANSWERS])
def test_bad_answer_is_refused_and_leaves_nothing(
    case: BadAnswer, cookies: Cookies, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    output_root = tmp_path / "cookies"  # pytest-cookies bakes into cookies/bake00
    slug = case.answers.get("project_slug")
    # Where a slug naming a path would have put the project ('', '.' and '..' name the output
    # directory or its parent, which the tree comparisons below cover).
    names_a_path = isinstance(slug, str) and Path(slug).name not in ("", "..")
    target = output_root / "bake00" / slug if isinstance(slug, str) and names_a_path else None
    target_existed = target is not None and os.path.lexists(target)
    outside_before = listing(tmp_path.parent)
    before = tree(tmp_path)

    result = cookies.bake(extra_context=case.answers)
    out, err = capfd.readouterr()

    assert result.exit_code != 0
    assert result.project_path is None
    if case.by == "check":
        assert_refused_by_the_check(result.exception, case.field)
        assert "Cannot bake" not in err, "refused by the hook, after the directory was made"
    else:
        assert isinstance(result.exception, ValueError)
        assert f"choice variable {case.field}," in str(result.exception)
    assert TRACEBACK not in out + err

    assert tree(tmp_path) - before <= {"cookies/bake00"}, "left behind under the output dir"
    assert listing(tmp_path.parent) <= outside_before
    if target is not None and not target_existed:
        assert not os.path.lexists(target), f"{target} was left behind"


def test_message_names_the_field_the_value_and_what_is_allowed(cookies: Cookies) -> None:
    result = cookies.bake(extra_context={"project_slug": "../evil", "author_email": "nope"})
    assert result.exit_code != 0
    message = assert_refused_by_the_check(result.exception, "project_slug")
    assert message == (
        "Cannot bake this project:\n"
        "  - project_slug: '../evil' must start with a lower-case letter a-z, contain only "
        "a-z, 0-9 and '-', and end with a letter or digit (e.g. 'my-service')\n"
        "  - author_email: 'nope' must be an e-mail address like 'name@example.com' (ASCII "
        "letters, digits and . _ % + - before the '@', a domain with a dot after it)\n"
        "Nothing was written. Run cookiecutter again with other answers."
    )


def test_the_pre_gen_hook_still_refuses_on_its_own(
    cookies: Cookies, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """With the extension switched off, the hook (the documented validator) refuses alone."""
    before = tree(tmp_path)
    result = cookies.bake(
        extra_context={"_extensions": [], "project_slug": "My-Service", "author_email": "nope"}
    )
    stderr = capfd.readouterr().err
    assert isinstance(result.exception, FailedHookException)
    assert type(result.exception).__name__ != "AnswersRefused"
    assert stderr.startswith(REFUSAL)
    assert "  - project_slug: 'My-Service' must start with a lower-case letter" in stderr
    assert "  - author_email: 'nope' must be an e-mail address" in stderr
    assert tree(tmp_path) - before <= {"cookies/bake00"}


# --- the command line, prompts on stdin, and replay files -----------------------------------


@dataclass(frozen=True)
class Run:
    returncode: int
    output: str  # stdout and stderr


def cookiecutter_cli(
    args: Sequence[str | bytes], cwd: Path, config: Path, stdin: bytes | None = None
) -> Run:
    """`cookiecutter <this template> ARGS` in a subprocess, as a user runs it."""
    done = subprocess.run(
        [sys.executable, "-m", "cookiecutter", str(REPO_ROOT), "--config-file", str(config), *args],
        cwd=cwd,
        input=stdin,
        stdin=subprocess.DEVNULL if stdin is None else None,
        capture_output=True,
        timeout=CLI_TIMEOUT,
        check=False,
    )
    output = (done.stdout + done.stderr).decode("utf-8", "replace")
    return Run(done.returncode, output)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A working directory holding an empty output directory, `out`."""
    (tmp_path / "out").mkdir()
    return tmp_path


def assert_cli_refusal(run: Run, *fields: str) -> None:
    assert run.returncode != 0, run.output
    assert TRACEBACK not in run.output, run.output
    assert REFUSAL in run.output, run.output
    for field in fields:
        assert f"\n  - {field}: " in run.output, run.output


CLI_BAD_ANSWERS: list[tuple[str, list[str | bytes], tuple[str, ...]]] = [
    ("slug-too-long-for-a-file-name", ["project_slug=" + "a" * 300], ("project_slug",)),
    ("slug-one-past-name-max", ["project_slug=" + "a" * 256], ("project_slug",)),
    ("slug-past-path-max", ["project_slug=" + "a/" * 2100 + "b"], ("project_slug",)),
    ("slug-nested", ["project_slug=a/b"], ("project_slug",)),
    ("slug-traversal", ["project_slug=../evil"], ("project_slug",)),
    ("slug-empty", ["project_slug="], ("project_slug",)),
    ("slug-dot", ["project_slug=."], ("project_slug",)),
    ("slug-dot-dot", ["project_slug=.."], ("project_slug",)),
    ("slug-not-utf8", [b"project_slug=my-\xffservice"], ("project_slug",)),
    ("name-not-utf8", [b"project_name=My \xff"], ("project_name",)),
    ("name-newline", ["project_name=My\nService"], ("project_name",)),
    ("email", ["author_email=nope"], ("author_email",)),
    ("several", ["project_slug=My-Service", "version=latest"], ("project_slug", "version")),
]


@pytest.mark.parametrize(
    ("args", "fields"),
    [(args, fields) for _, args, fields in CLI_BAD_ANSWERS],
    ids=[case_id for case_id, _, _ in CLI_BAD_ANSWERS],
)
def test_cli_refuses_with_a_message_not_a_traceback(
    workspace: Path, cookiecutter_config: Path, args: list[str | bytes], fields: tuple[str, ...]
) -> None:
    before = tree(workspace)
    run = cookiecutter_cli(["--no-input", "-o", "out", *args], workspace, cookiecutter_config)
    assert_cli_refusal(run, *fields)
    assert tree(workspace) == before


def test_cli_refuses_an_absolute_slug_without_making_it(
    workspace: Path, cookiecutter_config: Path
) -> None:
    elsewhere = workspace / "elsewhere"
    run = cookiecutter_cli(
        ["--no-input", "-o", "out", f"project_slug={elsewhere}"], workspace, cookiecutter_config
    )
    assert_cli_refusal(run, "project_slug")
    assert not elsewhere.exists()
    assert listing(workspace / "out") == set()


def test_cli_refuses_without_hooks_too(workspace: Path, cookiecutter_config: Path) -> None:
    """The check is not a hook: --accept-hooks no does not switch it off."""
    before = tree(workspace)
    run = cookiecutter_cli(
        ["--no-input", "--accept-hooks", "no", "-o", "out", "project_slug=" + "a" * 300],
        workspace,
        cookiecutter_config,
    )
    assert_cli_refusal(run, "project_slug")
    assert tree(workspace) == before


def prompt_answers(**answers: str) -> bytes:
    """Lines for the prompts, in cookiecutter.json's order; blank takes the default."""
    config = json.loads((REPO_ROOT / "cookiecutter.json").read_text(encoding="utf-8"))
    order = tuple(key for key in config if not key.startswith("_"))
    assert set(answers) <= set(order)
    return "".join(answers.get(name, "") + "\n" for name in order).encode()


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"project_slug": "a" * 300}, "project_slug"),
        ({"project_slug": "my\x00service"}, "project_slug"),
        ({"project_slug": "../../evil"}, "project_slug"),
        ({"project_slug": "a/b"}, "project_slug"),
        ({"project_name": "{{ 7 * 7 }}", "project_slug": "my-service"}, "project_name"),
        ({"author_email": "nope"}, "author_email"),
    ],
    ids=["slug-too-long", "slug-nul", "slug-traversal", "slug-nested", "name-template", "email"],
)
def test_prompt_answers_on_stdin_are_refused(
    workspace: Path, cookiecutter_config: Path, answers: dict[str, str], field: str
) -> None:
    before = tree(workspace)
    outside_before = listing(workspace.parent)
    run = cookiecutter_cli(
        ["-o", "out"], workspace, cookiecutter_config, stdin=prompt_answers(**answers)
    )
    assert_cli_refusal(run, field)
    assert tree(workspace) == before
    assert listing(workspace.parent) <= outside_before


def replay_file(directory: Path, **changes: object) -> Path:
    answers: dict[str, object] = {
        "project_name": "My Service",
        "project_slug": "my-service",
        "description": "d",
        "author_name": "A",
        "author_email": "a@example.com",
        "version": "0.1.0",
        **CHOICE_DEFAULTS,
        "__db_name": "my_service",
        "__project_name_literal": '"My Service"',
        "_template": ".",
        **changes,
    }
    slug = answers["project_slug"]
    if isinstance(slug, str) and "__db_name" not in changes:
        answers["__db_name"] = slug.replace("-", "_")
    replay = directory / "answers.json"
    replay.write_text(json.dumps({"cookiecutter": answers}), encoding="utf-8")
    return replay


REPLAY_CHANGES = {
    "project_slug": "a" * 300,
    "python_version": "2.7",
    "database": "mysql",
    "auth": "ldap",
}


def test_bad_answers_in_a_replay_file_are_refused(
    tmp_path: Path, cookiecutter_config: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """Replay bypasses prompts and cookiecutter's choice check; the answer check still runs."""
    replay = replay_file(tmp_path, **REPLAY_CHANGES)
    output = tmp_path / "out"
    output.mkdir()
    with pytest.raises(FailedHookException) as refused:
        bake(output, cookiecutter_config, replay=replay)
    message = assert_refused_by_the_check(refused.value, "project_slug")
    assert "  - python_version: '2.7' must be one of '3.11', '3.12', '3.13'" in message
    assert "  - database: 'mysql' must be one of 'postgresql', 'sqlite'" in message
    assert "  - auth: 'ldap' must be one of 'users', 'none'" in message
    assert TRACEBACK not in "".join(capfd.readouterr())
    assert list(output.iterdir()) == []


def test_cli_refuses_a_bad_replay_file(workspace: Path, cookiecutter_config: Path) -> None:
    replay = replay_file(workspace, **REPLAY_CHANGES)
    before = tree(workspace)
    run = cookiecutter_cli(
        ["--replay-file", str(replay), "-o", "out"], workspace, cookiecutter_config
    )
    assert_cli_refusal(run, "project_slug", "python_version", "database", "auth")
    assert tree(workspace) == before


# --- what cookiecutter refuses itself, before any template code runs -----------------------


@pytest.mark.parametrize(
    ("pair", "field"),
    [("database=mysql", "database"), ("python_version=3.10", "python_version")],
)
def test_cli_choice_outside_the_list_names_the_field(
    workspace: Path, cookiecutter_config: Path, pair: str, field: str
) -> None:
    before = tree(workspace)
    run = cookiecutter_cli(["--no-input", "-o", "out", pair], workspace, cookiecutter_config)
    assert run.returncode != 0
    assert f"provided for choice variable {field}, but the choices are" in run.output
    assert tree(workspace) == before


@pytest.mark.xfail(
    strict=True,
    reason="cookiecutter checks extra context against a choice list in generate_context, "
    "before it imports any template code, and its command line does not catch that ValueError",
)
def test_cli_choice_outside_the_list_is_not_a_traceback(
    workspace: Path, cookiecutter_config: Path
) -> None:
    run = cookiecutter_cli(
        ["--no-input", "-o", "out", "database=mysql"], workspace, cookiecutter_config
    )
    assert TRACEBACK not in run.output


@pytest.mark.xfail(
    strict=True,
    reason="cookiecutter renders extra context as Jinja while it prompts, before any answer "
    "check can run, and catches only undefined variables there",
)
def test_cli_extra_context_that_is_not_valid_jinja_is_not_a_traceback(
    workspace: Path, cookiecutter_config: Path
) -> None:
    run = cookiecutter_cli(
        ["--no-input", "-o", "out", "description=100% {% done"], workspace, cookiecutter_config
    )
    assert run.returncode != 0
    assert TRACEBACK not in run.output


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
    tmp_path: Path, cookiecutter_config: Path, overwrite: bool, skip: bool
) -> None:
    output = tmp_path / "out"
    project, _ = existing_project(output)
    before = snapshot(output)

    with pytest.raises(FailedHookException) as refused:
        bake(
            output,
            cookiecutter_config,
            {"project_name": "My Service"},
            overwrite_if_exists=overwrite,
            skip_if_file_exists=skip,
        )

    assert snapshot(output) == before
    message = str(refused.value)
    assert message.startswith(REFUSAL)
    assert f"project directory {str(project)!r} already exists and is not empty" in message


def test_cli_baking_over_an_existing_project_is_not_a_traceback(
    workspace: Path, cookiecutter_config: Path
) -> None:
    existing_project(workspace / "out")
    before = snapshot(workspace)
    run = cookiecutter_cli(
        ["--no-input", "--overwrite-if-exists", "-o", "out"], workspace, cookiecutter_config
    )
    assert run.returncode != 0
    assert TRACEBACK not in run.output
    assert "already exists and is not empty" in run.output
    assert snapshot(workspace) == before
