"""What an optional part of the service plugs into: the template's options (Redis, metrics,
tracing, ...) are each one Extension, listed in `app/extensions.py`."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.telemetry import TelemetryConfig


class Extension:
    """One optional part, plugged in at four points; each does nothing unless overridden.

    An extension reads its own settings (a settings class in its own module), so adding one
    changes no shared settings and no other extension.
    """

    def telemetry(self) -> TelemetryConfig:
        """FastAPI's own OpenTelemetry settings to change (all off unless one asks)."""
        return {}

    def install(self, app: FastAPI) -> None:
        """Add middleware, routes or instrumentation while the app is built."""

    @asynccontextmanager
    async def running(self, app: FastAPI) -> AsyncIterator[None]:
        """Hold what the extension opens (clients, pools) for the app's lifetime."""
        yield

    async def check_ready(self, app: FastAPI) -> None:
        """Raise ServiceUnavailableError when a server this extension needs does not answer."""
