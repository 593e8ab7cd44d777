"""Logging set-up: one line per event, JSON in production, each carrying the request id."""

import logging
import sys

from asgi_correlation_id import CorrelationIdFilter
from pythonjsonlogger.json import JsonFormatter

# CorrelationIdFilter stores the id of the current request as `record.correlation_id`.
TEXT_FORMAT = "%(asctime)s %(levelname)-8s [%(correlation_id)s] %(name)s: %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s %(correlation_id)s"
JSON_NAMES = {"asctime": "time", "levelname": "level", "correlation_id": "request_id"}


def drop_color_message(record: logging.LogRecord) -> bool:
    """Uvicorn attaches a copy of its message with ANSI colours; JSON lines carry the plain one."""
    record.__dict__.pop("color_message", None)
    return True


def configure_logging(level: str, *, json: bool) -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.addFilter(CorrelationIdFilter(uuid_length=32, default_value="-"))
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
