"""What each shipping option adds, checked as files (no Docker engine, no cluster here):
nothing references what an option removed; the Dockerfile passes hadolint, copies only what
the bake holds and runs what the served tests run; compose wires its services as the README
says; CI files pass their published schemas and run the README's commands; the Kubernetes
manifests pass the Kubernetes schemas and agree with one another and with the app; the
license, the pre-commit versions and git init are as answered; refused answers are refused
when baked; and the matrix holds every allowed pair of answers."""

from __future__ import annotations

import ast
import fnmatch
import re
import subprocess
import sys
import tomllib
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from bakes import Bake, Bakery
from cookiecutter.exceptions import FailedHookException
from expectations import (
    ANSWERS_FILE,
    CHOICES,
    DEFAULTS,
    MATRIX,
    VARIANTS,
    answers_for,
    expected_present,
    uncovered_pairs,
)
from harness import bake, load_hook
from test_bake import files_of, text_of

if TYPE_CHECKING:
    import post_gen_project as post_gen
    import pre_gen_project as pre_gen
else:
    post_gen = load_hook("post_gen_project")
    pre_gen = load_hook("pre_gen_project")

TOOLS = Path(sys.executable).parent  # hadolint, check-jsonschema, kubernetes-validate


def variants_with(path: str) -> list[str]:
    """The bakes that must hold path, by the option table (so no test is generated, or
    skipped, for a bake without it)."""
    return [name for name in VARIANTS if path in expected_present(answers_for(name))]


def variants_where(option: str, value: str) -> list[str]:
    return [name for name in VARIANTS if answers_for(name)[option] == value]


@pytest.fixture
def baked(request: pytest.FixtureRequest, bakery: Bakery) -> Bake:
    variant: str = request.node.callspec.params["variant"]
    return bakery.get(variant)


def tool(name: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(TOOLS / name), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
        timeout=300,
    )


def load_yaml(project: Path, relative: str) -> Any:
    return yaml.safe_load(text_of(project, relative))


# --- nothing references a removed file -----------------------------------------------------


def absent_paths(answers: dict[str, str]) -> list[str]:
    """The paths the table names that this bake does not hold, under their baked names."""
    plan = post_gen.layout(answers)
    return [
        path
        for path, rule in post_gen.MANIFEST.items()
        if (isinstance(rule, post_gen.Keep) and path in plan.removed)
        or (isinstance(rule, post_gen.Choose) and path not in plan.moved.values())
    ]


def needles(path: str) -> list[str]:
    """How a file can be referred to: its path, its name, and a module's import name.

    A module or package of the app is named by its import names (`app.users`, `import
    security`) and, a package, as a directory (`users/`): its bare name is an ordinary word
    ("users", "security headers") that a bake without it may well use.
    """
    pure = PurePosixPath(path)
    found = [path]
    module = ".".join(pure.with_suffix("").parts) if pure.suffix == ".py" else None
    if pure.parts[0] == "app":
        module = module or ".".join(pure.parts)
        found += [module, f"import {pure.stem}"]
        found.append(pure.name if pure.suffix else f"{pure.name}/")
    else:
        found.append(pure.name)
        if module is not None:
            found += [module, pure.stem]
    return sorted(set(found))


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_nothing_references_a_removed_file(variant: str, baked: Bake) -> None:
    """No import, compose service, README section or CI step names what the options removed."""
    project = baked.require()
    absent = absent_paths(baked.answers)
    found: list[str] = []
    for relative in files_of(project):
        if relative in {ANSWERS_FILE, ".env"}:
            continue
        text = text_of(project, relative)
        for path in absent:
            for needle in needles(path):
                if re.search(rf"(?<![\w.-]){re.escape(needle)}(?![\w-])", text):
                    found.append(f"{relative} names {needle!r} ({path} is not in this bake)")
    assert found == []


def test_the_reference_check_sees_a_reference() -> None:
    """The check above would catch `Dockerfile` in a docker='no' README."""
    pattern = rf"(?<![\w.-]){re.escape('Dockerfile')}(?![\w-])"
    assert re.search(pattern, "build the `Dockerfile` first")
    assert not re.search(pattern, "a Dockerfiles-free bake")
    assert "Dockerfile" in absent_paths({**DEFAULTS, "docker": "no"})
    assert "LICENSE" in absent_paths({**DEFAULTS, "license": "proprietary"})
    assert "app/users" in absent_paths({**DEFAULTS, "auth": "none"})
    assert set(needles("app/users")) == {"app/users", "app.users", "import users", "users/"}
    assert set(needles("app/core/security.py")) == {
        "app/core/security.py",
        "app.core.security",
        "import security",
        "security.py",
    }
    assert "test_auth" in needles("tests/test_auth.py")


# --- auth ----------------------------------------------------------------------------------

# What only users need: their settings, routes and packages. A bake without users names none.
USERS_ONLY_WORDS = (
    "SECRET_KEY",
    "FIRST_ADMIN",
    "LOGIN_FAILURES",
    "PASSWORD_HASHING_CONCURRENCY",
    "ACCESS_TOKEN_EXPIRE",
    "/api/v1/auth",
    "/api/v1/users",
    "create-admin",
)
USERS_ONLY_PACKAGES = ("pwdlib", "pyjwt", "limits", "python-multipart")
# What the AI provider option shares with users: the library counting its rate limit.
SHARED_WITH_AI = ("limits",)


@pytest.mark.parametrize("variant", variants_where("auth", "none"))
def test_without_users_nothing_names_their_settings_routes_or_packages(
    variant: str, baked: Bake
) -> None:
    project = baked.require()
    shared = SHARED_WITH_AI if baked.answers["ai_provider"] != "none" else ()
    found = [
        f"{relative} names {word!r}"
        for relative in files_of(project)
        if relative != ANSWERS_FILE and not relative.startswith("tests/")
        for word in USERS_ONLY_WORDS
        if word not in shared and word in text_of(project, relative)
    ]
    assert found == []
    dependencies = tomllib.loads(text_of(project, "pyproject.toml"))["project"]["dependencies"]
    names = {re.split(r"[<>=\[]", dependency)[0] for dependency in dependencies}
    assert not names & (set(USERS_ONLY_PACKAGES) - set(shared))
    assert "changethis" not in text_of(project, ".env.example").replace(
        "POSTGRES_PASSWORD=changethis", ""
    )


@pytest.mark.parametrize("variant", variants_where("auth", "users"))
def test_with_users_the_secret_and_the_admin_command_are_there(variant: str, baked: Bake) -> None:
    project = baked.require()
    assert "SECRET_KEY=changethis" in text_of(project, ".env.example")
    assert "python -m app.cli create-admin" in text_of(project, "README.md")


# --- Docker --------------------------------------------------------------------------------


def dockerfile_instructions(project: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) per line of the Dockerfile, comments left out."""
    found: list[tuple[str, str]] = []
    for line in text_of(project, "Dockerfile").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            instruction, _, rest = line.strip().partition(" ")
            found.append((instruction.upper(), rest))
    return found


def dockerignored(path: str, patterns: list[str]) -> bool:
    return any(
        fnmatch.fnmatch(path, pattern) or path.startswith(pattern.rstrip("/") + "/")
        for pattern in patterns
    )


@pytest.mark.parametrize("variant", variants_with("Dockerfile"))
def test_dockerfile_passes_hadolint(variant: str, baked: Bake) -> None:
    done = tool("hadolint", "--no-color", "Dockerfile", cwd=baked.require())
    assert done.returncode == 0, done.stdout + done.stderr


def test_hadolint_finds_a_bad_dockerfile(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text("FROM python\nRUN cd /app && sudo make\n", "utf-8")
    assert tool("hadolint", "--no-color", "Dockerfile", cwd=tmp_path).returncode != 0


@pytest.mark.parametrize("variant", variants_with("Dockerfile"))
def test_dockerfile_copies_only_what_the_bake_holds(variant: str, baked: Bake) -> None:
    """Every COPY from the build context names files the bake has and .dockerignore keeps."""
    project = baked.require()
    ignored = [
        line.strip()
        for line in text_of(project, ".dockerignore").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    copies = [rest.split() for name, rest in dockerfile_instructions(project) if name == "COPY"]
    from_context = [args for args in copies if not any(a.startswith("--from") for a in args)]
    assert from_context, "the Dockerfile copies the project"
    for args in from_context:
        sources = [a for a in args[:-1] if not a.startswith("--")]
        matched = [s for s in sources if list(project.glob(s))]
        assert matched, f"COPY {' '.join(args)}: no source in the bake"
        for source in sources:
            if not any(ch in source for ch in "*?["):
                assert (project / source).exists(), f"COPY source {source} is not in the bake"
            assert not dockerignored(source, ignored), f"{source} is in .dockerignore"


@pytest.mark.parametrize("variant", variants_with("Dockerfile"))
def test_dockerfile_runs_unprivileged_with_a_healthcheck(variant: str, baked: Bake) -> None:
    project = baked.require()
    steps = dockerfile_instructions(project)
    users = [rest for name, rest in steps if name == "USER"]
    assert users, "USER is set"
    assert users[-1] not in {"root", "0"}
    assert any(name == "HEALTHCHECK" for name, _ in steps)
    cmd = [rest for name, rest in steps if name == "CMD"][-1]
    assert '"--port", "8000"' in cmd
    assert ("EXPOSE", "8000") in steps
    sqlite = baked.answers["database"] == "sqlite"
    assert (("VOLUME", "/data") in steps) is sqlite
    env = " ".join(rest for name, rest in steps if name == "ENV")
    assert "ENVIRONMENT=production" in env
    assert ("DATABASE_URL=sqlite+aiosqlite:////data/" in env) is sqlite


def compose_services(project: Path) -> dict[str, Any]:
    compose = load_yaml(project, "docker-compose.yml")
    services: dict[str, Any] = compose["services"]
    return services


@pytest.mark.parametrize("variant", variants_with("docker-compose.yml"))
def test_compose_wires_database_migration_and_api(variant: str, baked: Bake) -> None:
    project = baked.require()
    compose = load_yaml(project, "docker-compose.yml")
    services: dict[str, Any] = compose["services"]
    postgresql = baked.answers["database"] == "postgresql"
    redis = baked.answers["redis"] == "yes"
    servers = ({"db"} if postgresql else set()) | ({"redis"} if redis else set())
    jobs = baked.answers["background_jobs"] == "yes"
    scheduler = jobs and baked.answers["auth"] == "users"
    job_processes = ({"worker"} if jobs else set()) | ({"scheduler"} if scheduler else set())
    assert set(services) == {"migrate", "api"} | servers | job_processes
    for name, service in services.items():
        for needed in service.get("depends_on", {}):
            assert needed in services, f"{name} depends on a missing service {needed}"
        for volume in service.get("volumes", []):
            assert volume.split(":")[0] in compose["volumes"], f"{name}: volume {volume}"
        if "build" in service:
            assert (project / service["build"] / "Dockerfile").is_file()
    migrate, api = services["migrate"], services["api"]
    assert migrate["command"] == ["alembic", "upgrade", "head"]
    assert api["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    assert migrate["image"] == api["image"]
    assert "/health/ready" in " ".join(api["healthcheck"]["test"])
    for service in (migrate, api):
        assert service["environment"]["ENVIRONMENT"] == "production"
        assert service["env_file"] == ".env"
    urls = {migrate["environment"]["DATABASE_URL"], api["environment"]["DATABASE_URL"]}
    assert len(urls) == 1, "the migration and the API use one database"
    url = urls.pop()
    assert "localhost" not in url
    if postgresql:
        db = services["db"]
        assert "ports" not in db, "PostgreSQL publishes no port"
        assert db["healthcheck"]["test"]
        assert any(v.endswith(":/var/lib/postgresql/data") for v in db["volumes"])
        for service in (migrate, api):
            assert service["depends_on"]["db"] == {"condition": "service_healthy"}
        assert "@db:5432/" in url
        assert "${POSTGRES_PASSWORD" in db["environment"]["POSTGRES_PASSWORD"]
        assert "POSTGRES_PASSWORD=" in text_of(project, ".env")
    else:
        assert url.startswith("sqlite+aiosqlite:////data/")
        assert migrate["volumes"] == api["volumes"], "the migration runs where the data lives"
        assert all(v.endswith(":/data") for v in api["volumes"])
    assert all("5432" not in str(port) for port in api["ports"])
    if redis:
        assert "ports" not in services["redis"], "Redis publishes no port"
        assert services["redis"]["healthcheck"]["test"]
        assert api["depends_on"]["redis"] == {"condition": "service_healthy"}
        assert api["environment"]["REDIS_URL"] == "redis://redis:6379/0"
    for name in job_processes:
        process = services[name]
        assert process["image"] == api["image"]
        assert process["command"][:2] == ["taskiq", name]
        assert process["environment"] == api["environment"]
        assert process["env_file"] == ".env"
        assert process["depends_on"]["redis"] == {"condition": "service_healthy"}
        assert process["healthcheck"] == {"disable": True}, "the image's check asks the API"
        assert "ports" not in process
    if jobs:
        worker = services["worker"]
        assert worker["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        assert worker.get("volumes") == api.get("volumes"), "the worker reads the API's data"
        assert "appendonly" in " ".join(services["redis"]["command"]), "the queue is kept"
        assert services["redis"]["volumes"][0].split(":")[0] in compose["volumes"]
        if "k8s" in expected_present(baked.answers):
            k8s = manifests(project, baked.answers)
            for name in job_processes:
                (container,) = k8s[name]["spec"]["template"]["spec"]["containers"]
                assert container["command"] == services[name]["command"]


@pytest.mark.parametrize("variant", variants_where("docker", "no"))
def test_without_docker_the_readme_gives_the_served_command(variant: str, baked: Bake) -> None:
    project = baked.require()
    scope: dict[str, Any] = {}
    source = text_of(project, "tests/served_command.py")
    exec(compile(source, "served_command.py", "exec"), scope)  # noqa: S102 - the bake's own
    assert f"uv run --no-dev {scope['PRODUCTION_COMMAND']}\n" in text_of(project, "README.md")


@pytest.mark.parametrize("variant", variants_where("docker", "yes"))
def test_the_served_tests_run_the_dockerfiles_command(variant: str, baked: Bake) -> None:
    source = text_of(baked.require(), "tests/served_command.py")
    assert '"Dockerfile"' in source


# --- CI --------------------------------------------------------------------------------------

CI_FILES = {"github": ".github/workflows/ci.yml", "gitlab": ".gitlab-ci.yml"}
SCHEMAS = {"github": "vendor.github-workflows", "gitlab": "vendor.gitlab-ci"}


def ci_variants() -> list[pytest.param]:  # type: ignore[valid-type]
    return [
        pytest.param(name, answers_for(name)["ci"], id=name)
        for name in VARIANTS
        if answers_for(name)["ci"] in CI_FILES
    ]


@pytest.mark.parametrize(("variant", "ci"), ci_variants())
def test_ci_file_passes_its_published_schema(variant: str, ci: str, baked: Bake) -> None:
    done = tool(
        "check-jsonschema",
        "--builtin-schema",
        SCHEMAS[ci],
        CI_FILES[ci],
        cwd=baked.require(),
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("ci", list(CI_FILES))
def test_the_schema_check_refuses_a_broken_ci_file(ci: str, tmp_path: Path) -> None:
    broken = {"github": "on: push\njobs: {check: {steps: 3}}\n", "gitlab": "check: {script: 3}\n"}
    (tmp_path / "ci.yml").write_text(broken[ci], "utf-8")
    done = tool("check-jsonschema", "--builtin-schema", SCHEMAS[ci], "ci.yml", cwd=tmp_path)
    assert done.returncode != 0


def readme_checks(project: Path) -> list[str]:
    """The commands of the README's "Checks" block, one per line."""
    readme = text_of(project, "README.md")
    section = readme.split("\n## Checks\n", 1)[1]
    block = section.split("```bash\n", 1)[1].split("```", 1)[0]
    return [line.strip() for line in block.splitlines() if line.strip()]


def ci_commands(project: Path, ci: str) -> list[str]:
    data = load_yaml(project, CI_FILES[ci])
    if ci == "github":
        steps = data["jobs"]["check"]["steps"]
        return [step["run"].strip() for step in steps if "run" in step]
    script: list[str] = data["check"]["script"]
    return [line.strip() for line in script]


@pytest.mark.parametrize(("variant", "ci"), ci_variants())
def test_ci_runs_the_readmes_commands(variant: str, ci: str, baked: Bake) -> None:
    project = baked.require()
    commands = readme_checks(project)
    assert commands[0] == "uv sync --locked"
    assert {"uv run mypy", "uv run alembic check", "uv run pytest --cov"} <= set(commands)
    assert ci_commands(project, ci) == commands


@pytest.mark.parametrize(("variant", "ci"), ci_variants())
def test_ci_tests_against_the_servers_the_bake_uses(variant: str, ci: str, baked: Bake) -> None:
    project = baked.require()
    data = load_yaml(project, CI_FILES[ci])
    job = data["jobs"]["check"] if ci == "github" else data["check"]
    env = job.get("env", {}) if ci == "github" else data["variables"]
    # Service name -> (image, the host the tests reach it at).
    if ci == "github":
        services = {
            name: (spec["image"], "localhost") for name, spec in job.get("services", {}).items()
        }
    else:
        services = {
            spec["alias"]: (spec["name"], spec["alias"]) for spec in job.get("services", [])
        }
    postgresql = baked.answers["database"] == "postgresql"
    redis = baked.answers["redis"] == "yes"
    expected = ({"postgres"} if postgresql else set()) | ({"redis"} if redis else set())
    assert set(services) == expected
    if postgresql:
        image, host = services["postgres"]
        assert image.startswith("postgres:")
        assert env["DATABASE_URL"].startswith(f"postgresql+asyncpg://postgres:postgres@{host}:")
    else:
        assert "DATABASE_URL" not in env
    if redis:
        image, host = services["redis"]
        assert image.startswith("redis:")
        # GitHub publishes the port on localhost, where the settings' default points.
        assert env.get("REDIS_URL", "redis://localhost:6379/0") == f"redis://{host}:6379/0"


@pytest.mark.parametrize("variant", variants_where("ci", "none"))
def test_no_ci_bakes_no_pipeline_but_keeps_the_checks(variant: str, baked: Bake) -> None:
    project = baked.require()
    assert not (project / ".github").exists()
    assert not (project / ".gitlab-ci.yml").exists()
    assert readme_checks(project)[0] == "uv sync --locked"


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_pre_commit_runs_the_dev_dependencies_versions(variant: str, baked: Bake) -> None:
    project = baked.require()
    config = load_yaml(project, ".pre-commit-config.yaml")
    dev = tomllib.loads(text_of(project, "pyproject.toml"))["dependency-groups"]["dev"]
    pins = {re.split(r"[<>=\[]", d)[0]: d for d in dev}
    ruff = next(r for r in config["repos"] if r["repo"].endswith("/ruff-pre-commit"))
    assert pins["ruff"] == f"ruff>={ruff['rev'].removeprefix('v')}"
    local = [hook for r in config["repos"] if r["repo"] == "local" for hook in r["hooks"]]
    mypy = next(hook for hook in local if hook["id"] == "mypy")
    assert mypy["entry"] == "uv run --no-sync mypy", "mypy runs from the project's environment"


# --- Kubernetes ------------------------------------------------------------------------------

K8S_FILES = (
    "configmap.yaml",
    "deployment.yaml",
    "service.yaml",
    "hpa.yaml",
    "pdb.yaml",
    "migration-job.yaml",
)
IDLE_RSS_MIB = 85  # the benchmark's resident memory of an idle replica


def k8s_files(answers: dict[str, str]) -> tuple[str, ...]:
    """The manifests a bake holds: the job worker's, and the scheduler's with users, join them."""
    jobs = answers["background_jobs"] == "yes"
    extra = (("worker.yaml",) if jobs else ()) + (
        ("scheduler.yaml",) if jobs and answers["auth"] == "users" else ()
    )
    return K8S_FILES + extra


def manifests(project: Path, answers: dict[str, str]) -> dict[str, Any]:
    return {
        name.removesuffix(".yaml"): load_yaml(project, f"k8s/{name}") for name in k8s_files(answers)
    }


@pytest.mark.parametrize("variant", variants_with("k8s"))
def test_kubernetes_manifests_pass_the_kubernetes_schemas(variant: str, baked: Bake) -> None:
    project = baked.require()
    files = k8s_files(baked.answers)
    assert sorted(p.name for p in (project / "k8s").iterdir()) == sorted(files)
    done = tool("kubernetes-validate", "--strict", *(f"k8s/{n}" for n in files), cwd=project)
    assert done.returncode == 0, done.stdout + done.stderr


def test_kubernetes_validate_refuses_a_broken_manifest(tmp_path: Path) -> None:
    (tmp_path / "d.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n"
        "spec: {replicas: two, selector: {}, template: {}}\n",
        "utf-8",
    )
    assert tool("kubernetes-validate", "--strict", "d.yaml", cwd=tmp_path).returncode != 0


def memory_mib(quantity: str) -> float:
    units = {"Mi": 1.0, "Gi": 1024.0}
    return float(quantity[:-2]) * units[quantity[-2:]]


def settings_fields(project: Path) -> set[str]:
    """The environment variables the app's settings classes read: `Settings`, and each
    extension's own in `app/<name>/config.py` (field names upper-cased after the class's
    `env_prefix`, and the upper-case names a field's `validation_alias` lists)."""
    fields: set[str] = set()
    for path in sorted(project.glob("app/*/config.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            bases = {base.id for base in getattr(node, "bases", []) if isinstance(base, ast.Name)}
            if isinstance(node, ast.ClassDef) and "BaseSettings" in bases:
                fields |= class_settings(node)
    return fields


def class_settings(settings: ast.ClassDef) -> set[str]:
    """One settings class's variables: its fields after its env_prefix, and its aliases."""
    prefix = ""
    names: set[str] = set()
    for node in settings.body:
        if not isinstance(node, ast.Assign | ast.AnnAssign):
            continue
        value = node.value or ast.Constant(None)
        keywords = [k for k in ast.walk(value) if isinstance(k, ast.keyword)]
        target = node.targets[0] if isinstance(node, ast.Assign) else node.target
        if not isinstance(target, ast.Name):
            continue
        if target.id == "model_config":
            prefix = next(
                (
                    str(k.value.value)
                    for k in keywords
                    if k.arg == "env_prefix" and isinstance(k.value, ast.Constant)
                ),
                "",
            )
        elif isinstance(node, ast.AnnAssign):
            names.add(target.id.upper())
            names |= {
                "=" + constant.value  # marked: an alias takes no prefix
                for k in keywords
                if k.arg == "validation_alias"
                for constant in ast.walk(k.value)
                if isinstance(constant, ast.Constant)
                and isinstance(constant.value, str)
                and constant.value.isupper()
            }
    return {name[1:] if name.startswith("=") else prefix + name for name in names}


@pytest.mark.parametrize("variant", variants_with("k8s"))
def test_kubernetes_manifests_agree_with_each_other_and_the_app(variant: str, baked: Bake) -> None:
    project = baked.require()
    slug = baked.recorded_answers()["project_slug"]
    k8s = manifests(project, baked.answers)
    deployment, job = k8s["deployment"], k8s["migration-job"]
    pod = deployment["spec"]["template"]
    labels = pod["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert k8s["service"]["spec"]["selector"].items() <= labels.items()
    assert k8s["pdb"]["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert (
        not k8s["service"]["spec"]["selector"].items()
        <= job["spec"]["template"]["metadata"]["labels"].items()
    ), "the Service never sends traffic to the migration"
    target = k8s["hpa"]["spec"]["scaleTargetRef"]
    assert (target["kind"], target["name"]) == ("Deployment", deployment["metadata"]["name"])
    assert k8s["hpa"]["spec"]["minReplicas"] >= 2
    (api,) = pod["spec"]["containers"]
    (migrate,) = job["spec"]["template"]["spec"]["containers"]
    assert api["image"] == migrate["image"]
    assert migrate["command"] == ["alembic", "upgrade", "head"]
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"
    for container, spec in ((api, pod["spec"]), (migrate, job["spec"]["template"]["spec"])):
        assert spec["securityContext"]["runAsNonRoot"] is True
        assert spec["securityContext"]["runAsUser"] == 10001  # the Dockerfile's user
        assert container["securityContext"]["readOnlyRootFilesystem"] is True
        assert container["securityContext"]["allowPrivilegeEscalation"] is False
        assert container["securityContext"]["capabilities"]["drop"] == ["ALL"]
        refs = container["envFrom"]
        assert {"configMapRef": {"name": k8s["configmap"]["metadata"]["name"]}} in refs
        assert {"secretRef": {"name": slug}} in refs
        mounts = {m["mountPath"] for m in container["volumeMounts"]}
        assert "/tmp" in mounts
    assert "useradd --system --uid 10001" in text_of(project, "Dockerfile")
    ports = {p["name"]: p["containerPort"] for p in api["ports"]}
    assert ports == {"http": 8000}
    assert api["livenessProbe"]["httpGet"]["path"] == "/health/live"
    assert api["readinessProbe"]["httpGet"]["path"] == "/health/ready"
    resources = api["resources"]
    assert memory_mib(resources["requests"]["memory"]) >= IDLE_RSS_MIB
    assert memory_mib(resources["limits"]["memory"]) >= 300  # the flood's peak, served tests
    config = k8s["configmap"]["data"]
    assert set(config) <= settings_fields(project), "every ConfigMap key is a setting"
    assert config["ENVIRONMENT"] == "production"
    assert not {"SECRET_KEY", "DATABASE_URL"} & set(config), "secrets stay in the Secret"
    pool = int(config["DB_POOL_SIZE"]) + int(config["DB_MAX_OVERFLOW"])
    assert pool * k8s["hpa"]["spec"]["maxReplicas"] < 100, "under PostgreSQL's max_connections"
    for name in ("worker", "scheduler"):
        if name in k8s:
            check_job_process(k8s, name, api)


def check_job_process(k8s: dict[str, Any], name: str, api: dict[str, Any]) -> None:
    """A job worker's or the scheduler's Deployment: the API's image, settings and hardening,
    the command compose runs, and pods no Service, budget or autoscaler of the API's selects."""
    deployment = k8s[name]
    pod = deployment["spec"]["template"]
    labels = pod["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()
    for selector in (
        k8s["service"]["spec"]["selector"],
        k8s["pdb"]["spec"]["selector"]["matchLabels"],
        k8s["deployment"]["spec"]["selector"]["matchLabels"],
    ):
        assert not selector.items() <= labels.items(), f"the API's selector picks the {name}"
    (container,) = pod["spec"]["containers"]
    assert container["image"] == api["image"]
    assert container["command"][:2] == ["taskiq", name]
    assert container["envFrom"] == api["envFrom"]
    assert (
        pod["spec"]["securityContext"]
        == k8s["deployment"]["spec"]["template"]["spec"]["securityContext"]
    )
    assert container["securityContext"] == api["securityContext"]
    assert "ports" not in container
    if name == "scheduler":
        assert deployment["spec"]["replicas"] == 1, "one scheduler, or each job is sent twice"
        assert deployment["spec"]["strategy"] == {"type": "Recreate"}


@pytest.mark.parametrize("variant", variants_with("k8s"))
def test_pods_are_scraped_where_the_bake_has_metrics(variant: str, baked: Bake) -> None:
    """Annotation-based Prometheus discovery finds /metrics on the API's port, and only in a
    bake that serves it."""
    project = baked.require()
    pod = manifests(project, baked.answers)["deployment"]["spec"]["template"]
    annotations = pod["metadata"].get("annotations", {})
    if baked.answers["metrics"] == "no":
        assert not any(key.startswith("prometheus.io/") for key in annotations)
        return
    (api,) = pod["spec"]["containers"]
    assert annotations == {
        "prometheus.io/scrape": "true",
        "prometheus.io/port": str(api["ports"][0]["containerPort"]),
        "prometheus.io/path": "/metrics",
    }


def test_settings_fields_are_read_from_the_settings_class(bakery: Bakery) -> None:
    fields = settings_fields(bakery.get("postgresql").require())
    assert {"SECRET_KEY", "DATABASE_URL", "DB_POOL_SIZE", "PASSWORD_HASHING_CONCURRENCY"} <= fields


def test_settings_fields_of_an_extension_take_its_prefix(tmp_path: Path) -> None:
    (tmp_path / "app/core").mkdir(parents=True)
    (tmp_path / "app/core/config.py").write_text(
        "class Settings(BaseSettings):\n    log_level: str = 'INFO'\n", encoding="utf-8"
    )
    (tmp_path / "app/ai").mkdir()
    (tmp_path / "app/ai/config.py").write_text(
        "class AISettings(BaseSettings):\n"
        "    model_config = SettingsConfigDict(env_prefix='AI_', env_file='.env')\n"
        "    api_key: SecretStr = SecretStr('')\n"
        "    storage: str = Field(validation_alias=AliasChoices('storage', 'STORAGE_URL'))\n",
        encoding="utf-8",
    )
    assert settings_fields(tmp_path) == {"LOG_LEVEL", "AI_API_KEY", "AI_STORAGE", "STORAGE_URL"}


# --- license ---------------------------------------------------------------------------------

LICENSE_HEADINGS = {
    "MIT": "MIT License",
    "Apache-2.0": "Apache License",
    "BSD-3-Clause": "BSD 3-Clause License",
}


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_license_file_and_field_say_the_same(variant: str, baked: Bake) -> None:
    project = baked.require()
    chosen = baked.answers["license"]
    metadata = tomllib.loads(text_of(project, "pyproject.toml"))["project"]
    if chosen == "proprietary":
        assert not (project / "LICENSE").exists()
        assert metadata["license"] == "LicenseRef-Proprietary"
        assert "Private :: Do Not Upload" in metadata["classifiers"]
        assert "license-files" not in metadata
        return
    assert metadata["license"] == chosen
    assert metadata["license-files"] == ["LICENSE"]
    text = text_of(project, "LICENSE")
    assert text.lstrip().startswith(LICENSE_HEADINGS[chosen])
    if chosen != "Apache-2.0":  # Apache's text names no holder; its appendix says how
        assert baked.answers["author_name"] in text
        assert re.search(r"Copyright \(c\) 20\d\d", text)


# --- git init --------------------------------------------------------------------------------


def git(project: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=project, capture_output=True, text=True, check=True)
    return done.stdout


@pytest.mark.parametrize("variant", variants_where("git_init", "yes"))
def test_git_init_commits_the_bake_once_without_secrets(variant: str, baked: Bake) -> None:
    project = baked.require()
    assert git(project, "rev-parse", "--show-toplevel").strip() == str(project)
    assert git(project, "log", "--format=%s").splitlines() == [post_gen.FIRST_COMMIT_MESSAGE]
    tracked = set(git(project, "ls-files").splitlines())
    assert ".env" not in tracked
    assert {"README.md", "pyproject.toml", ANSWERS_FILE} <= tracked
    assert git(project, "status", "--porcelain", "--untracked-files=all") == ""


@pytest.mark.parametrize("variant", variants_where("git_init", "no"))
def test_no_git_init_makes_no_repository(variant: str, baked: Bake) -> None:
    assert not (baked.require() / ".git").exists()


def test_a_bake_with_git_missing_succeeds_and_says_what_to_do(
    tmp_path: Path,
    cookiecutter_config: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    project = bake(tmp_path / "out", cookiecutter_config, {"git_init": "yes"})
    assert (project / "pyproject.toml").is_file()
    assert not (project / ".git").exists()
    err = capfd.readouterr().err
    assert "git is not installed" in err
    assert "git init && git add --all && git commit" in err


# --- refused combinations --------------------------------------------------------------------


@pytest.mark.parametrize("conflict", pre_gen.CONFLICTS, ids=lambda c: "+".join(c.when))
def test_a_refused_combination_bakes_nothing(
    conflict: pre_gen.Conflict, tmp_path: Path, cookiecutter_config: Path
) -> None:
    output = tmp_path / "out"
    with pytest.raises(FailedHookException) as refused:
        bake(output, cookiecutter_config, dict(conflict.when))
    assert conflict.message() in str(refused.value)
    assert not output.exists() or list(output.iterdir()) == []


# --- the matrix ------------------------------------------------------------------------------


def test_the_matrix_holds_every_allowed_pair_and_no_refused_bake() -> None:
    rows = [{k: DEFAULTS[k] for k in CHOICES}, *MATRIX.values()]
    assert uncovered_pairs(rows, CHOICES) == []
    assert [row for row in rows if pre_gen.conflicts(row)] == []
    for option, values in CHOICES.items():
        assert {row[option] for row in rows} == set(values), option


def test_the_matrix_spans_every_option_with_choices() -> None:
    """A new option joins by its values in cookiecutter.json: every matrix row answers it."""
    for row in MATRIX.values():
        assert list(row) == list(CHOICES)
