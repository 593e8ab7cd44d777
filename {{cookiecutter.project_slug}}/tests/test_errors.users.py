"""Every error, expected or not, has the same shape and never leaks internals."""

import uuid

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from sqlalchemy.orm import SessionTransaction

from app.core.errors import ErrorResponse


async def test_unknown_route(client: AsyncClient) -> None:
    response = await client.get("/no/such/route")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found", "code": "NOT_FOUND"}


async def test_wrong_method(client: AsyncClient) -> None:
    response = await client.put("/health/live")
    assert response.status_code == 405
    assert response.json()["code"] == "METHOD_NOT_ALLOWED"
    assert response.headers["allow"] == "GET, HEAD"


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("OPTIONS", "/api/v1/items", "GET, HEAD, POST"),
        ("PUT", f"/api/v1/items/{uuid.uuid4()}", "DELETE, GET, HEAD, PATCH"),
        ("DELETE", "/api/v1/auth/login", "POST"),
    ],
)
async def test_wrong_method_lists_every_method_of_the_path(
    client: AsyncClient, method: str, path: str, allowed: str
) -> None:
    response = await client.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == allowed


async def test_head_answers_every_get_route_without_a_body(
    client: AsyncClient, user_headers: dict[str, str]
) -> None:
    for path, headers in (("/health/live", {}), ("/api/v1/items", user_headers)):
        head = await client.head(path, headers=headers)
        get = await client.get(path, headers=headers)
        assert head.status_code == get.status_code == 200, path
        assert head.content == b""
        assert head.headers["content-type"] == get.headers["content-type"]


async def test_malformed_json(client: AsyncClient) -> None:
    response = await client.post(
        "/api/v1/auth/register", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["code"] == "VALIDATION_ERROR"


async def test_unexpected_error_is_a_generic_500(
    client: AsyncClient, app: FastAPI, caplog: pytest.LogCaptureFixture
) -> None:
    async def explode() -> None:
        raise RuntimeError("secret internal detail")

    app.add_api_route("/explode", explode)
    try:
        response = await client.get("/explode")
    finally:
        app.router.routes.pop()
    assert response.status_code == 500
    assert response.json() == {"detail": "Internal server error.", "code": "INTERNAL_ERROR"}
    assert "secret internal detail" not in response.text
    # Answered inside the middleware stack: it has the request id and the security headers,
    # and its traceback is logged once.
    assert len(response.headers["x-request-id"]) == 32
    assert response.headers["x-content-type-options"] == "nosniff"
    tracebacks = [record for record in caplog.records if record.exc_info]
    assert [record.getMessage() for record in tracebacks] == ["Unhandled error on GET /explode"]


async def test_an_unexpected_error_never_reaches_the_server(app: FastAPI) -> None:
    """Nothing escapes the app for uvicorn to log again or to drop the keep-alive connection."""

    async def explode() -> None:
        raise RuntimeError("boom")

    app.add_api_route("/explode-quietly", explode)
    transport = ASGITransport(app=app, raise_app_exceptions=True)
    try:
        async with AsyncClient(transport=transport, base_url="http://test") as strict:
            response = await strict.get("/explode-quietly")  # raised here if it escaped
    finally:
        app.router.routes.pop()
    assert response.status_code == 500


async def test_failed_commit_is_an_error_not_a_success(
    client: AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing_commit(self: SessionTransaction) -> None:
        raise RuntimeError("disk full")

    with monkeypatch.context() as patch:
        patch.setattr(SessionTransaction, "commit", failing_commit)
        response = await client.post(
            "/api/v1/auth/register",
            json={"email": "lost@example.com", "password": "long enough password"},
        )
    assert response.status_code == 500
    assert response.json()["code"] == "INTERNAL_ERROR"


async def test_responses_carry_a_request_id(client: AsyncClient) -> None:
    response = await client.get("/health/live", headers={"X-Request-ID": "a" * 32})
    assert response.headers["x-request-id"] == "a" * 32
    generated = await client.get("/health/live")
    assert len(generated.headers["x-request-id"]) == 32


@pytest.mark.parametrize(
    "given", ["a b", "x" * 65, 'id"; level=ERROR', ""], ids=["space", "long", "quote", "empty"]
)
async def test_a_request_id_that_could_break_log_lines_is_replaced(
    client: AsyncClient, given: str
) -> None:
    response = await client.get("/health/live", headers={"X-Request-ID": given})
    assert response.headers["x-request-id"] != given
    assert len(response.headers["x-request-id"]) == 32


async def test_openapi_documents_the_error_shape(client: AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()
    responses = schema["paths"]["/api/v1/items/{item_id}"]["get"]["responses"]
    for code in ("401", "404", "422"):
        ref = responses[code]["content"]["application/json"]["schema"]["$ref"]
        assert ref.endswith(f"/{ErrorResponse.__name__}")
