"""The HTTP protocol the app is served with in production: uvicorn's httptools protocol, with
limits uvicorn lacks on each request's head (request line and headers).

Without them one client sending a 64 MiB header ties up the parser and the memory, and a few
thousand holding half-sent headers open run the server out of file descriptors: uvicorn
bounds neither the size of a request's head nor the time it may take to arrive.
Run: `uvicorn app.main:create_app --factory --http app.server:GuardedHttpToolsProtocol`.
"""

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from app.core.config import get_settings

TOO_LARGE = (
    b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
    b"content-length: 0\r\nconnection: close\r\n\r\n"
)


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    """Closes a connection whose next request head is larger than SERVER_MAX_HEAD_BYTES
    (after a 431) or takes longer than SERVER_HEAD_TIMEOUT_SECONDS to arrive."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        settings = get_settings()
        self.max_head_bytes = settings.server_max_head_bytes
        self.head_timeout = settings.server_head_timeout_seconds
        self.head_bytes = 0
        self.head_complete = True
        self.head_deadline = 0.0
        # One timer per connection, not one per request: a keep-alive connection serves
        # thousands of requests within one timeout, and each would otherwise arm and cancel one.
        self.head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.expect_head()

    def expect_head(self) -> None:
        """A new request head may start now: its size is counted and its time limited."""
        self.head_bytes = 0
        self.head_complete = False
        self.head_deadline = self.loop.time() + self.head_timeout
        if self.head_timer is None:
            self.head_timer = self.loop.call_at(self.head_deadline, self.check_head)

    def check_head(self) -> None:
        """At a deadline: close the connection if its head is still arriving; otherwise wait
        for the deadline of the head expected now, if one is."""
        self.head_timer = None
        if self.head_complete:  # a request is being answered; the next head re-arms the timer
            return
        if self.loop.time() >= self.head_deadline:
            self.transport.close()
            return
        self.head_timer = self.loop.call_at(self.head_deadline, self.check_head)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.head_complete or self.transport.is_closing():
            return
        self.head_bytes += len(data)
        if self.head_bytes > self.max_head_bytes:
            self.transport.write(TOO_LARGE)
            self.transport.close()

    def on_headers_complete(self) -> None:
        self.head_complete = True
        super().on_headers_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self.expect_head()  # the next request on this keep-alive connection

    def connection_lost(self, exc: Exception | None) -> None:
        if self.head_timer is not None:
            self.head_timer.cancel()
            self.head_timer = None
        super().connection_lost(exc)
