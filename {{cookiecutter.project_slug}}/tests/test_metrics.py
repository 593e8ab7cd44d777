"""/metrics: requests by route template (never by raw path), in-flight requests and the
database pool, in the Prometheus text format, for an app with a registry of its own."""

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from prometheus_client.parser import text_string_to_metric_families

from app.core.config import Settings
from app.core.extension import Extension
from app.main import create_app
from app.metrics.extension import MetricsExtension
from tests.conftest import database_of, make_client


class SlowRoute(Extension):
    """A route that answers only when the test lets it, to be caught in flight."""

    def __init__(self) -> None:
        self.entered = asyncio.Event()
        self.release = asyncio.Event()

    def install(self, app: FastAPI) -> None:
        @app.get("/slow/{n}", include_in_schema=False)
        async def slow(n: int) -> dict[str, int]:
            self.entered.set()
            await self.release.wait()
            return {"n": n}


@pytest.fixture
def slow() -> SlowRoute:
    return SlowRoute()


@pytest.fixture
async def metrics_app(settings: Settings, slow: SlowRoute) -> AsyncIterator[FastAPI]:
    app = create_app(settings, [MetricsExtension(), slow])
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def metrics_client(metrics_app: FastAPI) -> AsyncIterator[AsyncClient]:
    async with make_client(metrics_app) as client:
        yield client


async def scrape(client: AsyncClient) -> dict[str, list[tuple[dict[str, str], float]]]:
    """The samples of every metric, by sample name."""
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    samples: dict[str, list[tuple[dict[str, str], float]]] = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            samples.setdefault(sample.name, []).append((sample.labels, sample.value))
    return samples


def routes(samples: dict[str, list[tuple[dict[str, str], float]]]) -> set[str]:
    return {labels["route"] for labels, _ in samples["http_requests_total"]}


def count(samples: dict[str, list[tuple[dict[str, str], float]]], **labels: str) -> float:
    return sum(
        value
        for sample_labels, value in samples.get("http_requests_total", [])
        if labels.items() <= sample_labels.items()
    )


async def test_requests_are_counted_by_route_template(metrics_client: AsyncClient) -> None:
    for item_id in (1, 2, 3):
        await metrics_client.get(f"/api/v1/items/{item_id}")
    await metrics_client.get("/health/live")
    await metrics_client.head("/health/live")  # answered as the GET it stands for
    samples = await scrape(metrics_client)
    assert count(samples, route="/api/v1/items/{item_id}", method="GET") == 3
    assert count(samples, route="/health/live", method="GET", status="200") == 2
    assert not any("/items/1" in route for route in routes(samples))
    durations = [
        value
        for labels, value in samples["http_request_duration_seconds_count"]
        if labels == {"method": "GET", "route": "/api/v1/items/{item_id}"}
    ]
    assert durations == [3]
    # The scrapes themselves are not counted.
    assert "/metrics" not in routes(samples)


async def test_unmatched_paths_add_no_label_value(metrics_client: AsyncClient) -> None:
    assert (await metrics_client.get(f"/{uuid.uuid4()}")).status_code == 404
    before = routes(await scrape(metrics_client))
    path = f"/{uuid.uuid4()}/{uuid.uuid4()}"
    assert (await metrics_client.get(path)).status_code == 404
    assert (await metrics_client.request("BREW", path)).status_code in {404, 405}
    samples = await scrape(metrics_client)
    assert routes(samples) == before == {"unmatched"}
    assert count(samples, route="unmatched", status="404") >= 2
    assert count(samples, method="OTHER") == 1


async def test_in_flight_requests(metrics_client: AsyncClient, slow: SlowRoute) -> None:
    request = asyncio.create_task(metrics_client.get("/slow/1"))
    await asyncio.wait_for(slow.entered.wait(), timeout=5)
    assert (await scrape(metrics_client))["http_requests_in_progress"] == [({}, 1.0)]
    slow.release.set()
    assert (await request).json() == {"n": 1}
    samples = await scrape(metrics_client)
    assert samples["http_requests_in_progress"] == [({}, 0.0)]
    assert count(samples, route="/slow/{n}", status="200") == 1


async def test_database_pool_is_read_at_scrape_time(
    metrics_app: FastAPI, metrics_client: AsyncClient, settings: Settings
) -> None:
    async with database_of(metrics_app).engine.connect():
        held = await scrape(metrics_client)
    released = await scrape(metrics_client)
    assert held["db_pool_size"] == [({}, settings.db_pool_size)]
    assert held["db_pool_checked_out"] == [({}, 1.0)]
    assert released["db_pool_checked_out"] == [({}, 0.0)]
    assert released["db_pool_checked_in"] == [({}, 1.0)]
    assert released["db_pool_overflow"] == [({}, 0.0)]


async def test_metrics_stay_out_of_the_api_schema(metrics_client: AsyncClient) -> None:
    schema = (await metrics_client.get("/openapi.json")).json()
    assert "/metrics" not in schema["paths"]
    assert "/slow/{n}" not in schema["paths"]


async def test_each_app_counts_in_its_own_registry(settings: Settings) -> None:
    first, second = (
        create_app(settings, [MetricsExtension()]),
        create_app(settings, [MetricsExtension()]),
    )
    async with make_client(first) as client_one, make_client(second) as client_two:
        await client_one.get("/health/live")
        assert count(await scrape(client_one), route="/health/live") == 1
        assert count(await scrape(client_two), route="/health/live") == 0
