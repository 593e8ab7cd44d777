"""The command line: flags into a Config, and the run from bake to report, with its exit
status and its clean-up (also on failure, Ctrl-C or SIGTERM).

Exit status: 0 when every load ran without an error response, 1 when wrk reported a non-2xx
response or a socket error (or a server died under load), 2 when the setup failed, 3 when the
baked test suite failed, 130 when interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import shutil
import signal
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

from bench import database
from bench.bake import bake, install, login, migrate
from bench.config import (
    APPS,
    BENCH_DIR,
    FLOOR_MODULE,
    REFERENCE_MODULE,
    REPO_ROOT,
    Config,
    SetupError,
)
from bench.console import log
from bench.instructions import count_instructions
from bench.measure import LoadErrors, compare_bodies, measure_app
from bench.processes import base_python, child_env, package_version
from bench.procfs import wait_until_quiet
from bench.profiling import profile_baked
from bench.report import Extras, report
from bench.servers import AppSpec, Servers
from bench.suite import run_suite

T = TypeVar("T")


class Interrupted(BaseException):
    """SIGTERM, treated like Ctrl-C: clean up and leave."""


def parse_args(argv: Sequence[str] | None = None) -> Config:
    parser = argparse.ArgumentParser(
        description="Benchmark the baked default project against a framework-free reference.",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a smoke run: 1 round, short loads, one suite run (about 2 min)",
    )
    parser.add_argument("--rounds", type=int, help="interleaved rounds (default 3; quick 1)")
    parser.add_argument(
        "--duration",
        type=float,
        help="seconds per list/liveness load at 64 connections (default 10)",
    )
    parser.add_argument(
        "--sweep-duration", type=float, help="seconds per load of the connection sweep (default 5)"
    )
    parser.add_argument("--warmup", type=float, help="seconds of warm-up load per start (2)")
    parser.add_argument(
        "--sweep",
        default="1,16,64,256",
        help="connection counts for the throughput sweep (default 1,16,64,256)",
    )
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument(
        "--wrk-timeout",
        type=float,
        default=10.0,
        help="seconds before wrk counts a response as a timeout error (default 10; wrk's own is 2)",
    )
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="before each app's round, wait up to this long for other processes to use less "
        "than 0.3 cores (default 0: do not wait)",
    )
    parser.add_argument("--items", type=int, default=10_000, help="items to seed (10000)")
    parser.add_argument(
        "--suite-runs",
        type=int,
        help="runs of the baked suite, median reported (default 3; quick 1)",
    )
    parser.add_argument("--skip-suite", action="store_true", help="do not run the baked suite")
    parser.add_argument(
        "--template-suite",
        action="store_true",
        help="also time `uv run pytest` at the repo root (takes minutes)",
    )
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="DIR",
        help="after measuring, py-spy the baked app under list@64 load and "
        "write the stacks and a hotspot summary to DIR",
    )
    parser.add_argument(
        "--profile-seconds",
        type=float,
        default=10.0,
        help="seconds of py-spy sampling (default 10)",
    )
    parser.add_argument(
        "--instructions",
        type=int,
        nargs="?",
        const=100,
        default=0,
        metavar="N",
        help="also count the CPU instructions of one request under valgrind's callgrind, "
        "in-process, for every app (N requests per path, default 100; takes 10-15 minutes)",
    )
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the results here")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the bake, logs and database (their names are printed)",
    )
    args = parser.parse_args(argv)

    def pick(value: T | None, full: T, quick: T) -> T:
        return value if value is not None else (quick if args.quick else full)

    sweep = [int(part) for part in args.sweep.split(",") if part.strip()]
    config = Config(
        rounds=pick(args.rounds, 3, 1),
        duration=pick(args.duration, 10.0, 3.0),
        sweep_duration=pick(args.sweep_duration, 5.0, 2.0),
        warmup=pick(args.warmup, 2.0, 1.0),
        sweep=sweep,
        threads=args.threads,
        wrk_timeout=args.wrk_timeout,
        wait_quiet=args.wait_quiet,
        items=args.items,
        suite_runs=0 if args.skip_suite else pick(args.suite_runs, 3, 1),
        template_suite=args.template_suite,
        keep=args.keep,
        json_path=args.json,
        profile_dir=args.profile.resolve() if args.profile else None,
        profile_seconds=args.profile_seconds,
        instructions=args.instructions,
    )
    if config.rounds < 1 or any(c < 1 for c in sweep):
        parser.error("--rounds and --sweep values must be positive")
    return config


def preflight(config: Config) -> None:
    tools = ["wrk", "uv"] + (["valgrind"] if config.instructions else [])
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing:
        raise SetupError(
            f"missing on PATH: {', '.join(missing)} (wrk, valgrind: `apt-get install -y wrk "
            "valgrind`; uv: `pip install uv`)"
        )
    database.check_server()


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    def handler(signum: int, frame: object) -> None:
        raise Interrupted

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: Sequence[str] | None = None) -> int:
    config = parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="template-bench-"))
    servers = Servers()
    errors = LoadErrors()
    cleanups: list[Callable[[], None]] = []
    try:
        with sigterm_as_interrupt():
            return _run(config, tmp, servers, errors, cleanups)
    except SetupError as exc:
        log(f"setup failed: {exc}")
        return 2
    except (KeyboardInterrupt, Interrupted):
        log("interrupted; cleaning up")
        return 130
    finally:
        with contextlib.suppress(BaseException):
            servers.stop_all()
        for cleanup in reversed(cleanups):
            try:
                cleanup()
            except Exception as exc:  # cleanup goes on whatever one step did
                log(f"cleanup step failed: {exc}")
        if config.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def _run(
    config: Config,
    tmp: Path,
    servers: Servers,
    errors: LoadErrors,
    cleanups: list[Callable[[], None]],
) -> int:
    preflight(config)
    wall_started = time.perf_counter()
    extras: Extras = {}

    log(f"baking {REPO_ROOT} into {tmp}")
    extras["bake_s"], project = bake(tmp)
    slug = project.name
    log(f"installing {slug} with uv sync (python {base_python()})")
    extras["sync_s"] = install(project)
    venv_bin = project / ".venv" / "bin"

    db_name = f"bench_{slug.replace('-', '_')}_{uuid.uuid4().hex[:10]}"
    server_version = database.create_database(db_name)
    if config.keep:
        log(f"created database {db_name} (kept: --keep)")
    else:
        cleanups.append(lambda: database.drop_databases(db_name))
        log(f"created database {db_name}")

    secret = secrets.token_urlsafe(48)  # 64 characters
    app_env = child_env(
        {
            "DATABASE_URL": database.sqlalchemy_url(db_name),
            "ENVIRONMENT": "production",
            "SECRET_KEY": secret,
            "LOG_LEVEL": "WARNING",
            "ACCESS_TOKEN_EXPIRE_MINUTES": "120",
            "PYTHONUNBUFFERED": "1",
        }
    )
    extras["migrate_s"] = migrate(project, app_env)

    baked = AppSpec(
        "baked",
        venv_bin / "uvicorn",
        "app.main:create_app",
        project,
        app_env,
        http="app.server:GuardedHttpToolsProtocol",
    )

    def bench_app(name: str, module: str) -> AppSpec:
        """An app of this directory, run from the benchmark's venv."""
        return AppSpec(
            name,
            Path(sys.executable).parent / "uvicorn",
            f"{module}:create_app",
            BENCH_DIR,
            {**app_env, "JWT_ISSUER": slug},
            extra_args=["--app-dir", str(BENCH_DIR)],
        )

    reference = bench_app("reference", REFERENCE_MODULE)
    floor = bench_app("fastapi", FLOOR_MODULE)
    specs = {"baked": baked, "fastapi": floor, "reference": reference}

    log("registering the benchmark user through the baked API")
    setup_server = servers.start(baked)
    try:
        email = f"bench-{uuid.uuid4().hex[:8]}@example.com"
        token = login(setup_server.port, email, secrets.token_urlsafe(24))
    finally:
        servers.stop(setup_server)
    log(f"seeding {config.items} items")
    database.seed_items(db_name, email, config.items)

    baked_python = venv_bin / "python"
    extras["versions"] = (
        f"python {sys.version.split()[0]}; uvicorn {package_version(baked_python, 'uvicorn')}"
        f" (bake) / {package_version(Path(sys.executable), 'uvicorn')} (fastapi, reference); "
        f"fastapi {package_version(baked_python, 'fastapi')} (bake) / "
        f"{package_version(Path(sys.executable), 'fastapi')} (fastapi); sqlalchemy "
        f"{package_version(baked_python, 'sqlalchemy')}; PostgreSQL {server_version}; "
        f"{os.cpu_count()} CPUs"
    )

    results: dict[str, list[dict[str, float]]] = {app: [] for app in APPS}
    bodies: dict[str, bytes] = {}
    for round_number in range(1, config.rounds + 1):
        for app in APPS:
            if config.wait_quiet > 0:
                started = time.perf_counter()
                busy = wait_until_quiet(config.wait_quiet)
                log(f"waited {time.perf_counter() - started:.0f} s; others use {busy:.2f} cores")
            log(f"round {round_number}/{config.rounds}: {app}")
            figures, body = measure_app(servers, specs[app], config, token, errors)
            results[app].append(figures)
            bodies.setdefault(app, body)
            log(
                f"  list@64 {figures['list_rps']:.0f} req/s, live@64 {figures['live_rps']:.0f} "
                f"req/s, start {figures['start_s']:.3f} s, idle {figures['idle_rss_mb']:.1f} MB, "
                f"others' CPU up to {figures['foreign_cores']:.2f} cores"
            )
        if round_number == 1:
            for app in ("fastapi", "reference"):
                difference = compare_bodies(bodies["baked"], bodies[app])
                if difference is not None:
                    raise SetupError(
                        f"the {app} app answers a different page than the bake: {difference}"
                    )
            log("all apps answer the same JSON page")

    if config.suite_runs:
        log(f"running the baked suite {config.suite_runs} time(s)")
        extras["suite"] = run_suite(
            ["uv", "run", "pytest", "-q", "-p", "no:cacheprovider"],
            project,
            child_env({"DATABASE_URL": database.sqlalchemy_url(db_name)}),
            config.suite_runs,
            timeout=600,
        )
    if config.template_suite:
        log("running the template suite (uv run pytest at the repo root)")
        extras["template_suite"] = run_suite(
            ["uv", "run", "pytest", "-p", "no:cacheprovider"],
            REPO_ROOT,
            child_env(),
            1,
            timeout=3600,
        )
    if config.instructions:
        log(f"counting instructions per request with callgrind ({config.instructions} requests)")
        extras["instructions"] = {
            app: count_instructions(specs[app], token, config.instructions) for app in APPS
        }
    profile_summary = None
    if config.profile_dir is not None:
        log(f"profiling the baked app under list@64 for {config.profile_seconds:g} s")
        profile_summary = profile_baked(servers, baked, config, token)

    text, data = report(config, results, extras, errors)
    print(text)
    if profile_summary:
        print()
        print(profile_summary)
    print(f"\ntotal benchmark wall time: {time.perf_counter() - wall_started:.0f} s")
    if config.json_path is not None:
        config.json_path.write_text(json.dumps(data, indent=2, default=str) + "\n")
    if config.keep:
        log(f"kept database {db_name} and bake {project}")
    if errors.lines:
        return 1
    suite = extras.get("suite")
    if suite and suite["failures"]:
        return 3
    return 0
