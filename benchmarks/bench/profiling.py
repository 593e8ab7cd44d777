"""py-spy: sample the baked app under load and summarise where its CPU time goes."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

from bench.config import LIST_PATH, LIVE_PATH, Config, SetupError
from bench.servers import AppSpec, Servers
from bench.wrk import parse_wrk, run_wrk, wrk_command

# Stdlib packages, as opposed to the third-party ones, among the first parts of frame paths.
STDLIB_PACKAGES = frozenset({"asyncio", "logging", "json", "concurrent", "email", "importlib"})
WAITING_FRAMES = frozenset({"Condition.wait (threading.py)", "Queue.get (queue.py)"})


def frame_package(frame: str) -> str:
    """The package a py-spy frame "name (path)" belongs to: sqlalchemy, app, stdlib:logging..."""
    match = re.search(r"\(([^()]*)\)$", frame)
    path = match.group(1) if match else frame
    parts = path.split("/")
    if len(parts) == 1:
        return "stdlib:" + parts[0].removesuffix(".py")
    if parts[0] in STDLIB_PACKAGES:
        return "stdlib:" + parts[0]
    return parts[0].removesuffix(".py")


def summarise_stacks(collapsed: str, top: int = 25) -> str:
    """Self and total sample shares per function, and self time per package, from py-spy's
    collapsed ("raw") output: one "frame;frame;...;frame count" line per distinct stack."""
    self_samples: dict[str, int] = defaultdict(int)
    total_samples: dict[str, int] = defaultdict(int)
    package_samples: dict[str, int] = defaultdict(int)
    all_samples = worker_samples = waiting_samples = 0
    for line in collapsed.splitlines():
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


def summarise_collapsed(path: Path, top: int = 25) -> str:
    """summarise_stacks of a file py-spy wrote."""
    return summarise_stacks(path.read_text(errors="replace"), top)


def py_spy_command(py_spy: str, pid: int, seconds: float, output: Path) -> list[str]:
    """py-spy sampling pid for `seconds` at 200 Hz, collapsed stacks written to `output`."""
    return [
        py_spy,
        "record",
        "--pid",
        str(pid),
        "--duration",
        str(round(seconds)),
        "--rate",
        "200",
        # Sampling without pausing the process: a paused server makes wrk time out, and the
        # blocking mode also counts waiting pool threads as busy.
        "--nonblocking",
        "--format",
        "raw",
        "--output",
        str(output),
    ]


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
                    py_spy_command(py_spy, server.process.pid, seconds, raw),
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
