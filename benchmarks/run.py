#!/usr/bin/env python3
"""Benchmark the baked default project against a framework-free reference app.

    uv run --project benchmarks benchmarks/run.py [--quick] [flags]

(`python3 benchmarks/run.py` works too: without its dependencies it re-runs itself through
`uv run --project benchmarks`.) See benchmarks/README.md for what each figure means.

What it does, in order, all on loopback and in bounded time:
  1. bakes the default project with cookiecutter into a temporary directory, installs it with
     `uv sync` on this interpreter, creates a uniquely named PostgreSQL database and runs
     `alembic upgrade head` in the bake;
  2. registers one user through the baked API, logs in for an access token, and seeds that
     user's items with one `INSERT ... SELECT generate_series`;
  3. for each round, starts the baked app, the framework floor (benchmarks/fastapi_floor_app.py:
     the reference's endpoints in a bare FastAPI app) and the reference app
     (benchmarks/reference_app.py) with the same uvicorn settings, one at a time, and measures
     start-up, RSS and wrk load;
  4. with --instructions, counts the instructions of one request in each app under callgrind
     (benchmarks/asgi_driver.py); runs the baked project's own test suite (and, with
     --template-suite, the template's);
  5. prints the medians with baked/reference and fastapi/reference ratios and the issue's
     targets;
  6. stops everything, drops the database and removes the temporary files, also on failure
     or Ctrl-C.

Exit status: 0 when every load ran without an error response, 1 when wrk reported a non-2xx
response or a socket error (or a server died under load), 2 when the setup failed, 3 when the
baked test suite failed.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
REFERENCE_MODULE = "reference_app"
FLOOR_MODULE = "fastapi_floor_app"


def _bootstrap() -> None:
    """Re-run under `uv run --project benchmarks` when the benchmark's dependencies are missing."""
    try:
        import asyncpg  # noqa: F401
        import cookiecutter  # noqa: F401
        import jwt  # noqa: F401
        import orjson  # noqa: F401
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        if os.environ.get("BENCH_BOOTSTRAPPED"):
            raise
        uv = shutil.which("uv")
        if uv is None:
            sys.exit("run.py needs its dependencies: install uv (`pip install uv`) and retry.")
        env = {**os.environ, "BENCH_BOOTSTRAPPED": "1"}
        command = [uv, "run", "--project", str(BENCH_DIR), "python", __file__, *sys.argv[1:]]
        os.execvpe(uv, command, env)


if __name__ == "__main__":
    _bootstrap()

# ruff: noqa: E402 - the imports below need the dependencies that _bootstrap provides.
import argparse
import asyncio
import contextlib
import http.client
import json
import re
import resource
import secrets
import signal
import socket
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import asyncpg

PG_HOST = "127.0.0.1"
PG_PORT = 5432
PG_USER = "postgres"
LIST_PATH = "/api/v1/items?limit=20"
LIVE_PATH = "/health/live"
# Measured in this order in every round; "fastapi" is the framework floor (fastapi_floor_app.py).
APPS = ("baked", "fastapi", "reference")


class SetupError(Exception):
    """The benchmark could not get to the point of measuring."""


class Interrupted(BaseException):
    """SIGTERM, treated like Ctrl-C: clean up and leave."""


# --------------------------------------------------------------------------------------------
# Small helpers


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for child processes, without this benchmark's own venv in the way."""
    dropped = {
        "VIRTUAL_ENV",
        "UV_PROJECT_ENVIRONMENT",
        "PYTHONHOME",
        "BENCH_BOOTSTRAPPED",
        # As in the Dockerfile: bytecode is compiled once, not on every start.
        "PYTHONDONTWRITEBYTECODE",
    }
    env = {key: value for key, value in os.environ.items() if key not in dropped}
    env["UV_COMPILE_BYTECODE"] = "1"
    env.update(extra or {})
    return env


def run_command(
    command: Sequence[str],
    *,
    cwd: Path,
    env: dict[str, str],
    timeout: float,
    what: str,
) -> tuple[float, subprocess.CompletedProcess[str]]:
    """Run a command to completion; returns its wall time. Raises SetupError on failure."""
    started = time.perf_counter()
    try:
        result = subprocess.run(
            list(command),
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise SetupError(f"{what} took longer than {timeout:.0f} s") from exc
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-30:])
        raise SetupError(f"{what} failed (exit {result.returncode}):\n{tail}")
    return elapsed, result


def http_request(
    port: int,
    method: str,
    path: str,
    *,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 10.0,
) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


# --------------------------------------------------------------------------------------------
# PostgreSQL


def pg_dsn(database: str) -> str:
    return f"postgresql://{PG_USER}@{PG_HOST}:{PG_PORT}/{database}"


def sqlalchemy_url(database: str) -> str:
    return f"postgresql+asyncpg://{PG_USER}@{PG_HOST}:{PG_PORT}/{database}"


async def _admin(statements: Sequence[str]) -> list[Any]:
    connection = await asyncpg.connect(pg_dsn("postgres"), timeout=10)
    try:
        return [await connection.fetch(statement) for statement in statements]
    finally:
        await connection.close()


def create_database(name: str) -> str:
    rows = asyncio.run(_admin([f'CREATE DATABASE "{name}"', "SHOW server_version"]))
    return str(rows[1][0][0])


def drop_databases(name: str) -> None:
    """Drop the benchmark's database and any the baked suite left beside it."""

    async def drop() -> None:
        connection = await asyncpg.connect(pg_dsn("postgres"), timeout=10)
        try:
            rows = await connection.fetch(
                "SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2",
                name,
                name.replace("_", r"\_") + r"\_test\_%",
            )
            for row in rows:
                await connection.execute(f'DROP DATABASE IF EXISTS "{row[0]}" WITH (FORCE)')
        finally:
            await connection.close()

    asyncio.run(drop())


def seed_items(database: str, email: str, count: int) -> str:
    """Insert `count` items for the user with `email`, distinct created_at; returns the user id."""

    async def seed() -> str:
        connection = await asyncpg.connect(pg_dsn(database), timeout=10)
        try:
            owner = await connection.fetchval("SELECT id FROM user_account WHERE email = $1", email)
            if owner is None:
                raise SetupError(f"the registered user {email} is not in the database")
            await connection.execute(
                """
                INSERT INTO item (id, owner_id, title, description, tags, created_at, updated_at)
                SELECT gen_random_uuid(), $1, 'Item ' || g,
                       'Benchmark item number ' || g || ', seeded for the list endpoint.',
                       ARRAY['tag-' || (g % 10), 'bench']::varchar(50)[],
                       now() - g * interval '1 second', now() - g * interval '1 second'
                FROM generate_series(1, $2::int) AS g
                """,
                owner,
                count,
            )
            # Planner statistics for the fresh rows, as autovacuum would soon provide.
            await connection.execute("VACUUM ANALYZE item")
            await connection.execute("VACUUM ANALYZE user_account")
            return str(owner)
        finally:
            await connection.close()

    return asyncio.run(seed())


# --------------------------------------------------------------------------------------------
# Processes, RSS


def descendants(pid: int) -> list[int]:
    """pid and every process below it, from /proc."""
    children: dict[int, list[int]] = defaultdict(list)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name may hold spaces and parentheses: the fields start after the last ')'.
        fields = stat[stat.rfind(")") + 2 :].split()
        children[int(fields[1])].append(int(entry.name))
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(children.get(current, []))
    return found


def rss_kib(pid: int) -> int:
    """VmRSS of pid and its descendants, in KiB."""
    total = 0
    for process in descendants(pid):
        try:
            for line in Path(f"/proc/{process}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
                    break
        except OSError:
            continue
    return total


class RssSampler:
    """Samples the RSS of a process tree in a thread; `peak_kib` is the maximum seen."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        self.pid = pid
        self.interval = interval
        self.peak_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_kib = max(self.peak_kib, rss_kib(self.pid))
            self._stop.wait(self.interval)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak_kib = max(self.peak_kib, rss_kib(self.pid))


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU time used so far by pid and its descendants."""
    ticks = 0
    for process in descendants(pid):
        try:
            stat = Path(f"/proc/{process}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / CLOCK_TICKS


def machine_busy_seconds() -> float:
    """CPU time all processes on the machine have used (all cores), from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = values[:8]
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS


@dataclass
class CpuWindow:
    """CPU use over one load: the server's, and everyone else's beside the server and wrk."""

    wall: float
    server: float
    foreign: float


@contextlib.contextmanager
def cpu_window(pid: int) -> Iterator[list[CpuWindow]]:
    box: list[CpuWindow] = []
    started = time.perf_counter()
    busy, server = machine_busy_seconds(), tree_cpu_seconds(pid)
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)  # wrk, once it has been waited for
    yield box
    own_after = resource.getrusage(resource.RUSAGE_SELF)
    kids_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_used = tree_cpu_seconds(pid) - server
    ours = (own_after.ru_utime + own_after.ru_stime - own.ru_utime - own.ru_stime) + (
        kids_after.ru_utime + kids_after.ru_stime - kids.ru_utime - kids.ru_stime
    )
    foreign = machine_busy_seconds() - busy - server_used - ours
    box.append(CpuWindow(time.perf_counter() - started, server_used, max(0.0, foreign)))


class OutputCapture:
    """Reads a server's stdout+stderr in a thread: counts the bytes, keeps the last 64 KiB.

    A pipe rather than a file: a server that logs on every request would otherwise fill the disk
    during a long run, and the byte count itself is a figure worth reporting.
    """

    TAIL_BYTES = 64 * 1024

    def __init__(self, stream: Any) -> None:
        self.total_bytes = 0
        self._tail = bytearray()
        self._fd = stream.fileno()
        self._stream = stream
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            try:
                chunk = os.read(self._fd, 1 << 16)
            except OSError:
                break
            if not chunk:
                break
            self.total_bytes += len(chunk)
            self._tail += chunk
            if len(self._tail) > 2 * self.TAIL_BYTES:
                del self._tail[: -self.TAIL_BYTES]
        self._stream.close()

    def join(self, timeout: float = 5.0) -> None:
        self._thread.join(timeout)

    def tail(self, lines: int = 30) -> str:
        text = bytes(self._tail[-self.TAIL_BYTES :]).decode(errors="replace")
        return "\n".join(text.splitlines()[-lines:])


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    port: int
    output: OutputCapture
    start_seconds: float = float("nan")

    def alive(self) -> bool:
        return self.process.poll() is None

    def log_tail(self, lines: int = 30) -> str:
        return self.output.tail(lines)


@dataclass
class AppSpec:
    """How to start one of the two apps."""

    name: str
    uvicorn: Path
    target: str
    cwd: Path
    env: dict[str, str]
    extra_args: list[str] = field(default_factory=list)


class Servers:
    """Starts servers and remembers them, so that cleanup can stop whatever still runs."""

    def __init__(self) -> None:
        self.running: list[Server] = []

    def start(self, spec: AppSpec, *, timeout: float = 60.0) -> Server:
        port = free_port()
        command = [
            str(spec.uvicorn),
            spec.target,
            "--factory",
            *spec.extra_args,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-access-log",
            "--workers",
            "1",
            "--loop",
            "uvloop",
            "--http",
            "httptools",
        ]
        started = time.perf_counter()
        process = subprocess.Popen(
            command,
            cwd=spec.cwd,
            env=spec.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            # Its own session: a Ctrl-C reaches this script, which stops the server itself.
            start_new_session=True,
        )
        server = Server(spec.name, process, port, OutputCapture(process.stdout))
        self.running.append(server)
        deadline = started + timeout
        while True:
            if not server.alive():
                raise SetupError(
                    f"{spec.name} app exited during start-up (exit {process.returncode}):\n"
                    + server.log_tail()
                )
            try:
                status, _ = http_request(port, "GET", LIVE_PATH, timeout=1.0)
                if status == 200:
                    server.start_seconds = time.perf_counter() - started
                    return server
            except OSError:
                pass
            if time.perf_counter() > deadline:
                raise SetupError(f"{spec.name} app did not answer 200 within {timeout:.0f} s")
            time.sleep(0.005)

    def stop(self, server: Server) -> None:
        if server.alive():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.process.pid, signal.SIGTERM)
            try:
                server.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(server.process.pid, signal.SIGKILL)
                server.process.wait(timeout=5)
        server.output.join()
        if server in self.running:
            self.running.remove(server)

    def stop_all(self) -> None:
        for server in list(self.running):
            self.stop(server)


# --------------------------------------------------------------------------------------------
# wrk

_TIME_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3, "h": 3600e3}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text)
    if match is None:
        raise ValueError(f"unexpected wrk latency {text!r}")
    return float(match.group(1)) * _TIME_UNITS[match.group(2)]


@dataclass
class WrkResult:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx: int
    socket_errors: dict[str, int]
    raw: str

    @property
    def errors(self) -> int:
        return self.non_2xx + sum(self.socket_errors.values())

    def describe_errors(self) -> str:
        sockets = ", ".join(f"{kind} {n}" for kind, n in self.socket_errors.items() if n)
        return f"{self.non_2xx} non-2xx, socket errors: {sockets or 'none'}"


def parse_wrk(output: str) -> WrkResult:
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    requests = re.search(r"^\s*(\d+) requests in", output, re.MULTILINE)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE)
    if rps is None or requests is None:
        raise ValueError(f"cannot read wrk output:\n{output}")
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return WrkResult(
        rps=float(rps.group(1)),
        p50_ms=_ms(p50.group(1)) if p50 else float("nan"),
        p99_ms=_ms(p99.group(1)) if p99 else float("nan"),
        requests=int(requests.group(1)),
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=dict(
            zip(
                ("connect", "read", "write", "timeout"),
                (int(n) for n in sockets.groups()) if sockets else (0, 0, 0, 0),
                strict=True,
            )
        ),
        raw=output,
    )


def wrk_command(
    port: int,
    path: str,
    *,
    connections: int,
    threads: int,
    seconds: float,
    token: str | None,
    timeout: float,
) -> list[str]:
    command = [
        "wrk",
        f"-t{max(1, min(threads, connections))}",  # wrk wants connections >= threads
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        f"--timeout={timeout:g}s",
        "--latency",
    ]
    if token is not None:
        command += ["-H", f"Authorization: Bearer {token}"]
    command.append(f"http://127.0.0.1:{port}{path}")
    return command


def run_wrk(
    port: int,
    path: str,
    *,
    connections: int,
    threads: int,
    seconds: float,
    token: str | None,
    timeout: float,
) -> WrkResult:
    command = wrk_command(
        port,
        path,
        connections=connections,
        threads=threads,
        seconds=seconds,
        token=token,
        timeout=timeout,
    )
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    if result.returncode != 0:
        raise SetupError(f"wrk failed (exit {result.returncode}): {result.stderr.strip()}")
    return parse_wrk(result.stdout)


# --------------------------------------------------------------------------------------------
# Measurements


@dataclass
class Config:
    rounds: int
    duration: float
    sweep_duration: float
    warmup: float
    sweep: list[int]
    threads: int
    wrk_timeout: float
    wait_quiet: float
    items: int
    suite_runs: int
    template_suite: bool
    keep: bool
    json_path: Path | None
    profile_dir: Path | None
    profile_seconds: float
    instructions: int


@dataclass
class LoadErrors:
    lines: list[str] = field(default_factory=list)

    def check(self, app: str, label: str, result: WrkResult) -> None:
        if result.errors or result.requests == 0:
            self.lines.append(
                f"{app} {label}: {result.describe_errors()}, {result.requests} requests"
            )


def wait_until_quiet(limit_seconds: float, threshold_cores: float = 0.3) -> float:
    """Wait (at most limit_seconds) for the machine's other CPU use to fall below the threshold.

    Called while no benchmark server runs, so all busy CPU belongs to someone else. Returns the
    cores the last one-second window saw in use.
    """
    deadline = time.perf_counter() + limit_seconds
    while True:
        before, started = machine_busy_seconds(), time.perf_counter()
        time.sleep(1.0)
        busy = (machine_busy_seconds() - before) / (time.perf_counter() - started)
        if busy < threshold_cores or time.perf_counter() >= deadline:
            return busy


def measure_app(
    servers: Servers, spec: AppSpec, config: Config, token: str, errors: LoadErrors
) -> tuple[dict[str, float], bytes]:
    """One round for one app: start-up, idle RSS, then the loads. Returns figures and a body."""
    figures: dict[str, float] = {}
    foreign: list[float] = []
    server = servers.start(spec)
    try:
        figures["start_s"] = server.start_seconds
        time.sleep(0.5)  # let start-up settle: the idle RSS is read before any other request
        figures["idle_rss_mb"] = rss_kib(server.process.pid) / 1024
        status, body = http_request(
            server.port, "GET", LIST_PATH, headers={"Authorization": f"Bearer {token}"}
        )
        if status != 200:
            raise SetupError(f"{spec.name} list answered {status}: {body[:500]!r}")

        def load(
            label: str, path: str, connections: int, seconds: float, auth: bool
        ) -> tuple[WrkResult, CpuWindow]:
            with cpu_window(server.process.pid) as box:
                result = run_wrk(
                    server.port,
                    path,
                    connections=connections,
                    threads=config.threads,
                    seconds=seconds,
                    token=token if auth else None,
                    timeout=config.wrk_timeout,
                )
            window = box[0]
            foreign.append(window.foreign / window.wall)
            errors.check(spec.name, label, result)
            if not server.alive():
                errors.lines.append(f"{spec.name} died during {label}:\n{server.log_tail()}")
                raise SetupError(f"{spec.name} app died under load")
            return result, window

        output_before = server.output.total_bytes
        with RssSampler(server.process.pid) as sampler:
            if config.warmup > 0:
                load("warm-up", LIST_PATH, 64, config.warmup, auth=True)
            listing, list_cpu = load("list@64", LIST_PATH, 64, config.duration, auth=True)
            live, live_cpu = load("live@64", LIVE_PATH, 64, config.duration, auth=False)
            for connections in config.sweep:
                swept, _ = load(
                    f"list@{connections}", LIST_PATH, connections, config.sweep_duration, True
                )
                figures[f"sweep_{connections}_rps"] = swept.rps
        figures["loaded_rss_mb"] = sampler.peak_kib / 1024
        figures["list_rps"] = listing.rps
        figures["list_p50_ms"] = listing.p50_ms
        figures["list_p99_ms"] = listing.p99_ms
        figures["list_cpu_ms"] = 1000 * list_cpu.server / max(1, listing.requests)
        figures["live_rps"] = live.rps
        figures["live_p50_ms"] = live.p50_ms
        figures["live_p99_ms"] = live.p99_ms
        figures["live_cpu_ms"] = 1000 * live_cpu.server / max(1, live.requests)
        sweep = [figures[f"sweep_{c}_rps"] for c in config.sweep]
        if sweep:
            figures["sweep_last_share"] = sweep[-1] / max(sweep)
        figures["output_mb"] = (server.output.total_bytes - output_before) / 1e6
        figures["foreign_cores"] = max(foreign) if foreign else 0.0
        return figures, body
    finally:
        servers.stop(server)


def compare_bodies(baked: bytes, reference: bytes) -> str | None:
    """None when both apps answered the same page; otherwise what differs."""
    left, right = json.loads(baked), json.loads(reference)
    if left == right:
        return None
    for key in ("total", "limit", "offset"):
        if left.get(key) != right.get(key):
            return f"{key}: baked {left.get(key)!r}, reference {right.get(key)!r}"
    for index, (one, two) in enumerate(
        zip(left.get("items", []), right.get("items", []), strict=False)
    ):
        if one != two:
            return f"items[{index}]: baked {one!r}, reference {two!r}"
    return "the item lists differ in length or keys"


def parse_pytest_counts(output: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for line in reversed(output.strip().splitlines()):
        found = re.findall(
            r"(\d+) (passed|failed|errors?|skipped|deselected|xfailed|xpassed)", line
        )
        if found and ("passed" in line or "failed" in line or "error" in line):
            for number, word in found:
                counts["error" if word.startswith("error") else word] = int(number)
            break
    return counts


def run_suite(
    command: Sequence[str], cwd: Path, env: dict[str, str], runs: int, timeout: float
) -> dict[str, Any]:
    """Run a pytest suite `runs` times; wall times, counts and failures."""
    walls: list[float] = []
    counts: dict[str, int] = {}
    failures: list[str] = []
    for index in range(runs):
        started = time.perf_counter()
        try:
            result = subprocess.run(
                list(command),
                cwd=cwd,
                env=env,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            failures.append(f"run {index + 1}: timed out after {timeout:.0f} s")
            continue
        walls.append(time.perf_counter() - started)
        output = result.stdout + result.stderr
        counts = parse_pytest_counts(output)
        if result.returncode != 0:
            tail = "\n".join(output.strip().splitlines()[-25:])
            failures.append(f"run {index + 1}: exit {result.returncode}\n{tail}")
    return {"walls": walls, "counts": counts, "failures": failures}


# --------------------------------------------------------------------------------------------
# Profile (optional)


def frame_package(frame: str) -> str:
    """The package a py-spy frame "name (path)" belongs to: sqlalchemy, app, stdlib:logging..."""
    match = re.search(r"\(([^()]*)\)$", frame)
    path = match.group(1) if match else frame
    parts = path.split("/")
    if len(parts) == 1:
        return "stdlib:" + parts[0].removesuffix(".py")
    if parts[0] in {"asyncio", "logging", "json", "concurrent", "email", "importlib"}:
        return "stdlib:" + parts[0]
    return parts[0].removesuffix(".py")


WAITING_FRAMES = frozenset({"Condition.wait (threading.py)", "Queue.get (queue.py)"})


def summarise_collapsed(path: Path, top: int = 25) -> str:
    """Self and total sample shares per function, and self time per package, from py-spy's
    collapsed ("raw") output."""
    self_samples: dict[str, int] = defaultdict(int)
    total_samples: dict[str, int] = defaultdict(int)
    package_samples: dict[str, int] = defaultdict(int)
    all_samples = worker_samples = waiting_samples = 0
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        # One frame per function: "name (file.py:line)" -> "name (file.py)".
        frames = [re.sub(r":\d+\)$", ")", frame) for frame in stack.split(";")]
        if frames[-1] in WAITING_FRAMES:
            # A pool thread blocked on its queue: py-spy's non-blocking sampler sometimes counts
            # a thread that was just woken as active. Waiting is not work; leave it out.
            waiting_samples += count
            continue
        all_samples += count
        if "Thread._bootstrap" in frames[0]:
            worker_samples += count  # a thread-pool thread, not the event loop
        self_samples[frames[-1]] += count
        package_samples[frame_package(frames[-1])] += count
        for frame in set(frames):
            total_samples[frame] += count
    if not all_samples:
        return "no samples"

    def table(title: str, data: dict[str, int], rows: int) -> list[str]:
        lines = [title]
        for frame, count in sorted(data.items(), key=lambda kv: kv[1], reverse=True)[:rows]:
            lines.append(f"  {100 * count / all_samples:5.1f}%  {frame}")
        return lines

    lines = [
        f"{all_samples} samples on CPU (idle ones left out, and {waiting_samples} of pool "
        f"threads waiting for work); {100 * worker_samples / all_samples:.1f}% of them in "
        "thread-pool threads"
    ]
    lines += table("self time by package:", package_samples, 15)
    lines += table("self time (the function itself was on top of the stack):", self_samples, top)
    lines += table("total time (the function was anywhere on the stack):", total_samples, top * 2)
    return "\n".join(lines)


def profile_baked(servers: Servers, spec: AppSpec, config: Config, token: str) -> str:
    """py-spy the baked app while wrk loads the list, then the liveness endpoint."""
    assert config.profile_dir is not None
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(py_spy).exists():
        raise SetupError("py-spy is not installed; it is a dependency in benchmarks/pyproject.toml")
    config.profile_dir.mkdir(parents=True, exist_ok=True)
    seconds = config.profile_seconds
    summaries = []
    server = servers.start(spec)
    try:
        run_wrk(
            server.port,
            LIST_PATH,
            connections=64,
            threads=config.threads,
            seconds=2,
            token=token,
            timeout=config.wrk_timeout,
        )
        for label, path, auth in (("list64", LIST_PATH, True), ("live64", LIVE_PATH, False)):
            raw = config.profile_dir / f"baked-{label}.collapsed.txt"
            wrk = subprocess.Popen(
                wrk_command(
                    server.port,
                    path,
                    connections=64,
                    threads=config.threads,
                    seconds=seconds + 3,
                    token=token if auth else None,
                    timeout=config.wrk_timeout,
                ),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            try:
                time.sleep(1)
                spy = subprocess.run(
                    [
                        py_spy,
                        "record",
                        "--pid",
                        str(server.process.pid),
                        "--duration",
                        str(round(seconds)),
                        "--rate",
                        "200",
                        # Sampling without pausing the process: a paused server makes wrk time
                        # out, and the blocking mode also counts waiting pool threads as busy.
                        "--nonblocking",
                        "--format",
                        "raw",
                        "--output",
                        str(raw),
                    ],
                    capture_output=True,
                    text=True,
                    timeout=seconds + 60,
                    check=False,
                )
            finally:
                stdout, _ = wrk.communicate(timeout=seconds + 60)
            if spy.returncode != 0:
                raise SetupError(f"py-spy failed: {spy.stderr.strip()}")
            # Not gated: errors while profiling are the profiler's doing as much as the app's.
            result = parse_wrk(stdout)
            summary = (
                f"profile of the baked app, {label}: {result.rps:.0f} req/s while sampled "
                f"({result.describe_errors()}); raw stacks: {raw}\n" + summarise_collapsed(raw)
            )
            (config.profile_dir / f"baked-{label}.summary.txt").write_text(summary + "\n")
            summaries.append(summary)
        return "\n\n".join(summaries)
    finally:
        servers.stop(server)


INSTRUCTION_PATHS = {"list": LIST_PATH, "live": LIVE_PATH}
COLLECTED = re.compile(r"Collected\s*:\s*(\d+)")


def callgrind_instructions(spec: AppSpec, token: str, path: str, count: int) -> int:
    """Instructions the app's process executes for its start-up, 20 warm-up requests to each
    benchmarked path and `count` requests to `path`, called in-process by asgi_driver.py under
    callgrind."""
    warm_up = [other for other in INSTRUCTION_PATHS.values() if other != path]
    command = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        str(spec.uvicorn.parent / "python"),
        str(BENCH_DIR / "asgi_driver.py"),
        spec.target,
        str(count),
        path,
        *warm_up,
    ]
    # PYTHONMALLOC=malloc: valgrind follows the system allocator, not pymalloc's arenas.
    env = {**spec.env, "BENCH_TOKEN": token, "PYTHONMALLOC": "malloc"}
    process = subprocess.run(
        command,
        cwd=spec.cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    found = COLLECTED.findall(process.stderr)
    if process.returncode != 0 or not found:
        raise SetupError(
            f"callgrind run of {spec.name} {path} x{count} failed "
            f"(exit {process.returncode}):\n{process.stderr[-2000:]}"
        )
    return int(found[-1])


def count_instructions(spec: AppSpec, token: str, count: int) -> dict[str, float]:
    """Instructions per request for each path: the runs with `count` requests less the run
    with none, over `count`. Deterministic to about 1 %, whatever else the machine does."""
    base = callgrind_instructions(spec, token, LIVE_PATH, 0)
    figures: dict[str, float] = {}
    for name, path in INSTRUCTION_PATHS.items():
        total = callgrind_instructions(spec, token, path, count)
        figures[name] = (total - base) / count
    log(
        f"  {spec.name}: list {figures['list'] / 1e6:.2f} M, "
        f"liveness {figures['live'] / 1e6:.3f} M instructions per request"
    )
    return figures


# --------------------------------------------------------------------------------------------
# Report

ROWS: list[tuple[str, str, str]] = [
    # key, label, format
    ("list_rps", "list of 20 @64: req/s", "{:.0f}"),
    ("list_p50_ms", "list of 20 @64: p50 ms", "{:.2f}"),
    ("list_p99_ms", "list of 20 @64: p99 ms", "{:.2f}"),
    ("live_rps", "liveness @64: req/s", "{:.0f}"),
    ("live_p50_ms", "liveness @64: p50 ms", "{:.2f}"),
    ("live_p99_ms", "liveness @64: p99 ms", "{:.2f}"),
    ("list_cpu_ms", "list of 20 @64: server CPU ms/req", "{:.3f}"),
    ("live_cpu_ms", "liveness @64: server CPU ms/req", "{:.3f}"),
]
TAIL_ROWS: list[tuple[str, str, str]] = [
    ("sweep_last_share", "list: last/peak of sweep", "{:.2f}"),
    ("start_s", "start to first 200: s", "{:.3f}"),
    ("idle_rss_mb", "idle RSS: MB", "{:.1f}"),
    ("loaded_rss_mb", "loaded RSS (max): MB", "{:.1f}"),
    ("output_mb", "server stdout+stderr under load: MB", "{:.1f}"),
    ("foreign_cores", "other processes' CPU (max, cores)", "{:.2f}"),
]


def report(
    config: Config,
    results: dict[str, list[dict[str, float]]],
    extras: dict[str, Any],
    errors: LoadErrors,
) -> tuple[str, dict[str, Any]]:
    rows = list(ROWS)
    rows += [
        (f"sweep_{c}_rps", f"list @{c}: req/s ({config.sweep_duration:g} s)", "{:.0f}")
        for c in config.sweep
    ]
    rows += TAIL_ROWS
    medians: dict[str, dict[str, float]] = {app: {} for app in APPS}
    width = 36 + 5 * 11 + 2 * 18 + 3
    lines = [
        "",
        f"Medians over {len(results['baked'])} interleaved round(s) (baked, fastapi, reference, "
        f"baked, ...); wrk -t{config.threads}, {config.duration:g} s at 64 connections, "
        f"{config.items} items, one uvicorn worker with uvloop + httptools.",
        "fastapi: the reference's endpoints served through a bare FastAPI app (the framework's "
        "own floor).",
        "",
        f"{'figure':<36} {'baked':>10} {'fastapi':>10} {'reference':>10} {'baked/ref':>10} "
        f"{'fastapi/ref':>11}   {'baked min..max':>17} {'ref min..max':>17}",
        "-" * width,
    ]
    for key, label, fmt in rows:
        cells = {}
        for app in APPS:
            values = [r[key] for r in results[app] if key in r]
            medians[app][key] = median(values)
            cells[app] = values
        base, floor, ref = (medians[app][key] for app in APPS)
        ratio = f"{base / ref:.2f}" if ref else "-"
        floor_ratio = f"{floor / ref:.2f}" if ref else "-"

        def spread(values: list[float], fmt: str = fmt) -> str:
            if not values:
                return "-"
            return f"{fmt.format(min(values))}..{fmt.format(max(values))}"

        lines.append(
            f"{label:<36} {fmt.format(base):>10} {fmt.format(floor):>10} {fmt.format(ref):>10} "
            f"{ratio:>10} {floor_ratio:>11}   {spread(cells['baked']):>17} "
            f"{spread(cells['reference']):>17}"
        )
    total_errors = len(errors.lines)
    lines.append("-" * width)
    lines.append(
        "load errors (non-2xx or socket errors reported by wrk): "
        + ("none" if not total_errors else f"{total_errors} load(s) with errors")
    )
    lines.extend(f"  {line}" for line in errors.lines)
    lines.append(
        "A ratio above 1 is worse than the reference in the ms, s and MB rows, better in req/s."
    )
    busiest = max((r.get("foreign_cores", 0.0) for app in APPS for r in results[app]), default=0.0)
    if busiest > 0.25:
        lines.append(
            f"WARNING: other processes used up to {busiest:.2f} of {os.cpu_count()} cores during "
            "a load; the req/s and latency figures are noisy (CPU ms/req much less so). "
            "Rerun on a quiet machine for clean figures."
        )

    counted = extras.get("instructions")
    if counted:
        lines += [
            "",
            "Instructions per request (callgrind, in-process ASGI calls, no server; "
            "deterministic, unlike req/s)",
        ]
        for name, label in (("list", "list of 20"), ("live", "liveness")):
            base, floor, ref = (counted[app][name] / 1e6 for app in APPS)
            lines.append(
                f"  {label:<11} baked {base:7.3f} M   fastapi {floor:7.3f} M   reference "
                f"{ref:7.3f} M   baked/ref {base / ref:5.2f}   fastapi/ref {floor / ref:5.2f}"
            )

    lines += ["", "Other figures"]
    lines.append(f"  bake (cookiecutter):           {extras['bake_s']:.2f} s")
    lines.append(f"  install (uv sync, with dev):   {extras['sync_s']:.2f} s")
    lines.append(f"  migrate (alembic upgrade head): {extras['migrate_s']:.2f} s")
    suite = extras.get("suite")
    if suite:
        walls = suite["walls"]
        counts = suite["counts"]
        counted = ", ".join(f"{n} {word}" for word, n in counts.items()) or "no count found"
        lines.append(
            f"  baked suite (uv run pytest -q): median {median(walls):.2f} s wall over "
            f"{len(walls)} run(s) [{', '.join(f'{w:.2f}' for w in walls)}]; {counted}"
        )
        lines.extend(f"    FAILED {failure}" for failure in suite["failures"])
    else:
        lines.append("  baked suite: skipped (--skip-suite)")
    template = extras.get("template_suite")
    if template:
        counted = ", ".join(f"{n} {word}" for word, n in template["counts"].items())
        wall = template["walls"][0] if template["walls"] else float("nan")
        lines.append(f"  template suite (uv run pytest at the repo root): {wall:.1f} s; {counted}")
        lines.extend(f"    FAILED {failure}" for failure in template["failures"])
    else:
        lines.append("  template suite: not run (pass --template-suite; it takes minutes)")
    lines.append(f"  versions: {extras['versions']}")

    # The issue's targets, judged on the medians above. Informational: only errors gate.
    b, r = medians["baked"], medians["reference"]

    def verdict(ok: bool) -> str:
        return "met " if ok else "MISS"

    targets = [
        (
            "list of 20 @64 >= 0.50 of reference",
            b["list_rps"] / r["list_rps"] >= 0.50,
            f"{b['list_rps'] / r['list_rps']:.2f}",
        ),
        (
            "liveness @64 >= 0.70 of reference",
            b["live_rps"] / r["live_rps"] >= 0.70,
            f"{b['live_rps'] / r['live_rps']:.2f}",
        ),
        ("no error responses under load", not errors.lines, f"{total_errors} load(s)"),
        ("start to first 200 <= 1.0 s", b["start_s"] <= 1.0, f"{b['start_s']:.3f} s"),
        ("idle RSS <= 70 MB", b["idle_rss_mb"] <= 70, f"{b['idle_rss_mb']:.1f} MB"),
    ]
    if config.sweep:
        share = b.get("sweep_last_share", float("nan"))
        targets.append(
            (f"list @{config.sweep[-1]} >= 80 % of the sweep's peak", share >= 0.80, f"{share:.2f}")
        )
    if suite and suite["walls"]:
        wall = median(suite["walls"])
        passed = suite["counts"].get("passed", 0)
        targets.append(("baked suite <= 8 s wall", wall <= 8.0, f"{wall:.2f} s"))
        targets.append(("baked suite >= 100 tests", passed >= 100, f"{passed} passed"))
    lines += ["", "Targets from issue 5 (informational; the exit status gates on errors only)"]
    for label, ok, value in targets:
        lines.append(f"  [{verdict(ok)}] {label:<44} {value}")
    text = "\n".join(lines)
    data = {
        "config": {k: str(v) if isinstance(v, Path) else v for k, v in vars(config).items()},
        "rounds": results,
        "medians": medians,
        "extras": extras,
        "errors": errors.lines,
        "targets": [{"target": t, "met": ok, "value": v} for t, ok, v in targets],
    }
    return text, data


# --------------------------------------------------------------------------------------------
# Main


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

    def pick(value: Any, full: Any, quick: Any) -> Any:
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
    try:
        asyncio.run(_admin(["SELECT 1"]))
    except (OSError, asyncpg.PostgresError) as exc:
        raise SetupError(f"PostgreSQL is not answering on {PG_HOST}:{PG_PORT}: {exc}") from exc


def base_python() -> str:
    """This interpreter outside any virtual environment, for `uv sync --python`."""
    return getattr(sys, "_base_executable", None) or sys.executable


def bake(tmp: Path) -> tuple[float, Path]:
    config_file = tmp / "cookiecutter-config.yaml"
    config_file.write_text(
        f'cookiecutters_dir: "{tmp / "cookiecutters"}"\nreplay_dir: "{tmp / "replay"}"\n'
    )
    output = tmp / "bake"
    output.mkdir()
    seconds, _ = run_command(
        [sys.executable, "-m", "cookiecutter", "--no-input", "-o", str(output), str(REPO_ROOT)],
        cwd=tmp,
        env=child_env({"COOKIECUTTER_CONFIG": str(config_file)}),
        timeout=300,
        what="cookiecutter",
    )
    baked = [path for path in output.iterdir() if path.is_dir()]
    if len(baked) != 1:
        raise SetupError(f"expected one baked project in {output}, found {baked}")
    return seconds, baked[0]


def login(port: int, email: str, password: str) -> str:
    status, body = http_request(
        port,
        "POST",
        "/api/v1/auth/register",
        body=json.dumps({"email": email, "password": password, "full_name": "Bench User"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    if status != 201:
        raise SetupError(f"register answered {status}: {body[:500]!r}")
    status, body = http_request(
        port,
        "POST",
        "/api/v1/auth/login",
        body=urllib.parse.urlencode({"username": email, "password": password}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    if status != 200:
        raise SetupError(f"login answered {status}: {body[:500]!r}")
    return str(json.loads(body)["access_token"])


def package_version(python: Path, package: str) -> str:
    result = subprocess.run(
        [str(python), "-c", f"import importlib.metadata as m; print(m.version({package!r}))"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    return result.stdout.strip() or "?"


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
    extras: dict[str, Any] = {}

    log(f"baking {REPO_ROOT} into {tmp}")
    extras["bake_s"], project = bake(tmp)
    slug = project.name
    log(f"installing {slug} with uv sync (python {base_python()})")
    extras["sync_s"], _ = run_command(
        ["uv", "sync", "--python", base_python()],
        cwd=project,
        env=child_env(),
        timeout=600,
        what="uv sync",
    )
    venv_bin = project / ".venv" / "bin"

    database = f"bench_{slug.replace('-', '_')}_{uuid.uuid4().hex[:10]}"
    server_version = create_database(database)
    if config.keep:
        log(f"created database {database} (kept: --keep)")
    else:
        cleanups.append(lambda: drop_databases(database))
        log(f"created database {database}")

    secret = secrets.token_urlsafe(48)  # 64 characters
    app_env = child_env(
        {
            "DATABASE_URL": sqlalchemy_url(database),
            "ENVIRONMENT": "production",
            "SECRET_KEY": secret,
            "LOG_LEVEL": "WARNING",
            "ACCESS_TOKEN_EXPIRE_MINUTES": "120",
            "PYTHONUNBUFFERED": "1",
        }
    )
    extras["migrate_s"], _ = run_command(
        [str(venv_bin / "alembic"), "upgrade", "head"],
        cwd=project,
        env=app_env,
        timeout=300,
        what="alembic upgrade head",
    )

    baked = AppSpec("baked", venv_bin / "uvicorn", "app.main:create_app", project, app_env)

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
    seed_items(database, email, config.items)

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
            child_env({"DATABASE_URL": sqlalchemy_url(database)}),
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
        log(f"kept database {database} and bake {project}")
    if errors.lines:
        return 1
    suite = extras.get("suite")
    if suite and suite["failures"]:
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
