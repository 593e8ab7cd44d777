"""Call an ASGI app in-process, for counting the instructions a request costs under callgrind.

    python asgi_driver.py MODULE:FACTORY COUNT PATH [PATH ...]

Imports the factory from the working directory, runs the app's lifespan, warms up with 20
requests to each PATH, then sends COUNT more to the first PATH: `GET` with `Authorization:
Bearer $BENCH_TOKEN`, each a direct ASGI call (no server, no sockets). Exits non-zero unless
every answer is a 200. `run.py --instructions` runs it under `valgrind --tool=callgrind` with
COUNT = 0 and COUNT = N and the same paths, so the two runs differ by N requests and nothing
else: the difference over N is one request, the same on a busy machine as on a quiet one.
"""

from __future__ import annotations

import asyncio
import importlib
import os
import sys
from pathlib import Path
from typing import Any

WARM_UP = 20


def request_scope(path: str, token: str) -> dict[str, Any]:
    raw_path, _, query = path.partition("?")
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": raw_path,
        "raw_path": raw_path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1"), (b"authorization", f"Bearer {token}".encode())],
        "client": ("127.0.0.1", 40000),
        "server": ("127.0.0.1", 8000),
    }


async def drive(app: Any, count: int, paths: list[str], token: str) -> list[int]:
    scopes = [request_scope(path, token) for path in paths]
    statuses: list[int] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    async with app.router.lifespan_context(app):
        for scope in scopes:
            for _ in range(WARM_UP):
                await app({**scope, "state": {}}, receive, send)
        for _ in range(count):
            await app({**scopes[0], "state": {}}, receive, send)
    return statuses


def main() -> int:
    target, count, paths = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    sys.path.insert(0, str(Path.cwd()))
    module, _, factory = target.partition(":")
    app = getattr(importlib.import_module(module), factory)()
    run = asyncio.run
    try:  # the event loop the servers run on, where it is installed
        import uvloop

        run = uvloop.run
    except ImportError:
        pass
    statuses = run(drive(app, count, paths, os.environ.get("BENCH_TOKEN", "")))
    wrong = sorted({status for status in statuses if status != 200})
    if wrong:
        print(f"{target} answered {wrong} on {paths}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
