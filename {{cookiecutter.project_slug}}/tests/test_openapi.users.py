"""The OpenAPI schema reads well to a client generator: short, unique operation ids."""

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
    assert {"auth-login", "items-list", "items-read", "projects-create", "users-read-me"} <= set(
        ids
    )


async def test_returned_addresses_are_not_promised_as_format_email(client: AsyncClient) -> None:
    """Stored addresses may be internationalised (`straße@…`), which `format: email` excludes."""
    schema = (await client.get("/openapi.json")).json()
    email = schema["components"]["schemas"]["UserRead"]["properties"]["email"]
    assert email["type"] == "string"
    assert "format" not in email
