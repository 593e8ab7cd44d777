"""Unit tests of the hooks' functions, imported from the unrendered hook files."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import stat
import subprocess
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import pytest
from expectations import CHOICE_DEFAULTS
from harness import HOOKS_DIR, REPO_ROOT, load_hook
from jinja2 import Environment
from packaging.version import InvalidVersion, Version


def load_bake_checks() -> ModuleType:
    """Import the template's Jinja extension, bake_checks.py, from its path."""
    spec = importlib.util.spec_from_file_location(
        "template_bake_checks", REPO_ROOT / "bake_checks.py"
    )
    if spec is None or spec.loader is None:
        raise ImportError("cannot load bake_checks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


if TYPE_CHECKING:
    import post_gen_project as post_gen
    import pre_gen_project as pre_gen

    import bake_checks
else:
    pre_gen = load_hook("pre_gen_project")
    post_gen = load_hook("post_gen_project")
    bake_checks = load_bake_checks()

VALID_ANSWERS: dict[str, object] = {
    "project_name": "My Service",
    "project_slug": "my-service",
    "description": "An async FastAPI service.",
    "author_name": "Your Name",
    "author_email": "you@example.com",
    "version": "0.1.0",
    **CHOICE_DEFAULTS,
    "__db_name": "my_service",
    "_template": ".",
    "_output_dir": "/tmp/out",
    "_repo_dir": "/tmp/repo",
    "_checkout": None,
}

CHOICES: dict[str, list[str]] = {
    key: value
    for key, value in json.loads((REPO_ROOT / "cookiecutter.json").read_text("utf-8")).items()
    if isinstance(value, list)
}


def answers_with(changes: dict[str, object]) -> dict[str, object]:
    """VALID_ANSWERS changed as given, keeping the derived __db_name in step with the slug."""
    answers = {**VALID_ANSWERS, **changes}
    slug = changes.get("project_slug")
    if isinstance(slug, str) and "__db_name" not in changes:
        answers["__db_name"] = slug.replace("-", "_")
    return answers


def errors_for(**changes: object) -> list[str]:
    return pre_gen.validate(answers_with(changes))


# --- the hook files themselves ------------------------------------------------------------


@pytest.mark.parametrize("name", ["pre_gen_project", "post_gen_project"])
def test_hook_holds_template_syntax_only_on_its_last_line(name: str) -> None:
    """Jinja renders the whole file: stray braces elsewhere would break or alter the hook."""
    lines = (HOOKS_DIR / f"{name}.py").read_text(encoding="utf-8").splitlines()
    marked = [n for n, line in enumerate(lines, 1) if re.search(r"\{[{%#]", line)]
    assert marked == [len(lines)]
    assert "json.loads({{ cookiecutter | tojson | tojson }})" in lines[-1]


@pytest.mark.parametrize("name", ["pre_gen_project", "post_gen_project"])
def test_hook_renders_to_a_script_that_reads_the_answers(name: str, tmp_path: Path) -> None:
    """The doubly-JSON-encoded context survives as a Python literal, odd characters included."""
    from cookiecutter.environment import StrictEnvironment

    answers = {**VALID_ANSWERS, "description": "quotes \" ' \\ </script> & ünïcödé 😀"}
    source = (HOOKS_DIR / f"{name}.py").read_text(encoding="utf-8")
    env = StrictEnvironment(context={"cookiecutter": answers})
    rendered = env.from_string(source).render(cookiecutter=answers)
    last = rendered.splitlines()[-1]
    literal = last[last.index("json.loads(") + len("json.loads(") : last.rindex(")))")]
    assert json.loads(eval(literal)) == answers  # noqa: S307 (the literal cookiecutter writes)
    compile(rendered, name, "exec")


# --- pre-gen validation -------------------------------------------------------------------


def test_valid_answers_pass() -> None:
    assert pre_gen.validate(VALID_ANSWERS) == []


@pytest.mark.parametrize(
    "answers",
    [
        {"project_name": 'Café Déjà-Vu: l\'API "rapide"!'},
        {"project_name": "東京 API"},
        {"project_name": "x" * 80},
        {"project_slug": "ab"},
        {"project_slug": "a" * 63},
        {"project_slug": "api-v2"},
        {"description": "x" * 300},
        {"description": "Backslashes \\ and \"quotes\" and 'apostrophes'"},
        {"author_name": "Zoë O'Brien-Łukasiewicz"},
        {"author_email": "first.last+tag@sub.example.co.uk"},
        {"author_email": "a_b%c-d@x-y.io"},
        {"python_version": "3.11"},
        {"database": "sqlite"},
    ],
)
def test_unusual_but_valid_answers_pass(answers: dict[str, object]) -> None:
    assert pre_gen.validate(answers_with(answers)) == []


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("project_name", "", "must not be empty"),
        ("project_name", "   ", "must not be empty"),
        ("project_name", " My Service", "must not start or end with whitespace"),
        ("project_name", "My\nService", "single line of visible characters"),
        ("project_name", "My\x00Service", "'\\x00' (U+0000)"),
        ("project_name", "My\u202eService", "RIGHT-TO-LEFT OVERRIDE"),
        ("project_name", "x" * 81, "at most 80 characters (got 81)"),
        ("project_name", "!!! ---", "at least one letter or digit"),
        ("project_name", "My {{ x }}", "template syntax"),
        ("project_name", "My {% x %}", "template syntax"),
        ("project_name", "My {# x #}", "template syntax"),
        ("project_slug", "", "must start with a lower-case letter"),
        ("project_slug", "../evil", "must start with a lower-case letter"),
        ("project_slug", "a/b", "must start with a lower-case letter"),
        ("project_slug", "My-Service", "must start with a lower-case letter"),
        ("project_slug", "my_service", "must start with a lower-case letter"),
        ("project_slug", "-service", "must start with a lower-case letter"),
        ("project_slug", "service-", "must start with a lower-case letter"),
        ("project_slug", "1service", "must start with a lower-case letter"),
        ("project_slug", "x", "must start with a lower-case letter"),
        ("project_slug", "my--service", "must not contain '--'"),
        ("project_slug", "a" * 64, "at most 63 characters"),
        ("project_slug", "café", "must start with a lower-case letter"),
        ("project_slug", "a;rm -rf ~", "must start with a lower-case letter"),
        ("project_slug", "postgres", "every PostgreSQL server already has"),
        ("project_slug", "template1", "every PostgreSQL server already has"),
        ("description", "two\nlines", "single line"),
        ("description", "tab\there", "'\\t' (U+0009)"),
        ("description", "x" * 301, "at most 300 characters"),
        ("author_name", "", "must not be empty"),
        ("author_name", "Bob\x1b[31m", "'\\x1b' (U+001B)"),
        ("author_name", "x" * 101, "at most 100 characters"),
        ("author_email", "", "must be an e-mail address"),
        ("author_email", "not-an-email", "must be an e-mail address"),
        ("author_email", "a@b", "must be an e-mail address"),
        ("author_email", "a@@b.com", "must be an e-mail address"),
        ("author_email", "a..b@example.com", "must be an e-mail address"),
        ("author_email", ".a@example.com", "must be an e-mail address"),
        ("author_email", "a@-example.com", "must be an e-mail address"),
        ("author_email", "josé@example.com", "must be an e-mail address"),
        ("author_email", "me@example.com\n", "must be an e-mail address"),
        ("author_email", "me@exam ple.com", "must be an e-mail address"),
        ("author_email", f"{'a' * 65}@example.com", "must be an e-mail address"),
        ("author_email", f"a@{'b' * 250}.com", "at most 254 characters"),
        ("version", "", "PEP 440"),
        ("version", "latest", "PEP 440"),
        ("version", "1.0.0-SNAPSHOT", "PEP 440"),
        ("version", "1..0", "PEP 440"),
        ("version", " 1.0", "PEP 440"),
        ("version", "^1.0", "PEP 440"),
        ("python_version", "3.10", "must be one of '3.11', '3.12', '3.13'"),
        ("python_version", "3.14", "must be one of"),
        ("database", "mysql", "must be one of 'postgresql', 'sqlite'"),
        ("database", "PostgreSQL", "must be one of"),
    ],
)
def test_each_rule_names_field_value_and_what_is_allowed(
    field: str, value: str, fragment: str
) -> None:
    errors = errors_for(**{field: value})
    assert len(errors) >= 1
    assert all(error.startswith(f"{field}: ") for error in errors), errors
    assert pre_gen.shown(value) in errors[0]
    assert any(fragment in error for error in errors), errors


@pytest.mark.parametrize("value", [None, 3, 1.5, True, ["a"], {"a": "b"}])
def test_non_text_answers_are_refused(value: object) -> None:
    errors = errors_for(author_name=value)
    assert errors == [
        f"author_name: {pre_gen.shown(value)} is a {type(value).__name__}; it must be text"
    ]


def test_missing_answer_is_refused() -> None:
    answers = {k: v for k, v in VALID_ANSWERS.items() if k != "version"}
    assert pre_gen.validate(answers) == ["version: missing from the answers"]


def test_every_broken_answer_is_reported_at_once() -> None:
    errors = errors_for(project_name="", author_email="nope", version="x")
    assert [error.split(":")[0] for error in errors] == ["project_name", "author_email", "version"]


def test_overridden_db_name_must_stay_derived() -> None:
    assert errors_for(__db_name="other")[0].startswith("__db_name: 'other' must be")


def test_long_bad_values_are_truncated_in_messages() -> None:
    (error,) = errors_for(project_name="é" * 1000)
    assert len(error) < 200
    assert "..." in error


VERSION_SAMPLES = [
    "0.1.0",
    "1",
    "1.0",
    "2026.11.23",
    "1!2.0",
    "1.0a1",
    "1.0.0rc1",
    "1.0b2.post3.dev4",
    "1.0-alpha-1",
    "1.0.post1",
    "1.0-1",
    "1.0.dev0",
    "1.0dev",
    "1.0+local.7",
    "1.0+ubuntu-1",
    "v1.0",
    "V1.0",
    "1.0.0-SNAPSHOT",
    "1.0+",
    "1.0.",
    ".1",
    "1.0 beta",
    "latest",
    "1.0.0-beta.1.2",
    "1.0_post",
    "1.0-",
    "1e5",
    "",
]


@pytest.mark.parametrize("version", VERSION_SAMPLES)
def test_version_rule_agrees_with_packaging(version: str) -> None:
    try:
        Version(version)
    except InvalidVersion:
        expected_valid = False
    else:
        expected_valid = True
    assert (pre_gen.check_version(version) == []) is expected_valid


# --- pre-gen: the target directory ----------------------------------------------------------


def test_empty_target_directory_is_accepted(tmp_path: Path) -> None:
    assert pre_gen.target_directory_problems(tmp_path) == []


def test_non_empty_target_directory_is_refused_by_name(tmp_path: Path) -> None:
    (tmp_path / "precious.txt").write_text("mine", encoding="utf-8")
    (problem,) = pre_gen.target_directory_problems(tmp_path)
    assert repr(str(tmp_path)) in problem
    assert "precious.txt" in problem
    assert "not empty" in problem


def test_main_prints_every_error_to_stderr_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "existing").mkdir()
    answers = {**VALID_ANSWERS, "project_slug": "../evil", "__db_name": "../evil"}
    assert pre_gen.main(answers, tmp_path) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "  - project_slug: '../evil' must start with" in err
    assert "already exists and is not empty" in err


def test_main_accepts_valid_answers_in_an_empty_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert pre_gen.main(VALID_ANSWERS, tmp_path) == 0
    assert capsys.readouterr() == ("", "")


def test_report_lists_each_problem_between_a_heading_and_what_to_do() -> None:
    assert pre_gen.report(["version: 'x' must be a PEP 440 version", "database: 'y' must"]) == (
        "Cannot bake this project:\n"
        "  - version: 'x' must be a PEP 440 version\n"
        "  - database: 'y' must\n"
        "Nothing was written. Run cookiecutter again with other answers."
    )


# --- bake_checks: the same rules, before cookiecutter creates the project directory --------


def checked_environment() -> Environment:
    """Cookiecutter's Jinja environment (its own extensions first), with this template's."""
    from cookiecutter.environment import StrictEnvironment

    env: Environment = StrictEnvironment(context={}, keep_trailing_newline=True)
    env.add_extension(bake_checks.BakeChecks)
    return env


def render_project_directory(answers: dict[str, object]) -> str:
    env = checked_environment()
    return env.from_string(bake_checks.PROJECT_DIRECTORY).render(cookiecutter=answers)


def test_cookiecutter_json_loads_the_extension() -> None:
    config = json.loads((REPO_ROOT / "cookiecutter.json").read_text(encoding="utf-8"))
    assert config["_extensions"] == ["bake_checks.BakeChecks"]
    module, name = config["_extensions"][0].split(".")
    assert (REPO_ROOT / f"{module}.py").is_file()
    assert hasattr(bake_checks, name)


def test_bake_checks_use_the_pre_gen_hooks_own_rules() -> None:
    assert bake_checks.RULES_FILE == HOOKS_DIR / "pre_gen_project.py"
    rules = vars(bake_checks)["rules"]
    assert rules.__file__ == str(bake_checks.RULES_FILE)
    assert list(rules.CHECKS) == list(pre_gen.CHECKS)


def test_the_checked_name_is_the_template_directory() -> None:
    """If the template directory were renamed, the check would silently stop running."""
    assert (REPO_ROOT / bake_checks.PROJECT_DIRECTORY).is_dir()


def test_valid_answers_render_the_project_directory_unchanged(tmp_path: Path) -> None:
    answers = {**VALID_ANSWERS, "_output_dir": str(tmp_path)}
    assert render_project_directory(answers) == "my-service"


def test_bad_answers_are_refused_with_the_hooks_report(tmp_path: Path) -> None:
    answers = answers_with({"project_slug": "a" * 300, "version": "latest"})
    answers["_output_dir"] = str(tmp_path)
    with pytest.raises(bake_checks.AnswersRefused) as refused:
        render_project_directory(answers)
    assert str(refused.value) == pre_gen.report(pre_gen.validate(answers))
    assert "  - project_slug: " in str(refused.value)
    assert "  - version: " in str(refused.value)


def test_answers_still_being_prompted_for_are_not_checked() -> None:
    """Cookiecutter renders answers one by one while prompting: only a full set is final."""
    assert render_project_directory({"project_name": "x", "project_slug": "../evil"}) == "../evil"


def test_refused_answers_are_a_failed_hook_for_cookiecutter() -> None:
    """Cookiecutter's command line prints a FailedHookException's message, no traceback."""
    from cookiecutter.exceptions import FailedHookException

    assert issubclass(bake_checks.AnswersRefused, FailedHookException)


def test_only_the_nameless_project_directory_render_is_checked() -> None:
    extension = bake_checks.BakeChecks(checked_environment())
    name = bake_checks.PROJECT_DIRECTORY
    assert extension.preprocess(name, None) == bake_checks.CHECKED_PROJECT_DIRECTORY
    assert extension.preprocess(name, "README.md") == name  # a file that holds only the slug
    assert extension.preprocess("{{ cookiecutter.project_name }}", None) == (
        "{{ cookiecutter.project_name }}"
    )


def test_an_existing_directory_holding_files_is_refused(tmp_path: Path) -> None:
    (tmp_path / "my-service").mkdir()
    (tmp_path / "my-service" / "notes.txt").write_text("mine", encoding="utf-8")
    answers = {**VALID_ANSWERS, "_output_dir": str(tmp_path)}
    with pytest.raises(bake_checks.AnswersRefused, match="already exists and is not empty"):
        render_project_directory(answers)


def test_an_existing_file_where_the_project_would_go_is_refused(tmp_path: Path) -> None:
    (tmp_path / "my-service").write_text("mine", encoding="utf-8")
    answers = {**VALID_ANSWERS, "_output_dir": str(tmp_path)}
    with pytest.raises(bake_checks.AnswersRefused, match="cannot be read"):
        render_project_directory(answers)


def test_an_existing_empty_directory_is_left_to_cookiecutter(tmp_path: Path) -> None:
    """Cookiecutter refuses it, or bakes into it with --overwrite-if-exists."""
    (tmp_path / "my-service").mkdir()
    answers = {**VALID_ANSWERS, "_output_dir": str(tmp_path)}
    assert render_project_directory(answers) == "my-service"


def test_a_bad_slug_is_never_joined_to_the_output_directory(tmp_path: Path) -> None:
    """The target is looked at only for a valid slug: '..' must not name the parent."""
    (tmp_path / "out").mkdir()
    answers = answers_with({"project_slug": ".."})
    answers["_output_dir"] = str(tmp_path / "out")
    assert bake_checks.problems(answers) == pre_gen.validate(answers)


@pytest.mark.parametrize(
    ("name", "slug"),
    [("Café Déjà-Vu API", "cafe-deja-vu-api"), ("!!!", "my-service"), (None, "my-service")],
)
def test_the_default_slug_survives_a_name_that_is_not_text(name: object, slug: str) -> None:
    """slugify gives '' for a non-text name (None from the Python API) instead of a TypeError."""
    default = json.loads((REPO_ROOT / "cookiecutter.json").read_text(encoding="utf-8"))[
        "project_slug"
    ]
    rendered = (
        checked_environment().from_string(default).render(cookiecutter={"project_name": name})
    )
    assert rendered == slug


# --- post-gen: the manifest (its own tests are in test_manifest.py) ---------------------------


def make_tree(root: Path, paths: list[str]) -> None:
    """A file for each path, except a path that holds others (`app/ai`): a directory."""
    parents = {str(parent) for path in paths for parent in Path(path).parents}
    for path in paths:
        if path in parents:
            continue
        target = root / path
        if any(other.startswith(f"{path}/") for other in paths):
            target.mkdir(parents=True, exist_ok=True)  # a directory the table names files in
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("content\n", encoding="utf-8")


# --- post-gen: .env ---------------------------------------------------------------------------

ENV_EXAMPLE = (
    "# comment: SECRET_KEY=changethis stays a comment\n"
    "DATABASE_URL=postgresql+asyncpg://postgres@localhost:5432/my_service\n"
    "SECRET_KEY=changethis\n"
    "FIRST_ADMIN_PASSWORD=changethis\r\n"
    "NOT_A_SECRET=changethis-later\n"
    "QUOTED='changethis'\n"
    "EMPTY=\n"
)


def test_render_env_gives_each_placeholder_its_own_secret() -> None:
    secrets = iter(["s1", "s2", "s3"])
    text, keys = post_gen.render_env(ENV_EXAMPLE, lambda: next(secrets))
    assert keys == ["SECRET_KEY", "FIRST_ADMIN_PASSWORD"]
    assert text == ENV_EXAMPLE.replace("SECRET_KEY=changethis\n", "SECRET_KEY=s1\n").replace(
        "FIRST_ADMIN_PASSWORD=changethis\r\n", "FIRST_ADMIN_PASSWORD=s2\r\n"
    )


def test_render_env_without_placeholders_copies_the_example() -> None:
    assert post_gen.render_env("A=1\nB=2", post_gen.new_secret) == ("A=1\nB=2", [])


def test_write_env_uses_fresh_strong_secrets_and_keeps_the_example(tmp_path: Path) -> None:
    (tmp_path / ".env.example").write_bytes(ENV_EXAMPLE.encode())
    assert post_gen.write_env(tmp_path) == ["SECRET_KEY", "FIRST_ADMIN_PASSWORD"]
    env = dict(
        line.split("=", 1)
        for line in (tmp_path / ".env").read_text(encoding="utf-8").splitlines()
        if "=" in line and not line.startswith("#")
    )
    secret, password = env["SECRET_KEY"], env["FIRST_ADMIN_PASSWORD"].rstrip("\r")
    assert secret != password
    assert len(secret) >= 43
    assert re.fullmatch(r"[A-Za-z0-9_-]+", secret)
    assert "changethis" not in (secret, password)
    assert (tmp_path / ".env.example").read_bytes() == ENV_EXAMPLE.encode()
    assert (tmp_path / ".env").read_bytes().count(b"\r\n") == 1
    assert stat.S_IMODE((tmp_path / ".env").stat().st_mode) == 0o600


def test_two_bakes_never_share_a_secret(tmp_path: Path) -> None:
    values = set()
    for name in ("one", "two"):
        project = tmp_path / name
        project.mkdir()
        (project / ".env.example").write_text("SECRET_KEY=changethis\n", encoding="utf-8")
        post_gen.write_env(project)
        values.add((project / ".env").read_text(encoding="utf-8"))
    assert len(values) == 2


def test_write_env_never_overwrites_an_existing_env(tmp_path: Path) -> None:
    (tmp_path / ".env.example").write_text("SECRET_KEY=changethis\n", encoding="utf-8")
    (tmp_path / ".env").write_text("MINE=1\n", encoding="utf-8")
    with pytest.raises(post_gen.HookError, match="already exists"):
        post_gen.write_env(tmp_path)
    assert (tmp_path / ".env").read_text(encoding="utf-8") == "MINE=1\n"


def test_write_env_needs_the_example(tmp_path: Path) -> None:
    with pytest.raises(post_gen.HookError, match=r"\.env\.example is missing"):
        post_gen.write_env(tmp_path)


# --- post-gen: the replay file ----------------------------------------------------------------


def test_replay_answers_keep_answers_template_and_derived_values_only() -> None:
    answers = {**VALID_ANSWERS, "_extensions": ["x"], "__prompts__": {"a": "b"}}
    assert post_gen.replay_answers(answers) == {
        "cookiecutter": {
            "__db_name": "my_service",
            "_template": ".",
            "author_email": "you@example.com",
            "author_name": "Your Name",
            "description": "An async FastAPI service.",
            "project_name": "My Service",
            "project_slug": "my-service",
            "version": "0.1.0",
            **CHOICE_DEFAULTS,
        }
    }


def git_template(root: Path, origin: str | None = None) -> str:
    """A one-commit git repository holding a cookiecutter.json at `root`; returns the commit."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "cookiecutter.json").write_text("{}\n", encoding="utf-8")
    identity = ["-c", "user.name=T", "-c", "user.email=t@example.com"]
    for args in (["init", "-q"], ["add", "--all"], [*identity, "commit", "-q", "-m", "t"]):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)
    if origin is not None:
        subprocess.run(["git", "remote", "add", "origin", origin], cwd=root, check=True)
    done = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=root, check=True, capture_output=True, text=True
    )
    return done.stdout.strip()


def test_template_source_reads_the_checkout_and_its_commit(tmp_path: Path) -> None:
    commit = git_template(tmp_path / "template")
    source = post_gen.template_source({"_template": ".", "_repo_dir": str(tmp_path / "template")})
    assert source == post_gen.TemplateSource(str((tmp_path / "template").resolve()), commit, None)


def test_template_source_names_the_subdirectory_cruft_must_use(tmp_path: Path) -> None:
    commit = git_template(tmp_path / "repo")
    inner = tmp_path / "repo" / "templates" / "service"
    inner.mkdir(parents=True)
    (inner / "cookiecutter.json").write_text("{}\n", encoding="utf-8")
    source = post_gen.template_source({"_template": str(inner), "_repo_dir": str(inner)})
    assert (source.url, source.commit, source.directory) == (
        str((tmp_path / "repo").resolve()),
        commit,
        "templates/service",
    )


def test_a_cloned_template_records_its_origin_url(tmp_path: Path) -> None:
    url = "https://git.example.com/team/service-template.git"
    commit = git_template(tmp_path / "clone", origin=url)
    answers = {"_template": "gh:team/service-template", "_repo_dir": str(tmp_path / "clone")}
    assert post_gen.template_source(answers) == post_gen.TemplateSource(url, commit, None)


def test_a_relative_template_directory_is_found_from_the_shell_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    git_template(tmp_path / "template")
    monkeypatch.setenv("PWD", str(tmp_path))
    monkeypatch.setattr(post_gen, "parent_directory", lambda: tmp_path / "no-such-process")
    assert post_gen.template_directory("template") == (tmp_path / "template").resolve()
    assert post_gen.template_directory("elsewhere") is None


def test_a_template_outside_git_is_recorded_without_a_commit(tmp_path: Path) -> None:
    (tmp_path / "cookiecutter.json").write_text("{}\n", encoding="utf-8")
    source = post_gen.template_source({"_template": ".", "_repo_dir": str(tmp_path)})
    assert source.commit is None
    assert source.problem == f"the template at {tmp_path.resolve()} is not a git checkout"
    state = post_gen.cruft_state(VALID_ANSWERS, source)
    assert state["commit"] is None
    assert "_commit" not in state["context"]["cookiecutter"]  # type: ignore[index]
    instructions = post_gen.link_instructions(source)
    assert "not a git checkout" in instructions
    assert "uvx cruft link" in instructions


def test_write_answers_is_cruft_state_with_the_replay_context(tmp_path: Path) -> None:
    answers = {**VALID_ANSWERS, "project_name": 'Café "API"', "_checkout": "v2"}
    source = post_gen.TemplateSource("/srv/template", "0" * 40, None)
    post_gen.write_answers(tmp_path, answers, source)
    text = (tmp_path / ".cruft.json").read_text(encoding="utf-8")
    assert text.endswith("}\n")
    assert not text.endswith("\n\n")
    assert "Café" in text
    data = json.loads(text)
    assert list(data) == ["template", "commit", "checkout", "context", "directory"]
    assert (data["template"], data["commit"], data["checkout"], data["directory"]) == (
        "/srv/template",
        "0" * 40,
        "v2",
        None,
    )
    recorded = data["context"]["cookiecutter"]
    assert list(recorded) == sorted(recorded)
    assert recorded["project_name"] == 'Café "API"'
    assert (recorded["_template"], recorded["_commit"]) == ("/srv/template", "0" * 40)
    assert not {"_output_dir", "_repo_dir", "_checkout"} & set(recorded)


# --- post-gen: next steps and main ------------------------------------------------------------


def bakeable_tree(root: Path, database: str) -> None:
    make_tree(root, post_gen.template_paths())
    (root / ".env.example").write_text(
        "DATABASE_URL=postgresql+asyncpg://postgres@localhost:5432/my_service\n"
        "SECRET_KEY=changethis\n",
        encoding="utf-8",
    )


@pytest.mark.parametrize("database", ["postgresql", "sqlite"])
def test_main_finishes_the_bake_and_prints_next_steps(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], database: str
) -> None:
    project = tmp_path / "my-service"
    bakeable_tree(project, database)
    commit = git_template(tmp_path / "template")
    answers = {**VALID_ANSWERS, "database": database, "_repo_dir": str(tmp_path / "template")}
    assert post_gen.main(answers, project) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert (project / ".env").is_file()
    assert json.loads((project / ".cruft.json").read_text(encoding="utf-8"))["commit"] == commit
    assert f".cruft.json records the template and its commit {commit[:12]}" in out
    assert "cd my-service" in out
    assert "uv sync" in out
    assert "alembic upgrade head" in out
    assert "uv run pytest" in out
    assert ("createdb my_service" in out) is (database == "postgresql")


def test_main_says_how_to_link_a_bake_from_a_template_outside_git(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "my-service"
    bakeable_tree(project, "postgresql")
    (tmp_path / "template").mkdir()
    (tmp_path / "template" / "cookiecutter.json").write_text("{}\n", encoding="utf-8")
    answers = {**VALID_ANSWERS, "_repo_dir": str(tmp_path / "template")}
    assert post_gen.main(answers, project) == 0
    _out, err = capsys.readouterr()
    assert err.startswith(".cruft.json records the answers but no template commit")
    assert "rm .cruft.json && uvx cruft link" in err
    assert json.loads((project / ".cruft.json").read_text(encoding="utf-8"))["commit"] is None


def test_under_cruft_the_hook_leaves_the_answers_file_and_git_to_cruft(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """cruft renders with `_commit` and without `_repo_dir`; it writes .cruft.json itself, and
    a repository inside the renders `cruft update` compares would be diffed as files."""
    project = tmp_path / "my-service"
    bakeable_tree(project, "postgresql")
    answers = {key: value for key, value in VALID_ANSWERS.items() if not key.startswith("_")}
    answers.update({"_template": "/srv/template", "_commit": "0" * 40, "git_init": "yes"})
    assert post_gen.main(answers, project) == 0
    out, _err = capsys.readouterr()
    assert not (project / ".cruft.json").exists()
    assert not (project / ".git").exists()
    assert "Rendered by cruft: no git repository made" in out
    assert (project / ".env").is_file()


@pytest.mark.parametrize("auth", ["users", "none"])
def test_next_steps_name_the_admin_command_only_with_users(auth: str, tmp_path: Path) -> None:
    out = post_gen.next_steps({**VALID_ANSWERS, "auth": auth}, tmp_path / "my-service", [])
    assert ("app.cli create-admin" in out) is (auth == "users")
    assert "uv run pytest" in out


def test_next_steps_say_whether_env_holds_secrets(tmp_path: Path) -> None:
    project = tmp_path / "my-service"
    with_secrets = post_gen.next_steps(VALID_ANSWERS, project, ["SECRET_KEY"])
    assert ".env holds secrets generated for this project" in with_secrets
    without = post_gen.next_steps({**VALID_ANSWERS, "auth": "none"}, project, [])
    assert "secrets generated" not in without
    assert ".env holds the settings; it needs no secret." in without


@pytest.mark.parametrize(("provider", "name"), [("anthropic", "Anthropic"), ("openai", "OpenAI")])
@pytest.mark.parametrize("auth", ["users", "none"])
def test_next_steps_ask_for_the_ai_providers_key(
    tmp_path: Path, provider: str, name: str, auth: str
) -> None:
    """No API key can be generated: .env leaves AI_API_KEY empty and the steps say so."""
    answers = {**VALID_ANSWERS, "auth": auth, "ai_provider": provider}
    generated = ["SECRET_KEY"] if auth == "users" else []
    out = post_gen.next_steps(answers, tmp_path / "my-service", generated)
    assert f"Put your {name} API key in .env as AI_API_KEY" in out
    assert "needs no secret" not in out
    assert "keep it out of version control" in out
    without = post_gen.next_steps({**answers, "ai_provider": "none"}, tmp_path, generated)
    assert "AI_API_KEY" not in without


def test_main_reports_a_broken_bake_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert post_gen.main(VALID_ANSWERS, tmp_path) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("Cannot finish the bake: manifest paths missing from the bake")


# --- refused combinations -------------------------------------------------------------------


@pytest.mark.parametrize("conflict", pre_gen.CONFLICTS, ids=lambda c: "+".join(c.when))
def test_each_conflict_is_refused_naming_the_answers_and_what_to_pick(
    conflict: pre_gen.Conflict,
) -> None:
    errors = errors_for(**conflict.when)
    assert errors == [conflict.message()]
    for option, value in conflict.when.items():
        assert f"{option}={value!r}" in errors[0]
    assert "; pick " in errors[0]
    assert all(f"{option}=" in conflict.instead for option in conflict.when)


@pytest.mark.parametrize("conflict", pre_gen.CONFLICTS, ids=lambda c: "+".join(c.when))
def test_changing_any_one_answer_of_a_conflict_as_advised_is_accepted(
    conflict: pre_gen.Conflict,
) -> None:
    """Every way out the message names is a bakeable answer."""
    for option in conflict.when:
        others = [value for value in CHOICES[option] if value != conflict.when[option]]
        for value in others:
            assert errors_for(**{**conflict.when, option: value}) == [], (option, value)


def test_the_conflicts_name_only_choices_cookiecutter_offers() -> None:
    for conflict in pre_gen.CONFLICTS:
        for option, value in conflict.when.items():
            assert value in CHOICES[option], (option, value)


# --- post-gen: git init -----------------------------------------------------------------------


def fake_git(directory: Path, script: str) -> str:
    directory.mkdir(parents=True, exist_ok=True)
    git = directory / "git"
    git.write_text(f"#!/bin/sh\n{script}\n", encoding="utf-8")
    git.chmod(0o755)
    return str(git)


def git_answers() -> dict[str, object]:
    return {**VALID_ANSWERS, "git_init": "yes"}


def test_git_init_makes_a_repository_with_one_commit_without_env(tmp_path: Path) -> None:
    git = shutil.which("git")
    assert git is not None, "git is needed for this test"
    project = tmp_path / "my-service"
    make_tree(project, ["app/main.py", ".gitignore", ".env"])
    (project / ".gitignore").write_text(".env\n", encoding="utf-8")
    assert post_gen.git_init(project, git_answers(), git) is None
    log = subprocess.run(
        [git, "log", "--format=%s"], cwd=project, capture_output=True, text=True, check=True
    )
    assert log.stdout.splitlines() == [post_gen.FIRST_COMMIT_MESSAGE]
    tracked = subprocess.run(
        [git, "ls-files"], cwd=project, capture_output=True, text=True, check=True
    ).stdout.split()
    assert sorted(tracked) == [".gitignore", "app/main.py"]


def test_git_init_reports_a_missing_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert post_gen.git_init(tmp_path, git_answers()) == "git is not installed"


def test_git_init_reports_a_failing_git(tmp_path: Path) -> None:
    git = fake_git(tmp_path / "bin", "echo 'fatal: disk on fire' >&2; exit 128")
    problem = post_gen.git_init(tmp_path, git_answers(), git)
    assert problem is not None
    assert "disk on fire" in problem


@pytest.mark.parametrize(
    "script", ["exit 1", "echo 'fatal: nope' >&2; exit 128"], ids=["silent", "message"]
)
def test_main_succeeds_and_says_what_to_do_when_git_fails(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    script: str,
) -> None:
    fake_git(tmp_path / "bin", script)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    project = tmp_path / "my-service"
    bakeable_tree(project, "postgresql")
    assert post_gen.main(git_answers(), project) == 0
    out, err = capsys.readouterr()
    assert "Next steps:" in out
    assert "not a git repository yet" in err
    assert "git init && git add --all && git commit" in err
    assert (project / ".env").is_file()


def test_main_runs_no_git_when_not_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without git_init, git only reads the template's commit (`git -C <template> rev-parse`)."""
    fake_git(tmp_path / "bin", f'echo "$@" >> {tmp_path / "ran"}; exit 1')
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    project = tmp_path / "my-service"
    bakeable_tree(project, "postgresql")
    (tmp_path / "template").mkdir()
    (tmp_path / "template" / "cookiecutter.json").write_text("{}\n", encoding="utf-8")
    assert post_gen.main({**VALID_ANSWERS, "_repo_dir": str(tmp_path / "template")}, project) == 0
    err = capsys.readouterr().err
    assert "not a git repository yet" not in err
    assert "no template commit" in err  # the fake git fails, so no commit is recorded
    calls = (tmp_path / "ran").read_text(encoding="utf-8").splitlines()
    assert calls
    assert all(call.startswith(f"-C {tmp_path / 'template'} rev-parse") for call in calls)
