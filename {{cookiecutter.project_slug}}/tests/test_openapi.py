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
