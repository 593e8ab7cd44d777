"""Log lines carry the request id and the trace id, in JSON or text, and logging never fails."""

import json
import logging
from collections.abc import Iterator

import pytest
from opentelemetry import trace
from opentelemetry.trace import NonRecordingSpan, SpanContext

from app.core.logging import REQUEST_ID, configure_logging

TRACE_ID = 0x0AF7651916CD43DD8448EB211C80319C


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:], root.level = handlers, level


def emit(message: str) -> None:
    token = REQUEST_ID.set("0123456789abcdef0123456789abcdef")
    try:
        logging.getLogger("app.test").warning(message)
    finally:
        REQUEST_ID.reset(token)


def test_json_lines(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", json=True)
    emit("hello")
    captured = capsys.readouterr()
    line = json.loads(captured.out.strip().splitlines()[-1])
    assert line["message"] == "hello"
    assert line["level"] == "WARNING"
    assert line["request_id"] == "0123456789abcdef0123456789abcdef"
    assert line["trace_id"] == "-"  # no span: the field is there all the same
    assert "Logging error" not in captured.err


def test_lines_carry_the_current_trace_id(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", json=True)
    context = SpanContext(trace_id=TRACE_ID, span_id=0x1234, is_remote=False)
    with trace.use_span(NonRecordingSpan(context)):
        emit("inside a span")
    line = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert line["trace_id"] == f"{TRACE_ID:032x}"


def test_text_lines(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", json=False)
    emit("hello")
    captured = capsys.readouterr()
    assert "[0123456789abcdef0123456789abcdef -] app.test: hello" in captured.out
    assert "Logging error" not in captured.err


def test_access_log_stays_off_when_uvicorn_turned_it_off() -> None:
    access = logging.getLogger("uvicorn.access")
    access.handlers.clear()
    access.propagate = False
    configure_logging("INFO", json=True)
    assert not access.hasHandlers()


def test_json_lines_leave_out_uvicorns_coloured_copy(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", json=True)
    logging.getLogger("uvicorn.error").info(
        "Started server process [%d]", 1, extra={"color_message": "Started \x1b[36m%d\x1b[0m"}
    )
    line = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert line["message"] == "Started server process [1]"
    assert "color_message" not in line
    assert "\x1b" not in json.dumps(line)
