"""The app served by the very command production runs (uvicorn, one process, production
settings), attacked from outside on loopback: floods of logins and registrations get answers,
not 503s, other users stay served, memory stays bounded, and request heads that are too large
or never end are cut off."""

import asyncio
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import delete

from app.core.config import Settings
from app.core.database import Database
from app.users.models import User
from tests.served_command import production_command

pytestmark = pytest.mark.served

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "a long and served password"
FLOOD = 100
HEAD_TIMEOUT = 2.0


def served_command(port: int) -> list[str]:
    """The production command (tests/served_command.py), on loopback and a free port, run by
    this interpreter."""
    command = production_command()
    assert command[0] == "uvicorn"
    command[command.index("--host") + 1] = "127.0.0.1"
    command[command.index("--port") + 1] = str(port)
    return [sys.executable, "-m", *command]


@dataclass
class Served:
    url: str
    process: subprocess.Popen[bytes]

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    def peak_rss_mb(self) -> float:
        """The most memory the server process has held (VmHWM), in MiB."""
        status = Path(f"/proc/{self.process.pid}/status").read_text(encoding="utf-8")
        line = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
        return int(line.split()[1]) / 1024


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def served(settings: Settings) -> Iterator[Served]:
    port = free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "ENVIRONMENT": "production",  # real Argon2 parameters, as deployed
        "SECRET_KEY": secrets.token_urlsafe(48),
{%- if cookiecutter.ai_provider != "none" %}
        # Production refuses to start without a key; these tests never ask the provider.
        "AI_API_KEY": "a-production-key-for-the-served-tests",
{%- endif %}
        "LOG_LEVEL": "WARNING",
        "SERVER_HEAD_TIMEOUT_SECONDS": str(HEAD_TIMEOUT),
    }
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and the production arguments
        served_command(port), cwd=PROJECT_ROOT, env=environment, stdout=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/health/live").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                pytest.fail("the served app did not start")
            time.sleep(0.1)
        yield Served(url, process)
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(autouse=True)
async def remove_served_users(settings: Settings) -> AsyncIterator[None]:
    """The served app commits for real: its users go afterwards."""
    yield
    database = Database.from_settings(settings)
    try:
        async with database.transaction() as session:
            await session.execute(delete(User).where(User.email.startswith("served-")))
    finally:
        await database.dispose()


def client(served: Served) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=FLOOD + 20)
    return httpx.AsyncClient(base_url=served.url, limits=limits, timeout=60)


async def register(http: httpx.AsyncClient, email: str) -> httpx.Response:
    return await http.post("/api/v1/auth/register", json={"email": email, "password": PASSWORD})


async def login(http: httpx.AsyncClient, email: str, password: str = PASSWORD) -> httpx.Response:
    return await http.post("/api/v1/auth/login", data={"username": email, "password": password})


def statuses(responses: list[httpx.Response]) -> dict[int, int]:
    counted: dict[int, int] = {}
    for response in responses:
        counted[response.status_code] = counted.get(response.status_code, 0) + 1
    return counted


async def test_concurrent_registrations_all_succeed(served: Served) -> None:
    async with client(served) as http:
        responses = await asyncio.gather(
            *(register(http, f"served-{index}@example.com") for index in range(FLOOD))
        )
    assert statuses(responses) == {201: FLOOD}


async def test_concurrent_logins_all_succeed(served: Served) -> None:
    async with client(served) as http:
        assert (await register(http, "served-login@example.com")).status_code == 201
        responses = await asyncio.gather(
            *(login(http, "served-login@example.com") for _ in range(FLOOD))
        )
    assert statuses(responses) == {200: FLOOD}


async def test_an_unauthenticated_flood_leaves_others_served_and_memory_bounded(
    served: Served,
) -> None:
    async with client(served) as http:
        assert (await register(http, "served-victim@example.com")).status_code == 201
        token = (await login(http, "served-victim@example.com")).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        flood = [login(http, f"served-unknown-{index}@example.com") for index in range(FLOOD)]
        others = [http.get("/api/v1/items", headers=headers) for _ in range(10)]
        others += [http.get("/health/ready") for _ in range(10)]
        answers = await asyncio.gather(*flood, *others)
    flooded, served_others = answers[:FLOOD], answers[FLOOD:]
    assert all(response.status_code < 500 for response in flooded), statuses(flooded)
    assert statuses(served_others) == {200: len(served_others)}
    assert served.peak_rss_mb() < 300


RESET = b"(connection reset)"


async def send_head(served: Served, head: bytes) -> bytes:
    """Send the start of a request and read until the server closes the connection."""
    reader, writer = await asyncio.open_connection("127.0.0.1", served.port)
    try:
        writer.write(head)
        await writer.drain()
        return await asyncio.wait_for(reader.read(), timeout=HEAD_TIMEOUT + 5)
    except ConnectionResetError:
        # The server closed with part of our head unread, so TCP resets the connection (and
        # the 431 may be lost with it): refused all the same.
        return RESET
    finally:
        writer.close()


async def test_an_oversized_request_head_gets_a_431_and_the_server_stays_small(
    served: Served,
) -> None:
    head = b"GET /health/live HTTP/1.1\r\nHost: x\r\nX-Padding: " + b"a" * 65_536
    answers = await asyncio.gather(*(send_head(served, head) for _ in range(4)))
    assert all(answer.startswith((b"HTTP/1.1 431", RESET)) for answer in answers), answers
    async with client(served) as http:
        assert (await http.get("/health/live")).status_code == 200
    assert served.peak_rss_mb() < 300


async def test_request_heads_that_never_end_are_cut_off(served: Served) -> None:
    started = time.monotonic()
    unfinished = b"GET /health/live HTTP/1.1\r\nHost: x\r\n"  # no blank line: never ends
    answers = await asyncio.gather(*(send_head(served, unfinished) for _ in range(50)))
    assert answers == [b""] * 50  # closed by the server, nothing sent
    assert time.monotonic() - started < HEAD_TIMEOUT + 3


async def test_a_keep_alive_connection_whose_next_head_never_ends_is_cut_off(
    served: Served,
) -> None:
    """The head timeout covers every request on a connection, not only its first."""
    complete = b"GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n"
    unfinished = b"GET /health/live HTTP/1.1\r\nHost: x\r\n"
    started = time.monotonic()
    answer = await send_head(served, complete * 3 + unfinished)
    assert answer.count(b"HTTP/1.1 200") == 3, answer
    elapsed = time.monotonic() - started
    assert HEAD_TIMEOUT - 0.5 < elapsed < HEAD_TIMEOUT + 3, elapsed
