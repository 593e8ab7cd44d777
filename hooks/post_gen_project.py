"""Finish a bake: drop what the chosen options exclude, write .env, record the answers.

Cookiecutter renders this file with Jinja and runs it with the baked project as the working
directory. It does local work only (no network) and fails loudly: a non-zero exit makes
cookiecutter report the failure and delete the project it created. The one program it may run
is git: to read which commit of the template is baked (recorded in `.cruft.json`, for
`cruft update`), and when `git_init` is "yes"; git missing or failing never fails the bake, the
hook says what to do instead.
Only the last line holds template syntax, so the unrendered file stays importable for tests.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

Condition = Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class Keep:
    """The path stays only when every option named has one of the values listed for it, or
    when the rule joined to it with `|` keeps it: `keep(auth="users") | keep(ai_provider=...)`."""

    when: Condition
    otherwise: Keep | None = None

    def keeps(self, answers: Mapping[str, object]) -> bool:
        if all(answers[option] in values for option, values in self.when.items()):
            return True
        return self.otherwise is not None and self.otherwise.keeps(answers)

    def options(self) -> set[str]:
        return {option for condition in self.conditions() for option in condition}

    def conditions(self) -> list[Condition]:
        """Each condition that keeps the path on its own."""
        return [self.when, *(self.otherwise.conditions() if self.otherwise else [])]

    def __or__(self, other: Keep) -> Keep:
        return Keep(self.when, other if self.otherwise is None else self.otherwise | other)


@dataclass(frozen=True)
class Choose:
    """The path is made from a variant file chosen by one option's answer.

    The variant for a value sits beside the path, the value before its suffix:
    `app/core/engine.py` comes from `app/core/engine.postgresql.py` or `engine.sqlite.py`.
    A file with no suffix takes the value as one (`LICENSE` from `LICENSE.MIT`).
    A value with no variant leaves the path out; the variants not chosen are removed, and so
    are all of them when the answers fail `only` (`only=keep(docker="yes")`).
    """

    option: str
    values: tuple[str, ...]
    only: Keep | None = None

    def source(self, path: str, value: str) -> str:
        pure = PurePosixPath(path)
        return str(pure.with_name(f"{pure.stem}.{value}{pure.suffix}"))

    def sources(self, path: str) -> list[str]:
        return [self.source(path, value) for value in self.values]

    def options(self) -> set[str]:
        return {self.option} | (self.only.options() if self.only else set())

    def chosen(self, answers: Mapping[str, object]) -> str | None:
        """The value whose variant becomes the path, or None when the path is left out."""
        if self.only is not None and not self.only.keeps(answers):
            return None
        value = str(answers[self.option])
        return value if value in self.values else None


Rule = Keep | Choose


def keep(**when: str | tuple[str, ...]) -> Keep:
    """`keep(database="sqlite")`: a Keep rule, one value or a tuple of values per option."""
    return Keep({option: (v,) if isinstance(v, str) else v for option, v in when.items()})


# The one table of what options change: path in the bake -> the rule that decides it.
# The tests derive every bake's expected files from it; a path or variant it names that is
# missing from the template fails the bake, so the table cannot drift from the template.
DATABASES = ("postgresql", "sqlite")
YES_NO = ("yes", "no")
LICENSES = ("MIT", "Apache-2.0", "BSD-3-Clause")  # "proprietary" has no LICENSE file
AUTHS = ("users", "none")
USERS_ONLY = keep(auth="users")
AI_PROVIDERS = ("anthropic", "openai")  # "none" bakes no AI client
AI_ONLY = keep(ai_provider=AI_PROVIDERS)
# Modules whose code differs with and without users (owners, tokens, secrets): a variant each.
AUTH_VARIANTS = (
    "app/domains.py",
    "app/core/config.py",
    "app/core/schemas.py",
    "app/db/models.py",
    "app/projects/errors.py",
    "app/projects/models.py",
    "app/projects/repository.py",
    "app/projects/router.py",
    "app/projects/schemas.py",
    "app/projects/service.py",
    "app/items/models.py",
    "app/items/repository.py",
    "app/items/router.py",
    "app/items/schemas.py",
    "app/items/service.py",
    "migrations/versions/2026_11_23_1200-3f6c2a1d9b7e_initial_schema.py",
    "tests/conftest.py",
    "tests/fuzzing.py",
    "tests/test_concurrency.py",
    "tests/test_config.py",
    "tests/test_errors.py",
    "tests/test_fuzz.py",
    "tests/test_health.py",
    "tests/test_items.py",
    "tests/test_layers.py",
    "tests/test_limits.py",
    "tests/test_openapi.py",
    "tests/test_pool.py",
    "tests/test_projects.py",
    "tests/test_schema.py",
    "tests/test_served.py",
    "tests/test_sessions.py",
)
MANIFEST: dict[str, Rule] = {
    "app/core/engine.py": Choose("database", DATABASES),
    "app/items/search.py": Choose("database", DATABASES),
    "migrations/versions/2026_11_23_1210-8c1d4e2f6a90_item_tags_and_search.py": Choose(
        "database", DATABASES
    ),
    "tests/database.py": Choose("database", DATABASES),
    "tests/test_sqlite.py": Choose("auth", AUTHS, only=keep(database="sqlite")),
    "tests/test_database_faults.py": Choose("auth", AUTHS, only=keep(database="postgresql")),
    # The search tests per database, as user requests or as plain ones (a name of their own
    # each, as one path can be chosen by one option only).
    "tests/test_items_search.py": Choose("database", DATABASES, only=USERS_ONLY),
    "tests/test_search.py": Choose("database", DATABASES, only=keep(auth="none")),
    # Users, their tokens and everything only they need.
    "app/auth": USERS_ONLY,
    "app/users": USERS_ONLY,
    "app/cli.py": USERS_ONLY,
    "app/core/security.py": USERS_ONLY,
    # Counters per key: login throttling, and the AI endpoint's rate limit.
    "app/core/throttling.py": USERS_ONLY | AI_ONLY,
    "tests/test_auth.py": USERS_ONLY,
    "tests/test_users.py": USERS_ONLY,
    "tests/test_cli.py": USERS_ONLY,
    "tests/test_security.py": USERS_ONLY,
    "tests/test_secrets.py": USERS_ONLY,
    **{path: Choose("auth", AUTHS) for path in AUTH_VARIANTS},
    # The AI provider's client behind one interface, and the example endpoint that uses it:
    # the provider's module, and who may ask (a user, or any caller without users).
    "app/ai": AI_ONLY,
    "app/ai/provider.py": Choose("ai_provider", AI_PROVIDERS),
    "app/ai/caller.py": Choose("auth", AUTHS, only=AI_ONLY),
    "tests/ai": AI_ONLY,
    "tests/ai/caller_headers.py": Choose("auth", AUTHS, only=AI_ONLY),
    "tests/ai/provider_api.py": Choose("ai_provider", AI_PROVIDERS),
    "tests/ai/test_owners.py": keep(auth="users", ai_provider=AI_PROVIDERS),
    "Dockerfile": keep(docker="yes"),
    ".dockerignore": keep(docker="yes"),
    "docker-compose.yml": Choose("database", DATABASES, only=keep(docker="yes")),
    # The command the served tests start: the Dockerfile's CMD, or the README's without Docker.
    "tests/served_command.py": Choose("docker", YES_NO),
    "k8s": keep(kubernetes="yes"),
    # State replicas share: the client pool and what keeps its data in Redis.
    "app/redis": keep(redis="yes"),
    "tests/redis_support.py": keep(redis="yes"),
    "tests/test_redis.py": keep(redis="yes"),
    # Login failures counted in memory, or in Redis.
    "app/core/throttle_storage.py": Choose("redis", YES_NO, only=USERS_ONLY | AI_ONLY),
    "tests/test_login_throttle_redis.py": keep(redis="yes", auth="users"),
    # The response cache, and the example resource read through it.
    "app/caching": keep(redis="yes"),
    "app/projects/dependencies.py": Choose("redis", YES_NO),
    "app/projects/caching.py": Choose("auth", AUTHS, only=keep(redis="yes")),
    "tests/test_response_cache.py": keep(redis="yes"),
    "tests/test_projects_cache.py": Choose("auth", AUTHS, only=keep(redis="yes")),
    # Background jobs: the queue, the worker, its tasks (per auth answer), and with users the
    # scheduler that purges spent refresh tokens.
    "app/jobs": keep(background_jobs="yes"),
    "app/jobs/tasks.py": Choose("auth", AUTHS, only=keep(background_jobs="yes")),
    "app/jobs/scheduler.py": keep(background_jobs="yes", auth="users"),
    "tests/jobs_support.py": keep(background_jobs="yes"),
    "tests/failing_job.py": keep(background_jobs="yes"),
    "tests/test_jobs.py": keep(background_jobs="yes"),
    "tests/test_job_tasks.py": Choose("auth", AUTHS, only=keep(background_jobs="yes")),
    "k8s/worker.yaml": keep(kubernetes="yes", background_jobs="yes"),
    "k8s/scheduler.yaml": keep(kubernetes="yes", background_jobs="yes", auth="users"),
    # Observability: each option is one package (an Extension) and its tests.
    "app/metrics": keep(metrics="yes"),
    "tests/test_metrics.py": keep(metrics="yes"),
    "app/tracing": keep(tracing="yes"),
    "tests/test_tracing.py": keep(tracing="yes"),
    "app/sentry": keep(sentry="yes"),
    "tests/test_sentry.py": keep(sentry="yes"),
    ".github/workflows/ci.yml": keep(ci="github"),
    ".gitlab-ci.yml": keep(ci="gitlab"),
    "LICENSE": Choose("license", LICENSES),
}

ENV_EXAMPLE = ".env.example"
ENV_FILE = ".env"
# What cruft reads to update the bake: the template, its commit and the answers. `.env` is
# kept out of updates by `[tool.cruft] skip` in the bake's pyproject.toml.
ANSWERS_FILE = ".cruft.json"
# cruft adds the template's commit to the context it renders with (`cruft create`, and the two
# renders `cruft update` diffs); plain cookiecutter adds none, unless a replay file holds one.
CRUFT_KEY = "_commit"
PLACEHOLDER = "changethis"
# The AI provider's key: the one secret the hook cannot make, left empty in .env for the user.
AI_KEY = "AI_API_KEY"
AI_PROVIDER_NAMES = {"anthropic": "Anthropic", "openai": "OpenAI"}
PLACEHOLDER_LINE = re.compile(rf"(?P<key>[A-Za-z_][A-Za-z0-9_]*)={PLACEHOLDER}")
# Context entries cookiecutter adds that only make sense on the machine that baked.
MACHINE_LOCAL_KEYS = frozenset({"_output_dir", "_repo_dir", "_checkout"})


class HookError(Exception):
    """A bake that must not be handed to the user."""


@dataclass(frozen=True)
class Layout:
    """What the hook does to one bake: paths to remove, and variant files to move into place."""

    removed: list[str]
    moved: dict[str, str]  # variant file -> the path it becomes


def layout(answers: Mapping[str, object], manifest: Mapping[str, Rule] = MANIFEST) -> Layout:
    """Apply the table to the answers."""
    named = set().union(*(rule.options() for rule in manifest.values()))
    unknown = sorted(named - set(answers))
    if unknown:
        raise HookError(f"manifest names options missing from the answers: {', '.join(unknown)}")
    removed: list[str] = []
    moved: dict[str, str] = {}
    for path, rule in manifest.items():
        if isinstance(rule, Keep):
            if not rule.keeps(answers):
                removed.append(path)
            continue
        value = rule.chosen(answers)
        for source in rule.sources(path):
            if value is not None and source == rule.source(path, value):
                moved[source] = path
            else:
                removed.append(source)
    return Layout(removed, moved)


def template_paths(manifest: Mapping[str, Rule] = MANIFEST) -> list[str]:
    """Every path the table expects in a freshly rendered bake, before the hook runs."""
    paths: list[str] = []
    for path, rule in manifest.items():
        paths.extend([path] if isinstance(rule, Keep) else rule.sources(path))
    return paths


def check_manifest(project_dir: Path, manifest: Mapping[str, Rule]) -> None:
    for path in [*manifest, *template_paths(manifest)]:
        pure = PurePosixPath(path)
        if pure.is_absolute() or ".." in pure.parts or not pure.parts:
            raise HookError(f"manifest path {path!r} must be relative and stay inside the bake")
    missing = [path for path in template_paths(manifest) if not (project_dir / path).exists()]
    if missing:
        raise HookError(
            "manifest paths missing from the bake (fix MANIFEST in hooks/post_gen_project.py "
            f"or the template): {', '.join(missing)}"
        )
    clashing = [
        path
        for path, rule in manifest.items()
        if isinstance(rule, Choose) and (project_dir / path).exists()
    ]
    if clashing:
        raise HookError(
            "the template holds a path that a variant is chosen for (keep only its variants): "
            + ", ".join(clashing)
        )


def prune(
    project_dir: Path,
    answers: Mapping[str, object],
    manifest: Mapping[str, Rule] = MANIFEST,
) -> Layout:
    """Move the chosen variants into place, delete what the answers exclude; return both."""
    check_manifest(project_dir, manifest)
    plan = layout(answers, manifest)
    for source, target in plan.moved.items():
        (project_dir / source).rename(project_dir / target)
    gone = set(plan.removed)
    for path in plan.removed:
        if any(str(parent) in gone for parent in PurePosixPath(path).parents):
            continue  # inside a directory removed whole (`app/ai`, and its variants)
        doomed = project_dir / path
        if not doomed.exists() and not doomed.is_symlink():
            continue  # inside a directory the table removed before it (`k8s/worker.yaml`)
        if doomed.is_dir() and not doomed.is_symlink():
            shutil.rmtree(doomed)
        else:
            doomed.unlink()
        remove_empty_parents(project_dir, doomed.parent)
    return plan


def remove_empty_parents(project_dir: Path, directory: Path) -> None:
    """Remove directory and its ancestors while they are empty, stopping at project_dir."""
    root = project_dir.resolve()
    current = directory.resolve()
    while current != root and root in current.parents and not any(current.iterdir()):
        current.rmdir()
        current = current.parent


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def render_env(example: str, make_secret: Callable[[], str] = new_secret) -> tuple[str, list[str]]:
    """Copy .env.example, giving every `KEY=changethis` line a fresh secret of its own."""
    lines: list[str] = []
    generated: list[str] = []
    for line in example.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        match = PLACEHOLDER_LINE.fullmatch(body)
        if match is not None:
            line = f"{match['key']}={make_secret()}{line[len(body) :]}"
            generated.append(match["key"])
        lines.append(line)
    return "".join(lines), generated


def write_env(project_dir: Path, make_secret: Callable[[], str] = new_secret) -> list[str]:
    """Write .env (owner-only, never over an existing file); return the keys given secrets."""
    example = project_dir / ENV_EXAMPLE
    if not example.is_file():
        raise HookError(f"{ENV_EXAMPLE} is missing from the bake; .env is made from it")
    with example.open(encoding="utf-8", newline="") as example_file:  # keep line endings
        text, generated = render_env(example_file.read(), make_secret)
    try:
        fd = os.open(project_dir / ENV_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as error:
        raise HookError(
            f"{ENV_FILE} already exists in the bake; the template must not ship one"
        ) from error
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as env_file:
        env_file.write(text)
    return generated


def replay_answers(answers: Mapping[str, object]) -> dict[str, object]:
    """The answers in cookiecutter's replay format, without machine-local paths.

    Kept: every prompt answer, `_template`, `_commit`, and the derived `__` variables
    (cookiecutter's replay does not recompute those and fails without them). Dropped: the other
    `_` keys, which are template settings that cookiecutter.json supplies on replay.
    """
    kept = {
        key: value
        for key, value in answers.items()
        if key not in MACHINE_LOCAL_KEYS
        and (not key.startswith("_") or key in {"_template", CRUFT_KEY} or key.startswith("__"))
        and key != "__prompts__"
    }
    return {"cookiecutter": dict(sorted(kept.items()))}


@dataclass(frozen=True)
class TemplateSource:
    """Where the bake came from, as cruft clones it: a git URL or path, a commit, a subdirectory."""

    url: str
    commit: str | None
    directory: str | None
    problem: str | None = None  # why no commit could be read, if none was


# Template arguments cookiecutter clones (a URL, an scp-like address, an abbreviation): the
# bake then records the clone's `origin`; any other argument is a local directory.
REMOTE_TEMPLATE = re.compile(r"^([a-z][a-z0-9+.-]*://|[\w.-]+@[\w.-]+:|gh:|gl:|bb:)", re.IGNORECASE)


def run_git(git: str, directory: Path, *args: str) -> str | None:
    """`git -C directory args`: its output, or None when it fails or cannot run."""
    try:
        done = subprocess.run(  # noqa: S603 - git, with fixed arguments
            [git, "-C", str(directory), *args],
            capture_output=True,
            text=True,
            check=False,
            timeout=GIT_TIMEOUT_SECONDS,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def parent_directory() -> Path:
    """The working directory of the process that runs this hook (Linux): cookiecutter runs
    hooks from inside the template's directory."""
    return Path(f"/proc/{os.getppid()}/cwd")


def template_directory(repo_dir: str) -> Path | None:
    """The template's directory, absolute. Cookiecutter gives it as it was typed (`.`), relative
    to where it ran, and runs this hook elsewhere: in the bake, from a process whose working
    directory is the template's. A candidate counts only if it holds cookiecutter.json."""
    path = Path(repo_dir).expanduser()
    if path.is_absolute():
        candidates = [path]
    else:
        # Relative to the shell that started cookiecutter, else cookiecutter's own directory.
        candidates = [Path(os.environ.get("PWD", "/")) / path, parent_directory()]
    for candidate in candidates:
        try:
            if (candidate / "cookiecutter.json").is_file():
                return candidate.resolve()
        except OSError:
            continue
    return None


def template_source(answers: Mapping[str, object], git: str | None = None) -> TemplateSource:
    """Read the template's repository, commit and subdirectory from the checkout that baked."""
    template = str(answers.get("_template", ""))
    repo_dir = answers.get("_repo_dir")
    if not repo_dir:
        return TemplateSource(template, None, None, "cookiecutter named no template directory")
    directory = template_directory(str(repo_dir))
    if directory is None:
        return TemplateSource(template, None, None, f"cannot find the template at {repo_dir}")
    binary = git or shutil.which("git")
    if binary is None:
        return TemplateSource(str(directory), None, None, "git is not installed")
    toplevel = run_git(binary, directory, "rev-parse", "--show-toplevel")
    commit = run_git(binary, directory, "rev-parse", "--verify", "HEAD")
    if toplevel is None or commit is None:
        return TemplateSource(
            str(directory), None, None, f"the template at {directory} is not a git checkout"
        )
    prefix = (run_git(binary, directory, "rev-parse", "--show-prefix") or "").strip("/")
    url = toplevel
    if REMOTE_TEMPLATE.match(template):
        url = run_git(binary, directory, "remote", "get-url", "origin") or template
    return TemplateSource(url, commit, prefix or None)


def cruft_state(answers: Mapping[str, object], source: TemplateSource) -> dict[str, object]:
    """`.cruft.json` as cruft writes it: the template, its commit, the answers as context."""
    recorded = {**answers, "_template": source.url}
    if source.commit is not None:
        recorded[CRUFT_KEY] = source.commit
    checkout = answers.get("_checkout")
    return {
        "template": source.url,
        "commit": source.commit,
        "checkout": checkout if isinstance(checkout, str) and checkout else None,
        "context": replay_answers(recorded),
        "directory": source.directory,
    }


def write_answers(project_dir: Path, answers: Mapping[str, object], source: TemplateSource) -> None:
    text = json.dumps(cruft_state(answers, source), indent=2, ensure_ascii=False)
    (project_dir / ANSWERS_FILE).write_text(text + "\n", encoding="utf-8")


def link_instructions(source: TemplateSource) -> str:
    """What to do when no commit could be recorded, so `cruft update` has nothing to diff."""
    return "\n".join(
        [
            f"{ANSWERS_FILE} records the answers but no template commit: {source.problem}.",
            "`cruft update` needs the commit the project was baked from. In the project, either",
            f'  set "commit" in {ANSWERS_FILE} to that commit of the template repository, or',
            f"  rm {ANSWERS_FILE} && uvx cruft link <the template's git URL> "
            "--extra-context '<the answers>'",
        ]
    )


def database_name(project_dir: Path) -> str | None:
    """The database named by DATABASE_URL in .env.example, if any."""
    example = project_dir / ENV_EXAMPLE
    if not example.is_file():
        return None
    for line in example.read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition("=")
        if key.strip() == "DATABASE_URL":
            name = urlsplit(value.strip().strip("'\"")).path.lstrip("/")
            return name or None
    return None


GIT_TIMEOUT_SECONDS = 60
FIRST_COMMIT_MESSAGE = "Initial commit: the project as the template baked it"


def git_identity(answers: Mapping[str, object]) -> dict[str, str]:
    """Author and committer for the first commit when git has none configured: the answers."""
    name, email = str(answers.get("author_name", "")), str(answers.get("author_email", ""))
    return {
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": email,
    }


def git_init(
    project_dir: Path, answers: Mapping[str, object], git: str | None = None
) -> str | None:
    """`git init` and a first commit of the whole bake (.env stays out: .gitignore names it).

    Returns None when both worked, else what went wrong; the bake stands either way.
    """
    binary = git or shutil.which("git")
    if binary is None:
        return "git is not installed"
    try:
        configured = subprocess.run(  # noqa: S603 - git, with fixed arguments
            [binary, "config", "--get", "user.email"],
            cwd=project_dir,
            capture_output=True,
            text=True,
            check=False,
            timeout=GIT_TIMEOUT_SECONDS,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"`git config` could not run: {error}"
    env = dict(os.environ)
    if configured.returncode != 0 or not configured.stdout.strip():
        # No identity configured: the answers sign the first commit (set variables still win).
        env = {**git_identity(answers), **env}
    for args in (
        ["init", "--quiet"],
        ["add", "--all"],
        ["commit", "--quiet", "-m", FIRST_COMMIT_MESSAGE],
    ):
        try:
            done = subprocess.run(  # noqa: S603 - git, with fixed arguments
                [binary, *args],
                cwd=project_dir,
                capture_output=True,
                text=True,
                check=False,
                env=env,
                timeout=GIT_TIMEOUT_SECONDS,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            return f"`git {args[0]}` could not run: {error}"
        if done.returncode != 0:
            output = (done.stderr.strip() or done.stdout.strip()).splitlines()
            reason = output[-1] if output else f"exit status {done.returncode}"
            return f"`git {args[0]}` failed: {reason}"
    return None


def git_instructions(project_dir: Path, problem: str) -> str:
    return "\n".join(
        [
            f"The project is baked, but it is not a git repository yet: {problem}.",
            "To make one yourself:",
            f"  cd {project_dir.name} && git init && git add --all && "
            f'git commit -m "{FIRST_COMMIT_MESSAGE}"',
        ]
    )


def next_steps(
    answers: Mapping[str, object], project_dir: Path, generated: Sequence[str] = ("SECRET_KEY",)
) -> str:
    """What to run next; `generated` names the keys given secrets in .env."""
    steps = [f"cd {project_dir.name}", "uv sync"]
    if answers.get("database") == "postgresql":
        name = database_name(project_dir)
        if name:
            steps.append(f"createdb {name}    # the database DATABASE_URL in .env names")
    steps += [
        "uv run alembic upgrade head",
    ]
    if answers.get("auth") == "users":
        steps.append("uv run python -m app.cli create-admin    # the first admin account")
    steps += [
        "uv run uvicorn app.main:create_app --factory --reload",
        "uv run pytest",
    ]
    if answers.get("ci") in ("github", "gitlab"):
        steps.append("git add uv.lock    # CI installs with `uv sync --locked`: commit the lock")
    if answers.get("docker") == "yes":
        steps.append("docker compose up --build    # or the whole stack in containers")
    provider = AI_PROVIDER_NAMES.get(str(answers.get("ai_provider")))
    if generated or provider:
        made = "secrets generated for this project" if generated else "the settings"
        env_line = f"{ENV_FILE} holds {made}; keep it out of version control."
    else:
        env_line = f"{ENV_FILE} holds the settings; it needs no secret."
    lines = [
        f"Baked {answers.get('project_name')!s} into {project_dir}",
        env_line,
        *(
            [
                f"Put your {provider} API key in {ENV_FILE} as {AI_KEY} (no key can be generated: "
                "until then the summary endpoint answers 503, and staging and production "
                "refuse to start)."
            ]
            if provider
            else []
        ),
        "",
        "Next steps:",
        *(f"  {step}" for step in steps),
        "",
        "README.md explains the rest.",
    ]
    return "\n".join(lines)


def main(answers: Mapping[str, object], directory: Path | None = None) -> int:
    project_dir = Path.cwd() if directory is None else directory
    # Under cruft (`cruft create`, or the renders `cruft update` compares), cruft writes
    # .cruft.json itself, and a repository in a render would be diffed as files.
    # (cruft renders without cookiecutter's main, which names the template's directory).
    under_cruft = CRUFT_KEY in answers and "_repo_dir" not in answers
    source = None if under_cruft else template_source(answers)
    try:
        prune(project_dir, answers)
        generated = write_env(project_dir)
        if source is not None:
            write_answers(project_dir, answers, source)
    except (HookError, OSError) as error:
        print(f"Cannot finish the bake: {error}", file=sys.stderr)
        return 1
    print(next_steps(answers, project_dir, generated))
    if source is not None and source.commit is None:
        print(link_instructions(source), file=sys.stderr)
    elif source is not None and source.commit is not None:
        print(
            f"{ANSWERS_FILE} records the template and its commit {source.commit[:12]}: "
            "`uvx cruft update` brings in later template changes."
        )
    if answers.get("git_init") == "yes" and under_cruft:
        print("Rendered by cruft: no git repository made (`git init` it yourself).")
    elif answers.get("git_init") == "yes":
        problem = git_init(project_dir, answers)
        if problem is None:
            print("A git repository holds the bake's first commit (.env is left out).")
        else:
            print(git_instructions(project_dir, problem), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(json.loads({{ cookiecutter | tojson | tojson }})))  # type: ignore[name-defined,arg-type]  # noqa: F821  # fmt: skip
