"""Logging set-up: one line per event, JSON in production, each carrying the request id and
the trace id (the same fields in every bake: "-" where there is none)."""

import logging
import sys
from contextvars import ContextVar

from opentelemetry import trace
from pythonjsonlogger.json import JsonFormatter

# The id of the request being handled (set by app/core/middleware.py), "-" outside requests.
REQUEST_ID: ContextVar[str] = ContextVar("request_id", default="-")

TEXT_FORMAT = "%(asctime)s %(levelname)-8s [%(request_id)s %(trace_id)s] %(name)s: %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(trace_id)s"
JSON_NAMES = {"asctime": "time", "levelname": "level"}


def add_request_id(record: logging.LogRecord) -> bool:
    record.request_id = REQUEST_ID.get()
    return True


def add_trace_id(record: logging.LogRecord) -> bool:
    """The trace id of the span being run (tracing on), as 32 hex digits."""
    context = trace.get_current_span().get_span_context()
    record.trace_id = format(context.trace_id, "032x") if context.is_valid else "-"
    return True


def drop_color_message(record: logging.LogRecord) -> bool:
    """Uvicorn attaches a copy of its message with ANSI colours; JSON lines carry the plain one."""
    record.__dict__.pop("color_message", None)
    return True


def configure_logging(level: str, *, json: bool) -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.addFilter(add_request_id)
    handler.addFilter(add_trace_id)
    handler.addFilter(drop_color_message)
    if json:
        handler.setFormatter(JsonFormatter(JSON_FIELDS, rename_fields=JSON_NAMES))
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Uvicorn's server logs go through the same handler, so every line has one format.
    for name in ("uvicorn", "uvicorn.error"):
        uvicorn_logger = logging.getLogger(name)
        uvicorn_logger.handlers.clear()
        uvicorn_logger.propagate = True
    # The access log stays as uvicorn was told (`--no-access-log` in production): only
    # its format changes, and only when it is on.
    access_logger = logging.getLogger("uvicorn.access")
    if access_logger.handlers:
        access_logger.handlers[:] = [handler]
