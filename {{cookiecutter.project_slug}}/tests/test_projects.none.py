"""Projects: a unique name reported as 409, CRUD, items outliving them."""

import uuid
from typing import Any

import pytest
from httpx import AsyncClient

from tests.test_items import ITEMS, create_item

PROJECTS = "/api/v1/projects"


async def create_project(
    client: AsyncClient, name: str = "Garden", **fields: object
) -> dict[str, Any]:
    response = await client.post(PROJECTS, json={"name": name, **fields})
    assert response.status_code == 201, response.text
    project: dict[str, Any] = response.json()
    return project


async def test_create_project(client: AsyncClient) -> None:
    project = await create_project(client, description="Vegetables")
    assert (project["name"], project["description"]) == ("Garden", "Vegetables")
    assert "owner_id" not in project


async def test_a_duplicate_name_is_a_409_in_the_error_shape(client: AsyncClient) -> None:
    await create_project(client)
    response = await client.post(PROJECTS, json={"name": "Garden"})
    assert response.status_code == 409
    assert response.json() == {
        "detail": "A project with this name already exists.",
        "code": "CONFLICT",
    }


async def test_renaming_onto_a_taken_name_is_a_409(client: AsyncClient) -> None:
    await create_project(client, "Garden")
    kitchen = await create_project(client, "Kitchen")
    url = f"{PROJECTS}/{kitchen['id']}"
    response = await client.patch(url, json={"name": "Garden"})
    assert response.status_code == 409
    renamed = await client.patch(url, json={"name": "Pantry"})
    assert renamed.json()["name"] == "Pantry"
    assert renamed.json()["description"] == ""


async def test_renaming_to_its_own_name_is_no_conflict(client: AsyncClient) -> None:
    project = await create_project(client)
    response = await client.patch(f"{PROJECTS}/{project['id']}", json={"name": "Garden"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "body",
    [{}, {"name": ""}, {"name": "x" * 101}, {"name": "a\x00b"}, {"name": "ok", "owner_id": "x"}],
    ids=["empty", "blank", "long", "nul", "owner"],
)
async def test_create_project_validates_input(client: AsyncClient, body: dict[str, object]) -> None:
    response = await client.post(PROJECTS, json=body)
    assert response.status_code == 422


async def test_patch_refuses_null_for_a_required_field(client: AsyncClient) -> None:
    project = await create_project(client)
    url = f"{PROJECTS}/{project['id']}"
    response = await client.patch(url, json={"name": None})
    assert response.status_code == 422


async def test_patch_changes_only_what_is_sent(client: AsyncClient) -> None:
    project = await create_project(client, description="Vegetables")
    url = f"{PROJECTS}/{project['id']}"
    response = await client.patch(url, json={"description": "Fruit"})
    assert (response.json()["name"], response.json()["description"]) == ("Garden", "Fruit")


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
async def test_a_missing_project_is_not_found(client: AsyncClient, method: str) -> None:
    body = {"name": "Anything"} if method == "PATCH" else None
    response = await client.request(method, f"{PROJECTS}/{uuid.uuid4()}", json=body)
    assert response.status_code == 404
    assert response.json() == {"detail": "Project not found.", "code": "NOT_FOUND"}


async def test_list_is_by_name(client: AsyncClient) -> None:
    for name in ("b", "c", "a"):
        await create_project(client, name)
    listed = (await client.get(PROJECTS)).json()
    assert [project["name"] for project in listed["items"]] == ["a", "b", "c"]
    assert listed["total"] == 3
    page = await client.get(PROJECTS, params={"limit": 1, "offset": 1})
    assert [project["name"] for project in page.json()["items"]] == ["b"]
    assert page.json()["total"] == 3


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 101}, {"offset": -1}])
async def test_list_projects_bounds(client: AsyncClient, params: dict[str, int]) -> None:
    assert (await client.get(PROJECTS, params=params)).status_code == 422


async def test_read_project(client: AsyncClient) -> None:
    project = await create_project(client)
    response = await client.get(f"{PROJECTS}/{project['id']}")
    assert response.status_code == 200
    assert response.json() == project


async def test_deleting_a_project_keeps_its_items(client: AsyncClient) -> None:
    project = await create_project(client)
    item = await create_item(client, project_id=project["id"])
    deleted = await client.delete(f"{PROJECTS}/{project['id']}")
    assert deleted.status_code == 204
    response = await client.get(f"{ITEMS}/{item['id']}")
    assert response.status_code == 200
    assert response.json()["project"] is None
    assert (await client.get(f"{PROJECTS}/{project['id']}")).status_code == 404
