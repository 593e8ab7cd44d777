"""Input limits and the headers every response carries."""

from collections.abc import AsyncIterator

import pytest
from httpx import AsyncClient
from starlette.responses import PlainTextResponse
from starlette.types import Receive, Scope, Send

from app.core.config import Settings
from app.core.middleware import SECURITY_HEADERS, EdgeMiddleware, vary_on_origin
from app.main import create_app
from tests.conftest import make_client

Headers = dict[str, str]


async def test_oversize_body_is_refused(client: AsyncClient, user_headers: Headers) -> None:
    body = b'{"title": "' + b"x" * 2_000_000 + b'"}'
    response = await client.post(
        "/api/v1/items",
        headers={**user_headers, "Content-Type": "application/json"},
        content=body,
    )
    assert response.status_code == 413
    assert response.json()["code"] == "CONTENT_TOO_LARGE"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/health/live"),
        ("GET", "/api/v1/users/me"),
        ("GET", "/no/such/route"),
        ("POST", "/api/v1/auth/register"),
    ],
)
async def test_security_headers_on_every_response(
    client: AsyncClient, method: str, path: str
) -> None:
    response = await client.request(method, path, json={})
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value


async def test_a_response_keeps_its_own_security_header() -> None:
    async def framed(scope: Scope, receive: Receive, send: Send) -> None:
        await PlainTextResponse("ok", headers={"X-Frame-Options": "SAMEORIGIN"})(
            scope, receive, send
        )

    async with make_client(EdgeMiddleware(framed, max_body_bytes=1024)) as client:
        response = await client.get("/")
    assert response.headers.get_list("x-frame-options") == ["SAMEORIGIN"]
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_cors_allows_listed_origins_only(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"cors_origins": ["https://app.example"]}))
    preflight = {"Access-Control-Request-Method": "GET"}
    async with make_client(app) as client:
        allowed = await client.options(
            "/health/live", headers={"Origin": "https://app.example", **preflight}
        )
        refused = await client.options(
            "/health/live", headers={"Origin": "https://evil.example", **preflight}
        )
    # Credentials go with the one listed origin, never with a wildcard.
    assert allowed.headers["access-control-allow-origin"] == "https://app.example"
    assert allowed.headers["access-control-allow-credentials"] == "true"
    assert "access-control-allow-origin" not in refused.headers


async def test_cors_varies_on_origin_whether_or_not_one_was_sent(settings: Settings) -> None:
    """A cache must not hand a response made without an Origin to a request with one."""
    app = create_app(settings.model_copy(update={"cors_origins": ["https://app.example"]}))
    async with make_client(app) as client:
        plain = await client.get("/health/live")
        from_browser = await client.get("/health/live", headers={"Origin": "https://app.example"})
    assert plain.headers.get_list("vary") == ["Origin"]
    assert "access-control-allow-origin" not in plain.headers
    assert from_browser.headers["access-control-allow-origin"] == "https://app.example"
    assert "Origin" in from_browser.headers["vary"]


def test_vary_on_origin_keeps_what_the_response_varies_on() -> None:
    headers = [(b"content-type", b"text/plain"), (b"Vary", b"Accept-Encoding")]
    assert vary_on_origin(headers) == [
        (b"content-type", b"text/plain"),
        (b"vary", b"Accept-Encoding, Origin"),
    ]
    assert vary_on_origin([]) == [(b"vary", b"Origin")]


async def test_oversize_chunked_body_is_refused(client: AsyncClient, user_headers: Headers) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"title": "'
        for _ in range(40):
            yield b"x" * 65536
        yield b'"}'

    response = await client.post(
        "/api/v1/items",
        headers={**user_headers, "Content-Type": "application/json"},
        content=chunks(),
    )
    assert response.status_code == 413
    assert response.json()["code"] == "CONTENT_TOO_LARGE"
