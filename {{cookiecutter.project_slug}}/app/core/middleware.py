"""The outer layer every HTTP request passes through: a request id, security headers, a body
size limit, and HEAD for every GET.

One pure-ASGI middleware does all four in a single pass over the request head and a single
wrapper around `send`: each extra middleware layer costs every request another coroutine and
another closure, and these four run on every request the service answers. CORS, when
configured, is Starlette's, consulted only for requests that come with an Origin.
"""

import re
import secrets

from starlette import status
from starlette.exceptions import HTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.errors import HTTP_STATUS_CODES, error_body
from app.core.logging import REQUEST_ID

TOO_LARGE = status.HTTP_413_CONTENT_TOO_LARGE
TOO_LARGE_DETAIL = "The request body is too large."

REQUEST_ID_HEADER = b"x-request-id"
# A caller's id is kept when it is a plain token (a UUID, hex, a proxy's id); anything else
# (spaces, quotes, control characters, a kilobyte) could forge or break log lines: replaced.
ACCEPTED_REQUEST_ID = re.compile(rb"[0-9A-Za-z._-]{1,64}")

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "Cross-Origin-Opener-Policy": "same-origin",
}

# Encoded once: ASGI headers are (lower-case name, value) byte pairs.
RAW_SECURITY_HEADERS = [
    (name.lower().encode("latin-1"), value.encode("latin-1"))
    for name, value in SECURITY_HEADERS.items()
]


def new_request_id() -> str:
    return secrets.token_hex(16)


class EdgeMiddleware:
    """Per request:

    - **Request id**: the caller's `X-Request-ID` when it is acceptable, else a new one; set
      for every log line of the request and returned in the response header.
    - **Security headers** on every response; a header the response set itself wins.
    - **Body size limit**: a declared Content-Length over the limit is answered with the
      standard 413 before a byte is read; a body without one (chunked) is counted as it
      arrives and stopped when it passes the limit.
    - **HEAD** is answered as the GET would be, without the body, as load balancers and
      monitors expect (FastAPI routes answer HEAD with a 405 otherwise).
    """

    def __init__(self, app: ASGIApp, *, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given_id = declared_length = None
        for name, value in scope["headers"]:
            if name == REQUEST_ID_HEADER:
                given_id = value
            elif name == b"content-length":
                declared_length = value
        if given_id is not None and ACCEPTED_REQUEST_ID.fullmatch(given_id):
            request_id = given_id.decode("ascii")
        else:
            request_id = new_request_id()
        response_headers = [*RAW_SECURITY_HEADERS, (REQUEST_ID_HEADER, request_id.encode())]
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}

        async def send_at_the_edge(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                present = {name.lower() for name, _ in headers}
                headers.extend(pair for pair in response_headers if pair[0] not in present)
                message["headers"] = headers
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        token = REQUEST_ID.set(request_id)
        try:
            if declared_length is not None and self.too_large(declared_length):
                body = error_body(TOO_LARGE_DETAIL, HTTP_STATUS_CODES[TOO_LARGE])
                response = JSONResponse(body, status_code=TOO_LARGE)
                await response(scope, receive, send_at_the_edge)
                return
            await self.app(scope, self.counting(receive), send_at_the_edge)
        finally:
            REQUEST_ID.reset(token)

    def too_large(self, declared_length: bytes) -> bool:
        return declared_length.isdigit() and int(declared_length) > self.max_body_bytes

    def counting(self, receive: Receive) -> Receive:
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    # Raised while the handler reads the body, so the error handlers render it.
                    raise HTTPException(TOO_LARGE, TOO_LARGE_DETAIL)
            return message

        return counting_receive


class OriginCORSMiddleware(CORSMiddleware):
    """Starlette's CORS, asked only about requests that carry an `Origin` header.

    For any other request (a server-to-server call, a probe, curl) Starlette's only effect is
    `Vary: Origin` on the response, which this adds itself without parsing the request's
    headers into a `Headers` object and the response's into a `MutableHeaders`.
    """

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or any(name == b"origin" for name, _ in scope["headers"]):
            await super().__call__(scope, receive, send)
            return

        async def send_varying_on_origin(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = vary_on_origin(list(message.get("headers", ())))
            await send(message)

        await self.app(scope, receive, send_varying_on_origin)


def vary_on_origin(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """The headers with "Origin" added to Vary, as one header, the way Starlette's CORS does."""
    varying = [value for name, value in headers if name.lower() == b"vary"]
    kept = [pair for pair in headers if pair[0].lower() != b"vary"]
    return [*kept, (b"vary", b", ".join([*varying, b"Origin"]))]
