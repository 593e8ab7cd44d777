"""Property-based fuzzing: every operation of the OpenAPI schema, as a user and as an admin.

Schemathesis generates valid and invalid requests from the schema; each is sent through the
test client (so it runs in the test's rolled-back transaction), and each response is checked:
no 5xx, and status, headers and body as documented. Run with `pytest -m fuzz`.
"""

import json

import pytest
from httpx import AsyncClient

from app.core.config import Settings
from app.main import create_app

OPENAPI = create_app(Settings(secret_key="schema-only", environment="test")).openapi()
ROUTES = [
    (method.upper(), path) for path, methods in OPENAPI["paths"].items() for method in methods
]


@pytest.mark.fuzz
@pytest.mark.parametrize("role", ["user", "admin"])
@pytest.mark.parametrize(("method", "path"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
async def test_operation_survives_fuzzing(
    method: str,
    path: str,
    role: str,
    client: AsyncClient,
    user_headers: dict[str, str],
    admin_headers: dict[str, str],
) -> None:
    from tests.fuzzing import fuzz_operation  # imported late: see tests/fuzzing.py

    headers = admin_headers if role == "admin" else user_headers
    await fuzz_operation(client, json.dumps(OPENAPI), method, path, headers)
