"""One request's spans, exported in memory: FastAPI's server span, the database's queries and
an outgoing httpx call inside it (same trace, parent by parent), and the trace id on the
request's log lines."""

import asyncio
import io
import json
import logging
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from fastapi import FastAPI
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from sqlalchemy import text

from app.core.config import Settings
from app.core.dependencies import ReadSession
from app.core.extension import Extension
from app.main import create_app
from app.tracing.config import TracingSettings
from app.tracing.extension import TracingExtension
from tests.conftest import make_client

logger = logging.getLogger("app.probe")


class Upstream:
    """An HTTP server on loopback that answers 204 and keeps the headers it was sent."""

    def __init__(self) -> None:
        self.heads: list[str] = []
        self.url = ""

    async def answer(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.heads.append((await reader.readuntil(b"\r\n\r\n")).decode("latin-1").lower())
        writer.write(b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        await writer.drain()
        writer.close()


@pytest.fixture
async def upstream() -> AsyncIterator[Upstream]:
    server = Upstream()
    listening = await asyncio.start_server(server.answer, "127.0.0.1", 0)
    port = listening.sockets[0].getsockname()[1]
    server.url = f"http://127.0.0.1:{port}/upstream"
    async with listening:
        yield server


class Probe(Extension):
    """A route that reads from the database, logs a line and calls the upstream server."""

    def __init__(self, upstream_url: str) -> None:
        self.upstream_url = upstream_url

    def install(self, app: FastAPI) -> None:
        @app.get("/probe/{n}", include_in_schema=False)
        async def probe(n: int, session: ReadSession) -> dict[str, int]:
            value = await session.scalar(text("SELECT :n").bindparams(n=n))
            logger.warning("probing %d", n)
            async with httpx.AsyncClient() as client:
                await client.get(self.upstream_url)
            return {"n": int(value)}


@pytest.fixture
def log() -> Iterator[io.StringIO]:
    """Where the log lines go; the logging set-up as it was is restored afterwards."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield io.StringIO()
    root.handlers[:], root.level = handlers, level


@pytest.fixture
def exporter() -> InMemorySpanExporter:
    return InMemorySpanExporter()


@pytest.fixture
async def traced_app(
    settings: Settings,
    exporter: InMemorySpanExporter,
    upstream: Upstream,
    log: io.StringIO,
) -> AsyncIterator[FastAPI]:
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    json_settings = settings.model_copy(update={"log_json": True, "log_level": "INFO"})
    app = create_app(
        json_settings, [TracingExtension(tracer_provider=provider), Probe(upstream.url)]
    )
    # The handler the app set up, writing its JSON lines where the test reads them.
    [handler] = logging.getLogger().handlers
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(log)
    async with app.router.lifespan_context(app):
        yield app


def ancestors(span: ReadableSpan, spans: tuple[ReadableSpan, ...]) -> list[ReadableSpan]:
    by_id = {other.context.span_id: other for other in spans}
    chain: list[ReadableSpan] = []
    while span.parent is not None and span.parent.span_id in by_id:
        span = by_id[span.parent.span_id]
        chain.append(span)
    return chain


def scope_of(span: ReadableSpan) -> str:
    return span.instrumentation_scope.name if span.instrumentation_scope else ""


async def test_one_request_is_one_trace(
    traced_app: FastAPI,
    exporter: InMemorySpanExporter,
    upstream: Upstream,
    log: io.StringIO,
) -> None:
    async with make_client(traced_app) as client:
        response = await client.get("/probe/7")
    assert response.json() == {"n": 7}
    spans = exporter.get_finished_spans()

    [server] = [span for span in spans if span.kind == SpanKind.SERVER]  # one, not two
    assert server.name == "GET /probe/{n}"
    assert server.attributes is not None
    assert server.attributes["http.route"] == "/probe/{n}"
    assert server.attributes["http.response.status_code"] == 200
    assert server.parent is None
    assert {span.context.trace_id for span in spans} == {server.context.trace_id}

    queries = [span for span in spans if "sqlalchemy" in scope_of(span)]
    assert queries
    for query in queries:
        assert query.kind == SpanKind.CLIENT
        assert server in ancestors(query, spans)

    [outgoing] = [span for span in spans if "httpx" in scope_of(span)]
    assert outgoing.kind == SpanKind.CLIENT
    assert server in ancestors(outgoing, spans)
    # The upstream service is told which trace and span it continues.
    trace_id = format(server.context.trace_id, "032x")
    span_id = format(outgoing.context.span_id, "016x")
    assert f"traceparent: 00-{trace_id}-{span_id}-" in upstream.heads[0]

    lines = [json.loads(line) for line in log.getvalue().splitlines()]
    [probed] = [line for line in lines if line["message"] == "probing 7"]
    assert probed["trace_id"] == trace_id
    assert probed["request_id"] == response.headers["x-request-id"]


async def test_a_callers_trace_is_continued(
    traced_app: FastAPI, exporter: InMemorySpanExporter
) -> None:
    caller_trace, caller_span = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
    async with make_client(traced_app) as client:
        headers = {"traceparent": f"00-{caller_trace}-{caller_span}-01"}
        assert (await client.get("/probe/1", headers=headers)).status_code == 200
    [server] = [span for span in exporter.get_finished_spans() if span.kind == SpanKind.SERVER]
    assert format(server.context.trace_id, "032x") == caller_trace
    assert server.parent is not None
    assert format(server.parent.span_id, "016x") == caller_span


async def test_probes_and_their_queries_are_not_traced(
    traced_app: FastAPI, exporter: InMemorySpanExporter
) -> None:
    async with make_client(traced_app) as client:
        assert (await client.get("/health/ready")).status_code == 200
        assert (await client.get("/health/live")).status_code == 200
    assert exporter.get_finished_spans() == ()


async def test_an_unmatched_path_is_one_span_without_a_route(
    traced_app: FastAPI, exporter: InMemorySpanExporter
) -> None:
    async with make_client(traced_app) as client:
        assert (await client.get("/no/such/path")).status_code == 404
    [server] = exporter.get_finished_spans()
    assert server.name == "GET"
    assert server.attributes is not None
    assert "http.route" not in server.attributes


def test_tracing_is_off_without_an_endpoint() -> None:
    extension = TracingExtension(TracingSettings(_env_file=None, exporter_otlp_endpoint=None))
    assert extension.provider is None
    assert extension.telemetry() == {}


def test_an_endpoint_builds_a_provider_for_the_service() -> None:
    settings = TracingSettings(
        _env_file=None, exporter_otlp_endpoint="http://127.0.0.1:4318", service_name="billing"
    )
    extension = TracingExtension(settings)
    provider = extension.provider
    assert provider is not None
    try:
        assert provider.resource.attributes["service.name"] == "billing"
        assert extension.telemetry()["tracer_provider"] is provider
    finally:
        provider.shutdown()  # nothing was recorded: nothing is sent


def test_the_endpoint_settings() -> None:
    def endpoint(**values: object) -> str | None:
        return TracingSettings(_env_file=None, **values).traces_endpoint()  # type: ignore[arg-type]

    assert endpoint(exporter_otlp_endpoint="http://collector:4318/") == (
        "http://collector:4318/v1/traces"
    )
    assert endpoint(
        exporter_otlp_endpoint="http://collector:4318",
        exporter_otlp_traces_endpoint="https://vendor.example/traces",
    ) == ("https://vendor.example/traces")
    assert endpoint(exporter_otlp_endpoint="http://collector:4318", sdk_disabled=True) is None
