"""The response cache's hit path against the same read uncached, in one process.

Bakes the project with `redis=yes` (PostgreSQL, the chosen `auth`), migrates a database of its
own, and times `GET /api/v1/projects/{id}` through the app in-process (httpx over ASGI, no
sockets): once answered from Redis (the cache's hit path), once by the plain `ProjectService`
(what a `redis=no` bake runs), in interleaved rounds. Prints requests per second of each and
their ratio. Needs PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379, as the tests do.

    python3 benchmarks/cache_hit.py [--requests 2000] [--rounds 5] [--auth users|none]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

# Runs inside the bake, with its own interpreter and packages.
INNER = r'''
import asyncio, os, statistics, sys, time, uuid
from datetime import timedelta
from pathlib import Path

os.environ["ENVIRONMENT"] = "test"
os.environ["LOG_LEVEL"] = "WARNING"
os.environ.setdefault("SECRET_KEY", "benchmark-secret-key-not-for-production-0123456789")
os.environ["REDIS_KEY_PREFIX"] = f"bench-{uuid.uuid4().hex[:12]}:"

from alembic import command
from alembic.config import Config
from httpx import ASGITransport, AsyncClient

from app.core.config import Settings
from app.core.dependencies import on_read_session
from app.main import create_app
from app.projects.dependencies import project_reader
from app.projects.service import ProjectService
from tests.database import temporary_database
from tests.redis_support import delete_keys
from app.redis.config import RedisSettings

AUTH = sys.argv[1]
REQUESTS, ROUNDS = int(sys.argv[2]), int(sys.argv[3])


sys.path.insert(0, sys.argv[4])
from asgi_driver import request_scope  # the benchmark's in-process ASGI request


async def timed(app, path, token):
    """Requests per second of direct ASGI calls (no client, no sockets)."""
    scope = request_scope(path, token)
    statuses = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    start = time.perf_counter()
    for _ in range(REQUESTS):
        await app({**scope, "state": {}}, receive, send)
    elapsed = time.perf_counter() - start
    assert set(statuses) == {200}, statuses
    return REQUESTS / elapsed


async def main():
    Settings.model_config["env_file"] = None
    async with temporary_database(Settings().database_url, Path(".")) as url:
        os.environ["DATABASE_URL"] = url
        await asyncio.to_thread(command.upgrade, Config("alembic.ini"), "head")
        settings = Settings()
        cached, plain = create_app(settings), create_app(settings)
        # The uncached app reads through the plain service, as a redis=no bake does.
        plain.dependency_overrides[project_reader] = on_read_session(ProjectService)
        headers, token = {}, ""
        async with cached.router.lifespan_context(cached), plain.router.lifespan_context(plain):
            transport = ASGITransport(app=cached)
            async with AsyncClient(transport=transport, base_url="http://bench") as client:
                if AUTH == "users":
                    from app.core import security
                    from app.users.models import User
                    async with cached.state.database.transaction() as session:
                        user = User(
                            email="bench@example.com", full_name="Bench", hashed_password="-"
                        )
                        session.add(user)
                    token, _ = security.create_token(
                        settings, subject=user.id, kind="access", lifetime=timedelta(hours=1),
                        version=user.token_version,
                    )
                    headers = {"Authorization": f"Bearer {token}"}
                created = await client.post(
                    "/api/v1/projects", headers=headers, json={"name": "Bench"}
                )
                url_path = f"/api/v1/projects/{created.json()['id']}"
                first = await client.get(url_path, headers=headers)  # the miss that fills the cache
            figures = {"hit": [], "uncached": []}
            for _ in range(ROUNDS):
                for name, app in (("hit", cached), ("uncached", plain)):
                    transport = ASGITransport(app=app)
                    async with AsyncClient(transport=transport, base_url="http://bench") as client:
                        body = (await client.get(url_path, headers=headers)).json()
                        assert body == first.json(), "the two paths answer differently"
                    figures[name].append(await timed(app, url_path, token))
        await delete_keys(RedisSettings())
    hit, uncached = (statistics.median(figures[k]) for k in ("hit", "uncached"))
    print(f"auth={AUTH}, {ROUNDS} rounds of {REQUESTS} sequential in-process requests, medians:")
    print(f"  GET /api/v1/projects/{{id}} from the cache (hit): {hit:8.0f} req/s")
    print(f"  GET /api/v1/projects/{{id}} uncached           : {uncached:8.0f} req/s")
    print(f"  hit / uncached: {hit / uncached:.2f}x")


asyncio.run(main())
'''


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--auth", choices=("users", "none"), default="users")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cache-bench-") as scratch:
        # Cookiecutter's replay and clone directories stay in the scratch directory.
        config = Path(scratch) / "cookiecutter.yaml"
        config.write_text(f"replay_dir: {scratch}/replay\ncookiecutters_dir: {scratch}/cc\n")
        subprocess.run(
            [
                "uv",
                "run",
                "--project",
                str(REPO_ROOT),
                "cookiecutter",
                "--no-input",
                "-o",
                scratch,
                str(REPO_ROOT),
                "redis=yes",
                f"auth={args.auth}",
                "project_slug=cache-bench",
            ],
            check=True,
            cwd=REPO_ROOT,
            env={**os.environ, "COOKIECUTTER_CONFIG": str(config)},
        )
        bake = Path(scratch) / "cache-bench"
        subprocess.run(["uv", "sync", "-q"], check=True, cwd=bake)
        (bake / "bench_inner.py").write_text(INNER, encoding="utf-8")
        command = ["uv", "run", "python", "bench_inner.py", args.auth]
        figures = [str(args.requests), str(args.rounds), str(Path(__file__).resolve().parent)]
        result = subprocess.run([*command, *figures], cwd=bake)
        return result.returncode


if __name__ == "__main__":
    sys.exit(main())
