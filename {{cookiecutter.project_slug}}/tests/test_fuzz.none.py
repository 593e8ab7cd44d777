"""Property-based fuzzing: every operation of the OpenAPI schema.

Schemathesis generates valid and invalid requests from the schema; each is sent through the
test client (so it runs in the test's rolled-back transaction), and each response is checked:
no 5xx, and status, headers and body as documented. Run with `pytest -m fuzz`.
"""

import json

import pytest
from httpx import AsyncClient

from app.core.config import Settings
from app.main import create_app

OPENAPI = create_app(Settings(environment="test")).openapi()
ROUTES = [
    (method.upper(), path) for path, methods in OPENAPI["paths"].items() for method in methods
]


@pytest.mark.fuzz
@pytest.mark.parametrize(("method", "path"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
async def test_operation_survives_fuzzing(method: str, path: str, client: AsyncClient) -> None:
    from tests.fuzzing import fuzz_operation  # imported late: see tests/fuzzing.py

    await fuzz_operation(client, json.dumps(OPENAPI), method, path)
