"""Items: owner-scoped CRUD, paginated and filtered lists."""

import uuid
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import String, event, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession

from app.items.models import Item
from app.users.models import User
from tests.conftest import database_of

ITEMS = "/api/v1/items"

Headers = dict[str, str]


async def create_item(client: AsyncClient, headers: Headers, **fields: object) -> dict[str, Any]:
    body = {"title": "Milk", "description": "Two litres", "tags": ["food"], **fields}
    response = await client.post(ITEMS, headers=headers, json=body)
    assert response.status_code == 201, response.text
    item: dict[str, Any] = response.json()
    return item


async def test_create_item(client: AsyncClient, user: User, user_headers: Headers) -> None:
    item = await create_item(client, user_headers, tags=["food", "dairy"])
    assert item["owner_id"] == str(user.id)
    assert item["title"] == "Milk"
    assert item["tags"] == ["food", "dairy"]


async def test_create_item_defaults(client: AsyncClient, user_headers: Headers) -> None:
    response = await client.post(ITEMS, headers=user_headers, json={"title": "Bread"})
    assert response.status_code == 201
    assert response.json()["description"] == ""
    assert response.json()["tags"] == []


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
    ],
    ids=["empty", "blank-title", "long-title", "long-tag", "many-tags", "owner", "tags-type"],
)
async def test_create_item_validates_input(
    client: AsyncClient, user_headers: Headers, body: dict[str, object]
) -> None:
    response = await client.post(ITEMS, headers=user_headers, json=body)
    assert response.status_code == 422
    assert response.json()["code"] == "VALIDATION_ERROR"


async def test_create_item_requires_a_token(client: AsyncClient) -> None:
    response = await client.post(ITEMS, json={"title": "Milk"})
    assert response.status_code == 401


async def test_read_item(client: AsyncClient, user_headers: Headers) -> None:
    item = await create_item(client, user_headers)
    response = await client.get(f"{ITEMS}/{item['id']}", headers=user_headers)
    assert response.status_code == 200
    assert response.json() == item


async def test_read_missing_item(client: AsyncClient, user_headers: Headers) -> None:
    response = await client.get(f"{ITEMS}/{uuid.uuid4()}", headers=user_headers)
    assert response.status_code == 404
    assert response.json() == {"detail": "Item not found.", "code": "NOT_FOUND"}


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
async def test_another_users_item_is_not_found(
    client: AsyncClient, user_headers: Headers, other_headers: Headers, method: str
) -> None:
    item = await create_item(client, user_headers)
    response = await client.request(
        method, f"{ITEMS}/{item['id']}", headers=other_headers, json={"title": "Mine now"}
    )
    assert response.status_code == 404
    still = await client.get(f"{ITEMS}/{item['id']}", headers=user_headers)
    assert still.json()["title"] == "Milk"


async def test_admin_reads_any_item(
    client: AsyncClient, user_headers: Headers, admin_headers: Headers
) -> None:
    item = await create_item(client, user_headers)
    response = await client.get(f"{ITEMS}/{item['id']}", headers=admin_headers)
    assert response.status_code == 200


async def test_update_item(client: AsyncClient, user_headers: Headers) -> None:
    item = await create_item(client, user_headers)
    response = await client.patch(
        f"{ITEMS}/{item['id']}", headers=user_headers, json={"title": "Oat milk", "tags": []}
    )
    assert response.status_code == 200
    updated = response.json()
    assert updated["title"] == "Oat milk"
    assert updated["tags"] == []
    assert updated["description"] == "Two litres"
    assert updated["updated_at"] >= item["updated_at"]


@pytest.mark.parametrize(
    "body", [{"title": ""}, {"owner_id": str(uuid.UUID(int=1))}], ids=["blank-title", "owner"]
)
async def test_update_item_validates_input(
    client: AsyncClient, user_headers: Headers, body: dict[str, object]
) -> None:
    item = await create_item(client, user_headers)
    response = await client.patch(f"{ITEMS}/{item['id']}", headers=user_headers, json=body)
    assert response.status_code == 422


async def test_update_missing_item(client: AsyncClient, user_headers: Headers) -> None:
    response = await client.patch(
        f"{ITEMS}/{uuid.uuid4()}", headers=user_headers, json={"title": "x"}
    )
    assert response.status_code == 404


async def test_delete_item(client: AsyncClient, user_headers: Headers) -> None:
    item = await create_item(client, user_headers)
    response = await client.delete(f"{ITEMS}/{item['id']}", headers=user_headers)
    assert response.status_code == 204
    assert response.content == b""
    gone = await client.get(f"{ITEMS}/{item['id']}", headers=user_headers)
    assert gone.status_code == 404


async def test_delete_missing_item(client: AsyncClient, user_headers: Headers) -> None:
    response = await client.delete(f"{ITEMS}/{uuid.uuid4()}", headers=user_headers)
    assert response.status_code == 404


async def test_list_shows_only_own_items_newest_first(
    client: AsyncClient, user_headers: Headers, other_headers: Headers
) -> None:
    titles = [f"Item {n}" for n in range(3)]
    for title in titles:
        await create_item(client, user_headers, title=title)
    await create_item(client, other_headers, title="Not yours")
    response = await client.get(ITEMS, headers=user_headers)
    assert response.status_code == 200
    page = response.json()
    assert page["total"] == 3
    assert [item["title"] for item in page["items"]] == list(reversed(titles))


async def test_list_pages_are_disjoint_and_complete(
    client: AsyncClient, user_headers: Headers
) -> None:
    for n in range(5):
        await create_item(client, user_headers, title=f"Item {n}")
    seen: list[str] = []
    for offset in (0, 2, 4):
        response = await client.get(
            ITEMS, headers=user_headers, params={"limit": 2, "offset": offset}
        )
        assert response.json()["total"] == 5
        seen += [item["id"] for item in response.json()["items"]]
    assert len(seen) == len(set(seen)) == 5


@pytest.mark.parametrize(("offset", "count"), [(0, 0), (3, 3), (7, 3)])
async def test_a_page_with_no_rows_still_has_the_total(
    client: AsyncClient, user_headers: Headers, offset: int, count: int
) -> None:
    """The total travels with the page's rows; an empty page (no items, or past the end)
    must still report it."""
    for n in range(count):
        await create_item(client, user_headers, title=f"Item {n}")
    response = await client.get(ITEMS, headers=user_headers, params={"offset": offset})
    assert response.json()["items"] == []
    assert response.json()["total"] == count


async def test_admin_lists_everyone_or_one_owner(
    client: AsyncClient,
    user: User,
    user_headers: Headers,
    other_headers: Headers,
    admin_headers: Headers,
) -> None:
    await create_item(client, user_headers)
    await create_item(client, other_headers)
    everyone = await client.get(ITEMS, headers=admin_headers)
    assert everyone.json()["total"] == 2
    one = await client.get(ITEMS, headers=admin_headers, params={"owner_id": str(user.id)})
    assert [item["owner_id"] for item in one.json()["items"]] == [str(user.id)]


async def test_owner_filter_is_ignored_for_users(
    client: AsyncClient, other_user: User, user_headers: Headers, other_headers: Headers
) -> None:
    await create_item(client, other_headers)
    response = await client.get(
        ITEMS, headers=user_headers, params={"owner_id": str(other_user.id)}
    )
    assert response.json()["total"] == 0


async def test_list_filters_by_tag(client: AsyncClient, user_headers: Headers) -> None:
    await create_item(client, user_headers, title="Milk", tags=["food", "dairy"])
    await create_item(client, user_headers, title="Soap", tags=["home"])
    response = await client.get(ITEMS, headers=user_headers, params={"tag": "dairy"})
    assert [item["title"] for item in response.json()["items"]] == ["Milk"]


async def test_list_searches_title_and_description(
    client: AsyncClient, user_headers: Headers
) -> None:
    await create_item(client, user_headers, title="Garden hose", description="green")
    await create_item(client, user_headers, title="Lamp", description="for the garden shed")
    await create_item(client, user_headers, title="Chair", description="wooden")
    response = await client.get(ITEMS, headers=user_headers, params={"q": "garden"})
    assert sorted(item["title"] for item in response.json()["items"]) == ["Garden hose", "Lamp"]


@pytest.mark.parametrize(
    "needle",
    ["' OR 1=1 --", "%", "_", "\\", "Robert'); DROP TABLE item;--", "日本語", "\u202e"],
    ids=["or-1-1", "percent", "underscore", "backslash", "drop-table", "cjk", "rtl-override"],
)
async def test_filters_treat_input_as_data(
    client: AsyncClient, user_headers: Headers, needle: str
) -> None:
    await create_item(client, user_headers, title="Plain")
    for params in ({"q": needle}, {"tag": needle}):
        response = await client.get(ITEMS, headers=user_headers, params=params)
        assert response.status_code == 200
        assert response.json()["total"] == 0
    assert (await client.get(ITEMS, headers=user_headers)).json()["total"] == 1


@pytest.mark.parametrize(
    "params",
    [{"limit": 0}, {"limit": 101}, {"offset": -1}, {"offset": 10**9}, {"q": ""}, {"owner_id": "x"}],
    ids=["limit-0", "limit-101", "offset-negative", "offset-huge", "empty-q", "bad-owner"],
)
async def test_list_items_bounds(
    client: AsyncClient, user_headers: Headers, params: dict[str, int | str]
) -> None:
    response = await client.get(ITEMS, headers=user_headers, params=params)
    assert response.status_code == 422


async def test_list_items_requires_a_token(client: AsyncClient) -> None:
    response = await client.get(ITEMS)
    assert response.status_code == 401


# --- the patterns a real resource needs: enum, reference to another owned resource, PATCH --


async def test_status_is_stored_by_value(
    client: AsyncClient, user_headers: Headers, session: AsyncSession
) -> None:
    item = await create_item(client, user_headers, status="in_progress")
    assert item["status"] == "in_progress"
    # Read as plain text, past the enum type: the column holds the value, not the name.
    raw = type_coerce(Item.status, String)
    stored = await session.scalar(select(raw).where(Item.id == uuid.UUID(item["id"])))
    assert stored == "in_progress"


async def test_status_outside_the_enum_is_a_422(client: AsyncClient, user_headers: Headers) -> None:
    response = await client.post(ITEMS, headers=user_headers, json={"title": "x", "status": "IN"})
    assert response.status_code == 422


async def test_list_filters_by_status(client: AsyncClient, user_headers: Headers) -> None:
    await create_item(client, user_headers, title="open")
    await create_item(client, user_headers, title="closed", status="done")
    response = await client.get(ITEMS, headers=user_headers, params={"status": "done"})
    assert [item["title"] for item in response.json()["items"]] == ["closed"]


async def project_of(client: AsyncClient, headers: Headers, name: str = "Home") -> str:
    response = await client.post("/api/v1/projects", headers=headers, json={"name": name})
    assert response.status_code == 201
    project_id: str = response.json()["id"]
    return project_id


async def test_an_item_shows_its_project(client: AsyncClient, user_headers: Headers) -> None:
    project_id = await project_of(client, user_headers)
    item = await create_item(client, user_headers, project_id=project_id)
    assert item["project"] == {"id": project_id, "name": "Home"}
    read = await client.get(f"{ITEMS}/{item['id']}", headers=user_headers)
    assert read.json()["project"] == {"id": project_id, "name": "Home"}


async def test_another_users_project_cannot_be_used(
    client: AsyncClient, user_headers: Headers, other_headers: Headers
) -> None:
    theirs = await project_of(client, other_headers)
    response = await client.post(
        ITEMS, headers=user_headers, json={"title": "sneaky", "project_id": theirs}
    )
    assert response.status_code == 404
    assert response.json()["detail"] == "Project not found."
    item = await create_item(client, user_headers)
    moved = await client.patch(
        f"{ITEMS}/{item['id']}", headers=user_headers, json={"project_id": theirs}
    )
    assert moved.status_code == 404


async def test_an_admin_cannot_move_an_item_into_someone_elses_project(
    client: AsyncClient, user_headers: Headers, admin_headers: Headers
) -> None:
    admins = await project_of(client, admin_headers)
    item = await create_item(client, user_headers)
    response = await client.patch(
        f"{ITEMS}/{item['id']}", headers=admin_headers, json={"project_id": admins}
    )
    assert response.status_code == 404


async def test_patch_tells_absent_from_null(client: AsyncClient, user_headers: Headers) -> None:
    project_id = await project_of(client, user_headers)
    item = await create_item(client, user_headers, project_id=project_id)
    url = f"{ITEMS}/{item['id']}"
    untouched = await client.patch(url, headers=user_headers, json={"title": "Renamed"})
    assert untouched.json()["project"] == {"id": project_id, "name": "Home"}
    cleared = await client.patch(url, headers=user_headers, json={"project_id": None})
    assert cleared.status_code == 200
    assert cleared.json()["project"] is None
    assert cleared.json()["title"] == "Renamed"
    refused = await client.patch(url, headers=user_headers, json={"title": None})
    assert refused.status_code == 422


async def test_list_loads_projects_without_a_query_per_row(
    client: AsyncClient, user_headers: Headers, app: FastAPI
) -> None:
    for index in range(5):
        project_id = await project_of(client, user_headers, f"project {index}")
        await create_item(client, user_headers, project_id=project_id)
    statements: list[str] = []

    def record(*args: object) -> None:
        statements.append(str(args[2]))

    engine = database_of(app).engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        response = await client.get(ITEMS, headers=user_headers)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert {item["project"]["name"] for item in response.json()["items"]} == {
        f"project {index}" for index in range(5)
    }
    selects = [statement for statement in statements if statement.lstrip().startswith("SELECT")]
    # The user, and one page with its projects joined in and the total alongside.
    assert len(selects) == 2, selects
