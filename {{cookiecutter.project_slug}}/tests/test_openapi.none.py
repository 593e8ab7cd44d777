"""The OpenAPI schema reads well to a client generator: short, unique operation ids, and no
security scheme, as nothing here asks for credentials."""

import re

from httpx import AsyncClient

OPERATION_ID = re.compile(r"[a-z]+(-[a-z]+)+")


async def test_operation_ids_are_unique_and_readable(client: AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()
    ids = [
        operation["operationId"] for path in schema["paths"].values() for operation in path.values()
    ]
    assert len(ids) == len(set(ids))
    unreadable = [operation_id for operation_id in ids if not OPERATION_ID.fullmatch(operation_id)]
    assert unreadable == []
    assert {"items-list", "items-read", "projects-create", "projects-list"} <= set(ids)


async def test_no_security_scheme_and_no_401(client: AsyncClient) -> None:
    """A backend behind a gateway: the schema promises no login and documents no 401."""
    schema = (await client.get("/openapi.json")).json()
    assert "securitySchemes" not in schema.get("components", {})
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert "security" not in operation, f"{method} {path}"
            assert "401" not in operation["responses"], f"{method} {path}"
    assert not any(path.startswith(("/api/v1/auth", "/api/v1/users")) for path in schema["paths"])


async def test_resources_carry_no_owner(client: AsyncClient) -> None:
    schemas = (await client.get("/openapi.json")).json()["components"]["schemas"]
    for name in ("ItemRead", "ProjectRead", "ItemCreate", "ProjectCreate"):
        assert "owner_id" not in schemas[name]["properties"], name
