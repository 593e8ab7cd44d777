"""The apps under uvicorn: started, polled until they answer, their output captured, their RSS
sampled, and stopped, also when the benchmark fails."""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from bench.config import LIVE_PATH, SetupError
from bench.procfs import rss_kib


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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


class OutputCapture:
    """Reads a server's stdout+stderr in a thread: counts the bytes, keeps the last 64 KiB.

    A pipe rather than a file: a server that logs on every request would otherwise fill the disk
    during a long run, and the byte count itself is a figure worth reporting.
    """

    TAIL_BYTES = 64 * 1024

    def __init__(self, stream: IO[bytes]) -> None:
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
    """How to start one of the apps."""

    name: str
    uvicorn: Path
    target: str
    cwd: Path
    env: dict[str, str]
    extra_args: list[str] = field(default_factory=list)
    # The bake's Dockerfile serves with its own protocol class (httptools with limits on
    # request heads); the other apps with uvicorn's httptools.
    http: str = "httptools"


def uvicorn_command(spec: AppSpec, port: int) -> list[str]:
    """The command line of one app: as the baked Dockerfile runs the service."""
    return [
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
        spec.http,
    ]


class Servers:
    """Starts servers and remembers them, so that cleanup can stop whatever still runs."""

    def __init__(self) -> None:
        self.running: list[Server] = []

    def start(self, spec: AppSpec, *, timeout: float = 60.0) -> Server:
        port = free_port()
        command = uvicorn_command(spec, port)
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
        assert process.stdout is not None  # stdout=PIPE
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
