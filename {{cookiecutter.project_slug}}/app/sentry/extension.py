"""Sentry: started with the app when a DSN is set, flushed and closed when it stops."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import sentry_sdk
from fastapi import FastAPI
from sentry_sdk.transport import Transport

from app.core.config import Settings
from app.core.extension import Extension
from app.sentry.config import SentrySettings
from app.sentry.scrubbing import scrub_event

# How long the app's shutdown waits for events still queued.
FLUSH_SECONDS = 2.0


class SentryExtension(Extension):
    """Reports unexpected errors (the 500s, and any ERROR log line) to Sentry, each with its
    route (`/api/v1/items/{item_id}`), environment and release.

    Requests that end in a 4xx are the client's doing and are not reported. A test passes a
    transport of its own (one that keeps the events) instead of sending them.
    """

    def __init__(
        self,
        settings: SentrySettings | None = None,
        *,
        transport: type[Transport] | Transport | None = None,
    ) -> None:
        self.settings = settings or SentrySettings()
        self.transport = transport

    @asynccontextmanager
    async def running(self, app: FastAPI) -> AsyncIterator[None]:
        dsn = self.settings.dsn
        if dsn is None:
            yield
            return
        service: Settings = app.state.settings
        sentry_sdk.init(
            dsn=dsn.get_secret_value(),
            environment=self.settings.environment or service.environment,
            release=self.settings.release or service.version,
            # No user data, cookies, request bodies or frame variables (a variable holds the
            # raw request: its headers, its body); headers and query strings are sent with
            # their secrets filtered, and scrub_event blanks what looks like one elsewhere.
            data_collection={
                "user_info": False,
                "cookies": {"mode": "off"},
                "http_bodies": [],
                "stack_frame_variables": False,
            },
            before_send=scrub_event,
            # Errors only: request timing is the tracing option's job, and no sentry-trace or
            # baggage header (release, environment) goes out with the service's own calls.
            traces_sample_rate=None,
            trace_propagation_targets=[],
            transport=self.transport,
        )
        try:
            yield
        finally:
            # Waits for the queued events to be sent: off the event loop.
            await asyncio.to_thread(sentry_sdk.get_client().close, timeout=FLUSH_SECONDS)
