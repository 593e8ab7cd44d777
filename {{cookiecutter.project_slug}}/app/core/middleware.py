"""ASGI middleware: security headers on every response, early refusal of oversize bodies, and
HEAD for every GET."""

from starlette import status
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.errors import HTTP_STATUS_CODES, error_body

TOO_LARGE = status.HTTP_413_CONTENT_TOO_LARGE
TOO_LARGE_DETAIL = "The request body is too large."

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


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                # A header the response set itself wins, as with MutableHeaders.setdefault,
                # at a fraction of its cost on a path every response takes.
                headers = list(message.get("headers", ()))
                present = {name.lower() for name, _ in headers}
                headers.extend(pair for pair in RAW_SECURITY_HEADERS if pair[0] not in present)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodySizeLimitMiddleware:
    """Refuse request bodies over the limit with the standard 413, without buffering them.

    A declared Content-Length over the limit is answered before a byte is read; a body without
    one (chunked) is counted as it arrives and stopped when it passes the limit.
    """

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body_bytes:
            body = error_body(TOO_LARGE_DETAIL, HTTP_STATUS_CODES[TOO_LARGE])
            response = JSONResponse(body, status_code=TOO_LARGE)
            await response(scope, receive, send)
            return

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

        await self.app(scope, counting_receive, send)


class HeadAsGetMiddleware:
    """Answer HEAD on every GET route, as load balancers and monitors expect: the GET's status
    and headers, no body. (FastAPI routes answer HEAD with a 405 otherwise.)"""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_without_body)
