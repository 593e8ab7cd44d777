"""Tracing: FastAPI's own server spans, SQLAlchemy's and httpx's from OpenTelemetry's
instrumentations, exported over OTLP/HTTP in batches.

The server span is FastAPI's built-in one (its `telemetry` setting, given this extension's
provider), not opentelemetry-instrumentation-fastapi's: FastAPI names it by the route it
matched, it is a stable part of FastAPI rather than one more pre-release package, and it is
one span per request (FastAPI switches its own off where that middleware is installed, so
adding it later would not make two). OTLP over HTTP/protobuf rather than gRPC: the default
the OpenTelemetry specification recommends, port 4318 through any HTTP proxy, and no grpcio
(a large binary wheel) to install.
"""

import asyncio
from collections.abc import AsyncIterator, MutableMapping
from contextlib import asynccontextmanager
from importlib.util import find_spec
from typing import Any

from fastapi import FastAPI
from fastapi.telemetry import TelemetryConfig
from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
from opentelemetry.instrumentation.utils import suppress_instrumentation
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.util.re import parse_env_headers
from starlette.types import ASGIApp, Receive, Scope, Send

from app.core.extension import Extension
from app.tracing.config import TracingSettings


def untraced(scope: MutableMapping[str, Any]) -> bool:
    """Probes and scrapes, every few seconds from the orchestrator, make no traces."""
    path: str = scope.get("path", "")
    return path.startswith("/health/") or path == "/metrics"


class UntracedMiddleware:
    """Keeps the queries of untraced requests (readiness asks the database) out of the
    traces too, instead of each becoming a trace of its own."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and untraced(scope):
            with suppress_instrumentation():
                await self.app(scope, receive, send)
            return
        await self.app(scope, receive, send)


def new_provider(settings: TracingSettings, endpoint: str) -> TracerProvider:
    """A provider that batches spans to the OTLP/HTTP endpoint; the sampler and the batch
    sizes come from the SDK's own variables (`OTEL_TRACES_SAMPLER`, `OTEL_BSP_*`)."""
    headers = settings.exporter_otlp_headers
    exporter = OTLPSpanExporter(
        endpoint=endpoint,
        headers=parse_env_headers(headers.get_secret_value(), liberal=True) if headers else None,
    )
    # Resource.create adds OTEL_RESOURCE_ATTRIBUTES (service.version, deployment.environment.name).
    provider = TracerProvider(resource=Resource.create({SERVICE_NAME: settings.service_name}))
    provider.add_span_processor(BatchSpanProcessor(exporter))
    return provider


class TracingExtension(Extension):
    """Spans for every request (but probes), its queries and its outgoing httpx calls.

    Off (nothing installed, no cost) unless an OTLP endpoint is set. A test passes a provider
    of its own (an in-memory exporter); the one built from the settings becomes the
    process's global provider, so spans the code starts itself (`trace.get_tracer(__name__)`)
    join the request's trace.
    """

    def __init__(
        self,
        settings: TracingSettings | None = None,
        *,
        tracer_provider: TracerProvider | None = None,
    ) -> None:
        settings = settings or TracingSettings()
        endpoint = settings.traces_endpoint()
        self.owns_provider = tracer_provider is None and endpoint is not None
        if tracer_provider is None and endpoint is not None:
            tracer_provider = new_provider(settings, endpoint)
        self.provider = tracer_provider

    def telemetry(self) -> TelemetryConfig:
        if self.provider is None:
            return {}
        # FastAPI's own server span: named by route template (`GET /api/v1/items/{item_id}`),
        # with spans for dependencies, the endpoint and serialisation inside it.
        return {"tracing": True, "tracer_provider": self.provider, "exclude": untraced}

    def install(self, app: FastAPI) -> None:
        if self.provider is not None:
            app.add_middleware(UntracedMiddleware)

    @asynccontextmanager
    async def running(self, app: FastAPI) -> AsyncIterator[None]:
        provider = self.provider
        if provider is None:
            yield
            return
        if self.owns_provider:
            trace.set_tracer_provider(provider)
        # The instrumentation declares SQLAlchemy below 2.1 as its range, behind the releases:
        # the check is skipped, and this project's tests check the spans on the installed one.
        SQLAlchemyInstrumentor().instrument(
            engine=app.state.database.engine.sync_engine,
            tracer_provider=provider,
            skip_dep_check=True,
        )
        # Outgoing calls of any httpx client, when httpx is installed (a test dependency here).
        outgoing = HTTPXClientInstrumentor() if find_spec("httpx") else None
        if outgoing is not None:
            outgoing.instrument(tracer_provider=provider)
        try:
            yield
        finally:
            if outgoing is not None:
                outgoing.uninstrument()
            SQLAlchemyInstrumentor().uninstrument()
            if self.owns_provider:
                # Sends the spans still batched; it waits on the network, so off the loop.
                await asyncio.to_thread(provider.shutdown)
