"""Items: CRUD, paginated and filtered lists, a reference to a project."""

import uuid
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import String, event, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession

from app.items.models import Item
from tests.conftest import database_of

ITEMS = "/api/v1/items"


async def create_item(client: AsyncClient, **fields: object) -> dict[str, Any]:
    body = {"title": "Milk", "description": "Two litres", "tags": ["food"], **fields}
    response = await client.post(ITEMS, json=body)
    assert response.status_code == 201, response.text
    item: dict[str, Any] = response.json()
    return item


async def test_create_item(client: AsyncClient) -> None:
    item = await create_item(client, tags=["food", "dairy"])
    assert item["title"] == "Milk"
    assert item["tags"] == ["food", "dairy"]
    assert "owner_id" not in item


async def test_create_item_defaults(client: AsyncClient) -> None:
    response = await client.post(ITEMS, json={"title": "Bread"})
    assert response.status_code == 201
    assert response.json()["description"] == ""
    assert response.json()["tags"] == []
    assert response.json()["status"] == "todo"
    assert response.json()["project"] is None


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"title": ""},
        {"title": "x" * 201},
        {"title": "ok", "tags": ["x" * 51]},
        {"title": "ok", "tags": [f"t{i}" for i in range(21)]},
        {"title": "ok", "owner_id": str(uuid.UUID(int=1))},
        {"title": "ok", "tags": "food"},
        {"title": "a\x00b"},
        {"title": "ok", "project_id": "not-a-uuid"},
    ],
    ids=[
        "empty",
        "blank-title",
        "long-title",
        "long-tag",
        "many-tags",
        "owner",
        "tags-type",
        "nul",
        "bad-project-id",
    ],
)
async def test_create_item_validates_input(client: AsyncClient, body: dict[str, object]) -> None:
    response = await client.post(ITEMS, json=body)
    assert response.status_code == 422
    assert response.json()["code"] == "VALIDATION_ERROR"


async def test_read_item(client: AsyncClient) -> None:
    item = await create_item(client)
    response = await client.get(f"{ITEMS}/{item['id']}")
    assert response.status_code == 200
    assert response.json() == item


async def test_read_missing_item(client: AsyncClient) -> None:
    response = await client.get(f"{ITEMS}/{uuid.uuid4()}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Item not found.", "code": "NOT_FOUND"}


async def test_a_malformed_id_is_a_422(client: AsyncClient) -> None:
    response = await client.get(f"{ITEMS}/not-a-uuid")
    assert response.status_code == 422


async def test_update_item(client: AsyncClient) -> None:
    item = await create_item(client)
    response = await client.patch(f"{ITEMS}/{item['id']}", json={"title": "Oat milk", "tags": []})
    assert response.status_code == 200
    updated = response.json()
    assert updated["title"] == "Oat milk"
    assert updated["tags"] == []
    assert updated["description"] == "Two litres"
    assert updated["updated_at"] >= item["updated_at"]


@pytest.mark.parametrize(
    "body",
    [{"title": ""}, {"owner_id": str(uuid.UUID(int=1))}, {"status": None}, {"tags": None}],
    ids=["blank-title", "owner", "null-status", "null-tags"],
)
async def test_update_item_validates_input(client: AsyncClient, body: dict[str, object]) -> None:
    item = await create_item(client)
    response = await client.patch(f"{ITEMS}/{item['id']}", json=body)
    assert response.status_code == 422


async def test_update_missing_item(client: AsyncClient) -> None:
    response = await client.patch(f"{ITEMS}/{uuid.uuid4()}", json={"title": "x"})
    assert response.status_code == 404


async def test_delete_item(client: AsyncClient) -> None:
    item = await create_item(client)
    response = await client.delete(f"{ITEMS}/{item['id']}")
    assert response.status_code == 204
    assert response.content == b""
    gone = await client.get(f"{ITEMS}/{item['id']}")
    assert gone.status_code == 404


async def test_delete_missing_item(client: AsyncClient) -> None:
    response = await client.delete(f"{ITEMS}/{uuid.uuid4()}")
    assert response.status_code == 404


async def test_list_is_newest_first(client: AsyncClient) -> None:
    titles = [f"Item {n}" for n in range(3)]
    for title in titles:
        await create_item(client, title=title)
    response = await client.get(ITEMS)
    assert response.status_code == 200
    page = response.json()
    assert page["total"] == 3
    assert [item["title"] for item in page["items"]] == list(reversed(titles))
    assert (page["limit"], page["offset"]) == (20, 0)


async def test_list_pages_are_disjoint_and_complete(client: AsyncClient) -> None:
    for n in range(5):
        await create_item(client, title=f"Item {n}")
    seen: list[str] = []
    for offset in (0, 2, 4):
        response = await client.get(ITEMS, params={"limit": 2, "offset": offset})
        assert response.json()["total"] == 5
        seen += [item["id"] for item in response.json()["items"]]
    assert len(seen) == len(set(seen)) == 5


@pytest.mark.parametrize(("offset", "count"), [(0, 0), (3, 3), (7, 3)])
async def test_a_page_with_no_rows_still_has_the_total(
    client: AsyncClient, offset: int, count: int
) -> None:
    """The total travels with the page's rows; an empty page (no items, or past the end)
    must still report it."""
    for n in range(count):
        await create_item(client, title=f"Item {n}")
    response = await client.get(ITEMS, params={"offset": offset})
    assert response.json()["items"] == []
    assert response.json()["total"] == count


async def test_list_filters_by_tag(client: AsyncClient) -> None:
    await create_item(client, title="Milk", tags=["food", "dairy"])
    await create_item(client, title="Soap", tags=["home"])
    response = await client.get(ITEMS, params={"tag": "dairy"})
    assert [item["title"] for item in response.json()["items"]] == ["Milk"]


async def test_list_searches_title_and_description(client: AsyncClient) -> None:
    await create_item(client, title="Garden hose", description="green")
    await create_item(client, title="Lamp", description="for the garden shed")
    await create_item(client, title="Chair", description="wooden")
    response = await client.get(ITEMS, params={"q": "garden"})
    assert sorted(item["title"] for item in response.json()["items"]) == ["Garden hose", "Lamp"]


async def test_filters_combine(client: AsyncClient) -> None:
    await create_item(client, title="Milk", tags=["food"], status="done")
    await create_item(client, title="Bread", tags=["food"])
    await create_item(client, title="Soap", tags=["home"], status="done")
    response = await client.get(ITEMS, params={"tag": "food", "status": "done"})
    assert [item["title"] for item in response.json()["items"]] == ["Milk"]
    assert response.json()["total"] == 1


@pytest.mark.parametrize(
    "needle",
    ["' OR 1=1 --", "%", "_", "\\", "Robert'); DROP TABLE item;--", "日本語", "\u202e"],
    ids=["or-1-1", "percent", "underscore", "backslash", "drop-table", "cjk", "rtl-override"],
)
async def test_filters_treat_input_as_data(client: AsyncClient, needle: str) -> None:
    await create_item(client, title="Plain")
    for params in ({"q": needle}, {"tag": needle}):
        response = await client.get(ITEMS, params=params)
        assert response.status_code == 200
        assert response.json()["total"] == 0
    assert (await client.get(ITEMS)).json()["total"] == 1


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"limit": 101},
        {"offset": -1},
        {"offset": 10**9},
        {"q": ""},
        {"status": "open"},
        {"project_id": "x"},
    ],
    ids=[
        "limit-0",
        "limit-101",
        "offset-negative",
        "offset-huge",
        "empty-q",
        "bad-status",
        "bad-project",
    ],
)
async def test_list_items_bounds(client: AsyncClient, params: dict[str, int | str]) -> None:
    response = await client.get(ITEMS, params=params)
    assert response.status_code == 422


async def test_an_owner_filter_is_not_a_parameter(client: AsyncClient) -> None:
    """No owners: the filter that users bakes give admins does not exist here."""
    await create_item(client)
    response = await client.get(ITEMS, params={"owner_id": str(uuid.uuid4())})
    assert response.json()["total"] == 1


# --- the patterns a real resource needs: enum, reference to another resource, PATCH --------


async def test_status_is_stored_by_value(client: AsyncClient, session: AsyncSession) -> None:
    item = await create_item(client, status="in_progress")
    assert item["status"] == "in_progress"
    # Read as plain text, past the enum type: the column holds the value, not the name.
    raw = type_coerce(Item.status, String)
    stored = await session.scalar(select(raw).where(Item.id == uuid.UUID(item["id"])))
    assert stored == "in_progress"


async def test_status_outside_the_enum_is_a_422(client: AsyncClient) -> None:
    response = await client.post(ITEMS, json={"title": "x", "status": "IN"})
    assert response.status_code == 422


async def test_list_filters_by_status(client: AsyncClient) -> None:
    await create_item(client, title="open")
    await create_item(client, title="closed", status="done")
    response = await client.get(ITEMS, params={"status": "done"})
    assert [item["title"] for item in response.json()["items"]] == ["closed"]


async def project_of(client: AsyncClient, name: str = "Home") -> str:
    response = await client.post("/api/v1/projects", json={"name": name})
    assert response.status_code == 201
    project_id: str = response.json()["id"]
    return project_id


async def test_an_item_shows_its_project(client: AsyncClient) -> None:
    project_id = await project_of(client)
    item = await create_item(client, project_id=project_id)
    assert item["project"] == {"id": project_id, "name": "Home"}
    read = await client.get(f"{ITEMS}/{item['id']}")
    assert read.json()["project"] == {"id": project_id, "name": "Home"}


async def test_list_filters_by_project(client: AsyncClient) -> None:
    home = await project_of(client, "Home")
    work = await project_of(client, "Work")
    await create_item(client, title="Sofa", project_id=home)
    await create_item(client, title="Desk", project_id=work)
    await create_item(client, title="Loose")
    response = await client.get(ITEMS, params={"project_id": work})
    assert [item["title"] for item in response.json()["items"]] == ["Desk"]


async def test_a_missing_project_cannot_be_used(client: AsyncClient) -> None:
    """The project is checked through the projects service: a 404 in its words."""
    missing = str(uuid.uuid4())
    response = await client.post(ITEMS, json={"title": "lost", "project_id": missing})
    assert response.status_code == 404
    assert response.json() == {"detail": "Project not found.", "code": "NOT_FOUND"}
    item = await create_item(client)
    moved = await client.patch(f"{ITEMS}/{item['id']}", json={"project_id": missing})
    assert moved.status_code == 404
    assert (await client.get(f"{ITEMS}/{item['id']}")).json()["project"] is None


async def test_an_item_moves_between_projects(client: AsyncClient) -> None:
    home = await project_of(client, "Home")
    work = await project_of(client, "Work")
    item = await create_item(client, project_id=home)
    moved = await client.patch(f"{ITEMS}/{item['id']}", json={"project_id": work})
    assert moved.json()["project"] == {"id": work, "name": "Work"}


async def test_patch_tells_absent_from_null(client: AsyncClient) -> None:
    project_id = await project_of(client)
    item = await create_item(client, project_id=project_id)
    url = f"{ITEMS}/{item['id']}"
    untouched = await client.patch(url, json={"title": "Renamed"})
    assert untouched.json()["project"] == {"id": project_id, "name": "Home"}
    cleared = await client.patch(url, json={"project_id": None})
    assert cleared.status_code == 200
    assert cleared.json()["project"] is None
    assert cleared.json()["title"] == "Renamed"
    refused = await client.patch(url, json={"title": None})
    assert refused.status_code == 422


async def test_list_loads_projects_without_a_query_per_row(
    client: AsyncClient, app: FastAPI
) -> None:
    for index in range(5):
        project_id = await project_of(client, f"project {index}")
        await create_item(client, project_id=project_id)
    statements: list[str] = []

    def record(*args: object) -> None:
        statements.append(str(args[2]))

    engine = database_of(app).engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        response = await client.get(ITEMS)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert {item["project"]["name"] for item in response.json()["items"]} == {
        f"project {index}" for index in range(5)
    }
    selects = [statement for statement in statements if statement.lstrip().startswith("SELECT")]
    # One page with its projects joined in and the total alongside.
    assert len(selects) == 1, selects
