"""Domain errors, the one JSON shape every error response takes, and the handlers that build it."""

import logging
from typing import Any, ClassVar

from fastapi import FastAPI, Request, status
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import iter_route_contexts
from pydantic import BaseModel
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger(__name__)


class AppError(Exception):
    """Base of every error the services raise; the handler maps it to its status and code."""

    status_code = status.HTTP_400_BAD_REQUEST
    code = "BAD_REQUEST"
    detail = "The request cannot be processed."
    headers: ClassVar[dict[str, str] | None] = None

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail or self.detail)
        if detail is not None:
            self.detail = detail

    def response_headers(self) -> dict[str, str] | None:
        return self.headers


class NotFoundError(AppError):
    status_code = status.HTTP_404_NOT_FOUND
    code = "NOT_FOUND"
    detail = "The resource does not exist."


class ConflictError(AppError):
    status_code = status.HTTP_409_CONFLICT
    code = "CONFLICT"
    detail = "The resource conflicts with an existing one."


class AuthenticationError(AppError):
    status_code = status.HTTP_401_UNAUTHORIZED
    code = "NOT_AUTHENTICATED"
    detail = "Could not validate credentials."
    headers: ClassVar[dict[str, str] | None] = {"WWW-Authenticate": "Bearer"}


class PermissionDeniedError(AppError):
    status_code = status.HTTP_403_FORBIDDEN
    code = "PERMISSION_DENIED"
    detail = "You do not have permission to do this."


class TooManyRequestsError(AppError):
    """Over a rate limit; `retry_after` (seconds) goes out as the Retry-After header."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    code = "TOO_MANY_REQUESTS"
    detail = "Too many requests; try again later."

    def __init__(self, retry_after: int) -> None:
        super().__init__()
        self.retry_after = retry_after

    def response_headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


class ServiceUnavailableError(AppError):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    code = "SERVICE_UNAVAILABLE"
    detail = "The service is temporarily unavailable."


class DatabaseUnavailableError(ServiceUnavailableError):
    """The database refused, dropped or timed out a connection: worth a retry, not a 500.

    `reason` says what is wrong, for the log; clients get the generic detail.
    """

    detail = "The database is unreachable."

    def __init__(self, reason: str | None = None) -> None:
        super().__init__()
        self.reason = reason


class FieldError(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class ErrorResponse(BaseModel):
    """The body of every error response."""

    detail: str
    code: str
    errors: list[FieldError] | None = None


# Codes for errors Starlette raises itself (unknown route, wrong method, oversize body).
HTTP_STATUS_CODES = {
    status.HTTP_400_BAD_REQUEST: "BAD_REQUEST",
    status.HTTP_401_UNAUTHORIZED: "NOT_AUTHENTICATED",
    status.HTTP_403_FORBIDDEN: "PERMISSION_DENIED",
    status.HTTP_404_NOT_FOUND: "NOT_FOUND",
    status.HTTP_405_METHOD_NOT_ALLOWED: "METHOD_NOT_ALLOWED",
    status.HTTP_413_CONTENT_TOO_LARGE: "CONTENT_TOO_LARGE",
    status.HTTP_429_TOO_MANY_REQUESTS: "TOO_MANY_REQUESTS",
}

ERROR_DESCRIPTIONS = {
    status.HTTP_400_BAD_REQUEST: "The request body could not be decoded.",
    status.HTTP_413_CONTENT_TOO_LARGE: "The request body is larger than the service accepts.",
    status.HTTP_401_UNAUTHORIZED: "Missing, invalid or expired credentials.",
    status.HTTP_403_FORBIDDEN: "Authenticated, but not allowed to do this.",
    # Where resources have owners, another user's is reported the same way.
    status.HTTP_404_NOT_FOUND: "The resource was not found.",
    status.HTTP_409_CONFLICT: "Conflicts with an existing resource.",
    status.HTTP_429_TOO_MANY_REQUESTS: "Too many attempts; Retry-After says when to try again.",
    status.HTTP_422_UNPROCESSABLE_CONTENT: "The request failed validation.",
    status.HTTP_503_SERVICE_UNAVAILABLE: "A server the service needs is unavailable; try again.",
}


# Any route that reads input can answer these.
INPUT_ERRORS = (
    status.HTTP_400_BAD_REQUEST,
    status.HTTP_413_CONTENT_TOO_LARGE,
    status.HTTP_422_UNPROCESSABLE_CONTENT,
)


# What a route on one resource of a user's can answer: no token, or not found (or not theirs).
OWNED_RESOURCE_ERRORS = (status.HTTP_401_UNAUTHORIZED, status.HTTP_404_NOT_FOUND)


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` documenting the error shape for the given statuses."""
    return {
        code: {"model": ErrorResponse, "description": ERROR_DESCRIPTIONS[code]}
        for code in (*statuses, *INPUT_ERRORS)
    }


def error_body(detail: str, code: str, errors: list[FieldError] | None = None) -> dict[str, Any]:
    return ErrorResponse(detail=detail, code=code, errors=errors).model_dump(exclude_none=True)


async def handle_app_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)  # noqa: S101 - registered for AppError only
    return JSONResponse(
        error_body(exc.detail, exc.code),
        status_code=exc.status_code,
        headers=exc.response_headers(),
    )


async def handle_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)  # noqa: S101
    # Only location, message and type: the rejected input may be a password.
    errors = [
        FieldError(loc=list(error["loc"]), msg=error["msg"], type=error["type"])
        for error in exc.errors()
    ]
    return JSONResponse(
        jsonable_encoder(error_body("The request failed validation.", "VALIDATION_ERROR", errors)),
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
    )


async def handle_http_exception(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)  # noqa: S101
    code = HTTP_STATUS_CODES.get(exc.status_code, "HTTP_ERROR")
    headers = exc.headers
    if exc.status_code == status.HTTP_405_METHOD_NOT_ALLOWED:
        headers = {**(headers or {}), "Allow": allowed_methods(request)}
    return JSONResponse(
        error_body(str(exc.detail), code), status_code=exc.status_code, headers=headers
    )


def allowed_methods(request: Request) -> str:
    """Every method some route of this path answers (the router names only one route's)."""
    state = request.app.state
    if not hasattr(state, "route_methods"):  # the app's routes, once
        state.route_methods = [
            (compile_path(context.path)[0], frozenset(getattr(context, "methods", None) or ()))
            for context in iter_route_contexts(request.app.routes)
            if context.path
        ]
    path = request.scope["path"]
    methods = {
        method for regex, found in state.route_methods if regex.match(path) for method in found
    }
    if "GET" in methods:
        methods.add("HEAD")  # EdgeMiddleware answers it
    return ", ".join(sorted(methods))


async def handle_database_unavailable(request: Request, exc: Exception) -> JSONResponse:
    reason = exc.reason if isinstance(exc, DatabaseUnavailableError) else None
    cause = exc.__cause__ if isinstance(exc, DatabaseUnavailableError) else exc
    logger.warning("Database unavailable: %s", reason or type(cause or exc).__name__)
    error = DatabaseUnavailableError()
    return JSONResponse(error_body(error.detail, error.code), status_code=error.status_code)


async def handle_dbapi_error(request: Request, exc: Exception) -> JSONResponse:
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return await handle_database_unavailable(request, exc)
    raise exc  # any other database error is unexpected: UnexpectedErrorMiddleware answers it


class UnexpectedErrorMiddleware:
    """Answer an unexpected exception with the standard 500, inside the middleware stack.

    Starlette would answer it from its outermost layer, past the request id and the security
    headers, and then re-raise it: the server would log the traceback a second time and drop
    a keep-alive connection without saying so. Here it is logged once, and the connection lives.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            if started:  # too late for an error response: let the server end the connection
                raise
            logger.exception("Unhandled error on %s %s", scope["method"], scope["path"])
            body = error_body("Internal server error.", "INTERNAL_ERROR")
            response = JSONResponse(body, status_code=status.HTTP_500_INTERNAL_SERVER_ERROR)
            await response(scope, receive, send)


def register_error_handlers(app: FastAPI) -> None:
    # Added before any other middleware, so innermost: its 500 gets their headers too.
    app.add_middleware(UnexpectedErrorMiddleware)
    app.add_exception_handler(DatabaseUnavailableError, handle_database_unavailable)
    app.add_exception_handler(AppError, handle_app_error)
    app.add_exception_handler(RequestValidationError, handle_validation_error)
    app.add_exception_handler(StarletteHTTPException, handle_http_exception)
    # SQLAlchemy's own types for a refused, dropped or timed-out connection and an exhausted
    # pool. The driver's bare socket errors are translated where the database is called
    # (app/core/database.py), so an unrelated TimeoutError stays a 500.
    for exc_type in (OperationalError, InterfaceError, PoolTimeoutError):
        app.add_exception_handler(exc_type, handle_database_unavailable)
    app.add_exception_handler(DBAPIError, handle_dbapi_error)
    # Any other exception: UnexpectedErrorMiddleware (above) answers it.
