"""The three points an extension plugs into: building the app, its lifespan, readiness."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from fastapi import FastAPI

from app.core.config import Settings
from app.core.errors import ServiceUnavailableError
from app.core.extension import Extension, replacing
from app.main import create_app
from tests.conftest import make_client


class Recording(Extension):
    """Records what the app asks of it; its server is down when `up` is false."""

    def __init__(self, name: str, events: list[str], *, up: bool = True) -> None:
        self.name, self.events, self.up = name, events, up

    def install(self, app: FastAPI) -> None:
        self.events.append(f"install {self.name}")

        @app.get(f"/{self.name}", include_in_schema=False)
        async def probe() -> dict[str, str]:
            return {"extension": self.name}

    @asynccontextmanager
    async def running(self, app: FastAPI) -> AsyncIterator[None]:
        self.events.append(f"start {self.name}")
        yield
        self.events.append(f"stop {self.name}")

    async def check_ready(self, app: FastAPI) -> None:
        if not self.up:
            raise ServiceUnavailableError(f"{self.name} is not ready.")


async def test_extensions_start_in_order_and_stop_in_reverse(settings: Settings) -> None:
    events: list[str] = []
    app = create_app(settings, [Recording("first", events), Recording("second", events)])
    async with app.router.lifespan_context(app):
        async with make_client(app) as client:
            response = await client.get("/second")
            assert response.json() == {"extension": "second"}
            # The edge middleware stays outermost: the extension's route gets a request id too.
            assert response.headers["x-request-id"]
        events.append("serving")
    assert events == [
        "install first",
        "install second",
        "start first",
        "start second",
        "serving",
        "stop second",
        "stop first",
    ]


async def test_readiness_asks_every_extension(settings: Settings) -> None:
    events: list[str] = []
    up, down = Recording("cache", events), Recording("queue", events, up=False)
    app = create_app(settings, [up, down])
    async with app.router.lifespan_context(app), make_client(app) as client:
        response = await client.get("/health/ready")
        assert response.status_code == 503
        assert response.json() == {"detail": "queue is not ready.", "code": "SERVICE_UNAVAILABLE"}
        down.up = True
        assert (await client.get("/health/ready")).status_code == 200


def test_replacing_swaps_an_extension_of_the_same_class() -> None:
    class Other(Extension):
        pass

    events: list[str] = []
    baked = [Recording("baked", events), Other()]
    mine = Recording("mine", events)
    assert replacing(baked, mine) == [mine, baked[1]]
    with pytest.raises(ValueError, match="not among the extensions: Recording"):
        replacing([Other()], mine)
