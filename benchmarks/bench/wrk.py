"""wrk: its command line, running it, and reading its report."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass

from bench.config import SetupError

_TIME_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3, "h": 3600e3}
SOCKET_ERROR_KINDS = ("connect", "read", "write", "timeout")


def latency_ms(text: str) -> float:
    """A latency as wrk prints it ("224.00us", "1.40ms", "1.50s", "1.02m") in milliseconds."""
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
    """wrk's report (run with --latency): req/s, p50 and p99, requests and every error count.

    Raises ValueError when there is no report to read. Without a latency distribution the
    percentiles are NaN; without error lines the error counts are 0.
    """
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
        p50_ms=latency_ms(p50.group(1)) if p50 else float("nan"),
        p99_ms=latency_ms(p99.group(1)) if p99 else float("nan"),
        requests=int(requests.group(1)),
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=dict(
            zip(
                SOCKET_ERROR_KINDS,
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
