"""Request metrics, taken by one pure-ASGI layer: two clock readings and a dictionary lookup
per request, no Request object, no extra task."""

from time import perf_counter

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.metrics.routes import RouteTemplates

# Any other method a client sends is counted as OTHER, so a made-up method adds no label value.
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class RequestMetrics:
    """The request metrics of one app, in that app's registry."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.requests = Counter(
            "http_requests",
            "HTTP requests answered, by method, route template and status.",
            ["method", "route", "status"],
            registry=registry,
        )
        self.duration = Histogram(
            "http_request_duration_seconds",
            "Time from a request's arrival to the end of its response, by method and route.",
            ["method", "route"],
            registry=registry,
        )
        self.in_progress = Gauge(
            "http_requests_in_progress",
            "Requests being handled now.",
            registry=registry,
        )
        # The labelled children, looked up once per label combination, not once per request.
        self.children: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        key = (method, route, status)
        children = self.children.get(key)
        if children is None:
            children = self.children[key] = (
                self.requests.labels(method, route, str(status)),
                self.duration.labels(method, route),
            )
        requests, duration = children
        requests.inc()
        duration.observe(seconds)


class RequestMetricsMiddleware:
    """Counts and times every HTTP request except the scrapes of `skip_path` itself."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        metrics: RequestMetrics,
        templates: RouteTemplates,
        skip_path: str,
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.templates = templates
        self.skip_path = skip_path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] == self.skip_path:
            await self.app(scope, receive, send)
            return
        status = 500  # if no response starts, the server answers the escaped error with a 500

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        in_progress = self.metrics.in_progress
        in_progress.inc()
        started = perf_counter()
        try:
            await self.app(scope, receive, send_noting_status)
        finally:
            elapsed = perf_counter() - started
            in_progress.dec()
            method = scope["method"] if scope["method"] in KNOWN_METHODS else "OTHER"
            self.metrics.observe(method, self.templates.of(scope), status, elapsed)
