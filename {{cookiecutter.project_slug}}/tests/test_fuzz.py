"""Property-based fuzzing: every operation of the OpenAPI schema, as a user and as an admin.

Schemathesis generates valid and invalid requests from the schema; each is sent through the
test client (so it runs in the test's rolled-back transaction), and each response is checked:
no 5xx, and status, headers and body as documented.
"""

import asyncio
from typing import Any

import pytest
import schemathesis
from httpx import AsyncClient, Response
from hypothesis import HealthCheck, given, strategies
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode
from schemathesis.checks import CheckFunction
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import positive_data_acceptance

from app.core.config import Settings
from app.main import create_app

EXAMPLES_PER_OPERATION = 100

# Checks left off, by operation, and why.
# positive_data_acceptance: JSON Schema's `email` format admits addresses that email-validator
# rightly refuses (reserved domains such as `.test` or `.invalid`), so a 422 there is correct.
EMAIL_BODIES = {
    "POST /api/v1/auth/register",
    "PATCH /api/v1/users/me",
    "PATCH /api/v1/users/{user_id}",
}

OPENAPI = create_app(Settings(secret_key="schema-only", environment="test")).openapi()
SCHEMA = schemathesis.openapi.from_dict(OPENAPI)
OPERATIONS: list[Any] = []
for result in SCHEMA.get_all_operations():
    assert isinstance(result, Ok), result  # an operation the schema cannot describe is a bug
    OPERATIONS.append(result.ok())


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


@pytest.mark.fuzz
@pytest.mark.parametrize("role", ["user", "admin"])
@pytest.mark.parametrize("operation", OPERATIONS, ids=[op.label for op in OPERATIONS])
async def test_operation_survives_fuzzing(
    operation: Any,
    role: str,
    client: AsyncClient,
    user_headers: dict[str, str],
    admin_headers: dict[str, str],
) -> None:
    headers = admin_headers if role == "admin" else user_headers
    loop = asyncio.get_running_loop()

    def send(case: schemathesis.Case[Any]) -> Response:
        kwargs = to_httpx(case.as_transport_kwargs(base_url="http://test", headers=headers))
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
    def fuzz(case: schemathesis.Case[Any]) -> None:
        excluded: list[CheckFunction] = (
            [positive_data_acceptance] if operation.label in EMAIL_BODIES else []
        )
        case.validate_response(send(case), excluded_checks=excluded)

    # Hypothesis drives a synchronous function: run it in a thread while the requests run here.
    await asyncio.to_thread(fuzz)
