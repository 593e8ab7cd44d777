"""What an optional part of the service plugs into: the template's options (Redis, metrics,
tracing, ...) are each one Extension, listed in `app/extensions.py`."""

from collections.abc import AsyncIterator, Iterable
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


def replacing(extensions: Iterable[Extension], *replacements: Extension) -> list[Extension]:
    """The extensions, each swapped for the replacement of its own class: how a test gives one
    extension settings of its own while the app keeps every other one it was baked with."""
    pending = {type(replacement): replacement for replacement in replacements}
    swapped = [pending.pop(type(extension), extension) for extension in extensions]
    if pending:
        names = ", ".join(sorted(kind.__name__ for kind in pending))
        raise ValueError(f"not among the extensions: {names}")
    return swapped
