"""Concurrent requests, each in its own committed transaction, as under real load."""

import asyncio

from httpx import AsyncClient

PROJECTS = "/api/v1/projects"
ITEMS = "/api/v1/items"


async def test_one_project_name_created_fifty_times_at_once(
    committed_client: AsyncClient,
) -> None:
    body = {"name": "race"}
    responses = await asyncio.gather(
        *(committed_client.post(PROJECTS, json=body) for _ in range(50))
    )
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [201] + [409] * 49
    assert all(r.json()["code"] == "CONFLICT" for r in responses if r.status_code == 409)
    assert (await committed_client.get(PROJECTS)).json()["total"] == 1


async def test_concurrent_updates_leave_an_item_consistent(
    committed_client: AsyncClient,
) -> None:
    created = await committed_client.post(ITEMS, json={"title": "start", "tags": ["start"]})
    url = f"{ITEMS}/{created.json()['id']}"

    responses = await asyncio.gather(
        *(
            committed_client.patch(url, json={"title": f"v{n}", "tags": [f"v{n}"]})
            for n in range(20)
        )
    )
    assert {response.status_code for response in responses} == {200}
    final = (await committed_client.get(url)).json()
    # One writer won entirely: title and tags come from the same update.
    assert final["tags"] == [final["title"]]
    assert final["title"] in {f"v{n}" for n in range(20)}
