"""Prometheus metrics: a registry per app, the request middleware, the pool collector and the
`/metrics` route (outside the API schema, and open: keep it off the public ingress).

Plain prometheus_client rather than prometheus-fastapi-instrumentator: the route template is
looked up from the route FastAPI already matched (the instrumentator matches each request
against the routes again, and wraps it in a Request), the pool gauges are a collector of our
own either way, and the whole is about a hundred lines with no further dependency.
"""

from fastapi import FastAPI, Request, Response
from prometheus_client import CollectorRegistry, ProcessCollector
from prometheus_client.exposition import choose_encoder

from app.core.extension import Extension
from app.metrics.middleware import RequestMetrics, RequestMetricsMiddleware
from app.metrics.pool import DatabasePoolCollector
from app.metrics.routes import RouteTemplates

METRICS_PATH = "/metrics"


class MetricsExtension(Extension):
    """Metrics of one app in a registry of its own (not prometheus_client's global one), so
    apps built side by side, as the tests build them, count separately."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()

    def install(self, app: FastAPI) -> None:
        registry = self.registry
        ProcessCollector(registry=registry)  # CPU, memory, open files of this process
        registry.register(DatabasePoolCollector(app))
        app.add_middleware(
            RequestMetricsMiddleware,
            metrics=RequestMetrics(registry),
            templates=RouteTemplates(app),
            skip_path=METRICS_PATH,
        )

        @app.get(METRICS_PATH, include_in_schema=False)
        async def metrics(request: Request) -> Response:
            encode, content_type = choose_encoder(request.headers.get("accept", ""))
            return Response(encode(registry), media_type=content_type)
