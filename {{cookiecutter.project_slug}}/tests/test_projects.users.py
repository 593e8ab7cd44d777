"""Projects: a unique name per owner reported as 409, owner-scoped CRUD, items outliving them."""

from typing import Any

import pytest
from httpx import AsyncClient

from app.users.models import User
from tests.test_items import ITEMS, Headers, create_item

PROJECTS = "/api/v1/projects"


async def create_project(
    client: AsyncClient, headers: Headers, name: str = "Garden", **fields: object
) -> dict[str, Any]:
    response = await client.post(PROJECTS, headers=headers, json={"name": name, **fields})
    assert response.status_code == 201, response.text
    project: dict[str, Any] = response.json()
    return project


async def test_create_project(client: AsyncClient, user: User, user_headers: Headers) -> None:
    project = await create_project(client, user_headers, description="Vegetables")
    assert project["owner_id"] == str(user.id)
    assert (project["name"], project["description"]) == ("Garden", "Vegetables")


async def test_a_duplicate_name_is_a_409_in_the_error_shape(
    client: AsyncClient, user_headers: Headers
) -> None:
    await create_project(client, user_headers)
    response = await client.post(PROJECTS, headers=user_headers, json={"name": "Garden"})
    assert response.status_code == 409
    assert response.json() == {
        "detail": "You already have a project with this name.",
        "code": "CONFLICT",
    }


async def test_names_are_unique_per_owner_only(
    client: AsyncClient, user_headers: Headers, other_headers: Headers
) -> None:
    await create_project(client, user_headers)
    await create_project(client, other_headers)


async def test_renaming_onto_a_taken_name_is_a_409(
    client: AsyncClient, user_headers: Headers
) -> None:
    await create_project(client, user_headers, "Garden")
    kitchen = await create_project(client, user_headers, "Kitchen")
    url = f"{PROJECTS}/{kitchen['id']}"
    response = await client.patch(url, headers=user_headers, json={"name": "Garden"})
    assert response.status_code == 409
    renamed = await client.patch(url, headers=user_headers, json={"name": "Pantry"})
    assert renamed.json()["name"] == "Pantry"
    assert renamed.json()["description"] == ""


@pytest.mark.parametrize(
    "body",
    [{}, {"name": ""}, {"name": "x" * 101}, {"name": "a\x00b"}, {"name": "ok", "owner_id": "x"}],
    ids=["empty", "blank", "long", "nul", "owner"],
)
async def test_create_project_validates_input(
    client: AsyncClient, user_headers: Headers, body: dict[str, object]
) -> None:
    response = await client.post(PROJECTS, headers=user_headers, json=body)
    assert response.status_code == 422


async def test_patch_refuses_null_for_a_required_field(
    client: AsyncClient, user_headers: Headers
) -> None:
    project = await create_project(client, user_headers)
    url = f"{PROJECTS}/{project['id']}"
    response = await client.patch(url, headers=user_headers, json={"name": None})
    assert response.status_code == 422


async def test_another_users_project_is_not_found(
    client: AsyncClient, user_headers: Headers, other_headers: Headers
) -> None:
    project = await create_project(client, user_headers)
    url = f"{PROJECTS}/{project['id']}"
    for method in ("GET", "PATCH", "DELETE"):
        body = {"name": "Mine now"} if method == "PATCH" else None
        response = await client.request(method, url, headers=other_headers, json=body)
        assert response.status_code == 404, method
        assert response.json()["detail"] == "Project not found."


async def test_list_is_by_name_and_own_only(
    client: AsyncClient, user_headers: Headers, other_headers: Headers, admin_headers: Headers
) -> None:
    for name in ("b", "c", "a"):
        await create_project(client, user_headers, name)
    await create_project(client, other_headers, "theirs")
    mine = (await client.get(PROJECTS, headers=user_headers)).json()
    assert [project["name"] for project in mine["items"]] == ["a", "b", "c"]
    assert mine["total"] == 3
    everyone = (await client.get(PROJECTS, headers=admin_headers)).json()
    assert everyone["total"] == 4
    page = await client.get(PROJECTS, headers=user_headers, params={"limit": 1, "offset": 1})
    assert [project["name"] for project in page.json()["items"]] == ["b"]


async def test_admin_reads_any_project(
    client: AsyncClient, user_headers: Headers, admin_headers: Headers
) -> None:
    project = await create_project(client, user_headers)
    response = await client.get(f"{PROJECTS}/{project['id']}", headers=admin_headers)
    assert response.status_code == 200


async def test_deleting_a_project_keeps_its_items(
    client: AsyncClient, user_headers: Headers
) -> None:
    project = await create_project(client, user_headers)
    item = await create_item(client, user_headers, project_id=project["id"])
    deleted = await client.delete(f"{PROJECTS}/{project['id']}", headers=user_headers)
    assert deleted.status_code == 204
    response = await client.get(f"{ITEMS}/{item['id']}", headers=user_headers)
    assert response.status_code == 200
    assert response.json()["project"] is None


async def test_projects_require_a_token(client: AsyncClient) -> None:
    assert (await client.get(PROJECTS)).status_code == 401
