"""Sentry: one event per unexpected error, with its route, environment and release, and no
secret, token, password or e-mail address anywhere in what would be sent."""

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from fastapi import FastAPI
from pydantic import SecretStr
from sentry_sdk.envelope import Envelope
from sentry_sdk.transport import Transport

from app.core.config import Settings
from app.core.extension import Extension
from app.main import create_app
from app.sentry.config import SentrySettings
from app.sentry.extension import SentryExtension
from tests.conftest import make_client

ADDRESS = "alice.liddell@example.com"
PASSWORD = "correct-horse-battery-staple"
TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg"
COOKIE = "session-cookie-value-8d1f"
API_KEY = "api-key-value-77c2"
DATABASE_PASSWORD = "database-password-19ab"
SECRETS = (ADDRESS, PASSWORD, TOKEN, COOKIE, API_KEY, DATABASE_PASSWORD)


class KeepingTransport(Transport):
    """Keeps the envelopes Sentry would send, instead of sending them."""

    def __init__(self) -> None:
        super().__init__()
        self.envelopes: list[Envelope] = []

    def capture_envelope(self, envelope: Envelope) -> None:
        self.envelopes.append(envelope)

    def events(self) -> list[dict[str, Any]]:
        return [
            item.payload.json
            for envelope in self.envelopes
            for item in envelope.items
            if item.type == "event" and item.payload.json is not None
        ]


class FailingRoute(Extension):
    """A route that fails unexpectedly, with secrets in its variables, its message, its URL,
    its query string, its headers and its body."""

    def install(self, app: FastAPI) -> None:
        @app.post("/accounts/{account}/bill", include_in_schema=False)
        async def bill(account: str, payload: dict[str, str]) -> None:
            password = payload["password"]
            refresh_token = TOKEN
            database_url = f"postgresql+asyncpg://billing:{DATABASE_PASSWORD}@db:5432/billing"
            if password:  # in a variable only: no pattern knows a password in free text
                raise RuntimeError(f"billing {account} failed: {refresh_token} {database_url}")


@pytest.fixture
def transport() -> KeepingTransport:
    return KeepingTransport()


@pytest.fixture
async def reported_app(settings: Settings, transport: KeepingTransport) -> AsyncIterator[FastAPI]:
    sentry = SentryExtension(
        SentrySettings(_env_file=None, dsn=SecretStr("https://key@sentry.example.invalid/1")),
        transport=transport,
    )
    app = create_app(settings, [sentry, FailingRoute()])
    async with app.router.lifespan_context(app):
        yield app


async def fail(app: FastAPI) -> None:
    async with make_client(app) as client:
        response = await client.post(
            f"/accounts/{ADDRESS}/bill?access_token={TOKEN}",
            json={"email": ADDRESS, "password": PASSWORD},
            headers={
                "Authorization": f"Bearer {TOKEN}",
                "Cookie": f"session={COOKIE}",
                "X-Api-Key": API_KEY,
            },
        )
    assert response.status_code == 500
    assert response.json() == {"detail": "Internal server error.", "code": "INTERNAL_ERROR"}


async def test_an_unexpected_error_is_one_scrubbed_event(
    reported_app: FastAPI, transport: KeepingTransport, settings: Settings
) -> None:
    await fail(reported_app)
    [event] = transport.events()
    assert event["transaction"] == "/accounts/{account}/bill"
    assert event["environment"] == settings.environment
    assert event["release"] == settings.version
    [exception] = event["exception"]["values"]
    assert exception["type"] == "RuntimeError"
    assert exception["value"].startswith("billing [Filtered] failed:")
    assert event["request"]["headers"]["authorization"] == "[Filtered]"
    assert event["request"]["url"] == "http://test/accounts/[Filtered]/bill"
    sent = json.dumps(transport.events())
    for secret in SECRETS:
        assert secret not in sent
    assert "example.com" not in sent


async def test_client_errors_are_not_reported(
    reported_app: FastAPI, transport: KeepingTransport
) -> None:
    async with make_client(reported_app) as client:
        assert (await client.get("/no/such/path")).status_code == 404
        response = await client.post(f"/accounts/{ADDRESS}/bill", json={"password": 1})
        assert response.status_code == 422
    assert transport.events() == []


async def test_nothing_is_reported_without_a_dsn(
    settings: Settings, transport: KeepingTransport
) -> None:
    app = create_app(
        settings,
        [SentryExtension(SentrySettings(_env_file=None), transport=transport), FailingRoute()],
    )
    async with app.router.lifespan_context(app):
        await fail(app)
    assert transport.envelopes == []
