"""Schemathesis and Hypothesis, driving generated requests through the test client.

Only the fuzz tests import this module, and only when they run: schemathesis and hypothesis
take about a second to import, which the quick default run (`-m "not fuzz"`) does not pay.
"""

import asyncio
import json
from functools import cache
from typing import Any

import schemathesis
from httpx import AsyncClient, Response
from hypothesis import HealthCheck, given, strategies
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.schemas import OpenApiSchema

EXAMPLES_PER_OPERATION = 100


@cache
def load_schema(openapi_json: str) -> OpenApiSchema:
    schema = schemathesis.openapi.from_dict(json.loads(openapi_json))
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result  # an operation the schema cannot describe is a bug
    return schema


def to_httpx(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Schemathesis prepares `requests` arguments; httpx takes raw bodies as `content`."""
    request: dict[str, Any] = {
        key: kwargs[key] for key in ("method", "url", "headers", "params", "json") if key in kwargs
    }
    if isinstance(kwargs.get("data"), (bytes, str)):
        request["content"] = kwargs["data"]
    elif kwargs.get("data") is not None:
        request["data"] = kwargs["data"]
    if kwargs.get("files"):
        request["files"] = kwargs["files"]
    return request


async def fuzz_operation(client: AsyncClient, openapi_json: str, method: str, path: str) -> None:
    """Send generated valid and invalid requests to one operation; fail on any check."""
    operation = load_schema(openapi_json)[path][method]
    loop = asyncio.get_running_loop()

    def send(case: schemathesis.Case[Any]) -> Response:
        kwargs = to_httpx(case.as_transport_kwargs(base_url="http://test"))
        return asyncio.run_coroutine_threadsafe(client.request(**kwargs), loop).result(60)

    # Valid requests and invalid ones (wrong types, missing fields, out-of-range values).
    cases = strategies.one_of(
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    )

    @given(case=cases)
    @hypothesis_settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def check(case: schemathesis.Case[Any]) -> None:
        case.validate_response(send(case))

    # Hypothesis drives a synchronous function: run it in a thread while the requests run here.
    await asyncio.to_thread(check)
