"""The current user's own account, and user administration."""

import uuid

import pytest
from httpx import AsyncClient

from app.users.models import Role, User
from tests.conftest import PASSWORD, UserFactory

ME = "/api/v1/users/me"
USERS = "/api/v1/users"

Headers = dict[str, str]


async def test_read_me(client: AsyncClient, user: User, user_headers: Headers) -> None:
    response = await client.get(ME, headers=user_headers)
    assert response.status_code == 200
    assert response.json()["id"] == str(user.id)


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer nonsense"}, {"Authorization": "Basic abc"}],
    ids=["none", "invalid", "wrong-scheme"],
)
async def test_read_me_requires_a_token(client: AsyncClient, headers: Headers) -> None:
    response = await client.get(ME, headers=headers)
    assert response.status_code == 401
    assert response.json()["code"] == "NOT_AUTHENTICATED"


async def test_update_me_changes_name_and_email(client: AsyncClient, user_headers: Headers) -> None:
    response = await client.patch(
        ME, headers=user_headers, json={"full_name": "Alice A.", "email": "Alice2@example.com"}
    )
    assert response.status_code == 200
    assert response.json()["full_name"] == "Alice A."
    assert response.json()["email"] == "alice2@example.com"


async def test_update_me_changes_password(client: AsyncClient, user_headers: Headers) -> None:
    response = await client.patch(
        ME,
        headers=user_headers,
        json={"password": "a brand new password", "current_password": PASSWORD},
    )
    assert response.status_code == 200
    login = await client.post(
        "/api/v1/auth/login",
        data={"username": "alice@example.com", "password": "a brand new password"},
    )
    assert login.status_code == 200


@pytest.mark.parametrize(
    "current", [None, "not my password"], ids=["missing-current", "wrong-current"]
)
async def test_update_me_password_needs_the_current_one(
    client: AsyncClient, user_headers: Headers, current: str | None
) -> None:
    body = {"password": "a brand new password"}
    if current is not None:
        body["current_password"] = current
    response = await client.patch(ME, headers=user_headers, json=body)
    assert response.status_code == 403
    assert response.json()["code"] == "PERMISSION_DENIED"


async def test_update_me_refuses_a_taken_email(
    client: AsyncClient, user_headers: Headers, other_user: User
) -> None:
    response = await client.patch(ME, headers=user_headers, json={"email": other_user.email})
    assert response.status_code == 409


@pytest.mark.parametrize(
    "body",
    [{"role": "admin"}, {"is_active": True}, {"hashed_password": "x"}, {"email": "nope"}],
    ids=["role", "is-active", "hash", "bad-email"],
)
async def test_update_me_cannot_touch_privileged_fields(
    client: AsyncClient, user_headers: Headers, body: dict[str, object]
) -> None:
    response = await client.patch(ME, headers=user_headers, json=body)
    assert response.status_code == 422
    me = await client.get(ME, headers=user_headers)
    assert me.json()["role"] == "user"


async def test_update_me_requires_a_token(client: AsyncClient) -> None:
    response = await client.patch(ME, json={"full_name": "x"})
    assert response.status_code == 401


async def test_admin_lists_users_in_pages(
    client: AsyncClient, admin_headers: Headers, make_user: UserFactory
) -> None:
    for _ in range(3):
        await make_user()
    first = await client.get(USERS, headers=admin_headers, params={"limit": 2})
    assert first.status_code == 200
    page = first.json()
    assert page["total"] == 4
    assert page["limit"] == 2
    assert page["offset"] == 0
    assert len(page["items"]) == 2
    rest = await client.get(USERS, headers=admin_headers, params={"limit": 2, "offset": 2})
    ids = [u["id"] for u in page["items"]] + [u["id"] for u in rest.json()["items"]]
    assert len(set(ids)) == 4


async def test_admin_filters_users(
    client: AsyncClient, admin_headers: Headers, make_user: UserFactory
) -> None:
    await make_user(is_active=False)
    await make_user()
    admins = await client.get(USERS, headers=admin_headers, params={"role": "admin"})
    assert [u["role"] for u in admins.json()["items"]] == ["admin"]
    inactive = await client.get(USERS, headers=admin_headers, params={"is_active": "false"})
    assert inactive.json()["total"] == 1


@pytest.mark.parametrize(
    "params",
    [{"limit": 0}, {"limit": 101}, {"offset": -1}, {"offset": 10**9}, {"role": "root"}],
    ids=["limit-0", "limit-101", "offset-negative", "offset-huge", "bad-role"],
)
async def test_list_users_bounds(
    client: AsyncClient, admin_headers: Headers, params: dict[str, int | str]
) -> None:
    response = await client.get(USERS, headers=admin_headers, params=params)
    assert response.status_code == 422


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", USERS),
        ("GET", f"{USERS}/{uuid.UUID(int=1)}"),
        ("PATCH", f"{USERS}/{uuid.UUID(int=1)}"),
        ("POST", f"{USERS}/{uuid.UUID(int=1)}/deactivate"),
    ],
)
async def test_admin_endpoints_refuse_users(
    client: AsyncClient, user_headers: Headers, method: str, path: str
) -> None:
    response = await client.request(method, path, headers=user_headers, json={})
    assert response.status_code == 403
    assert response.json()["code"] == "PERMISSION_DENIED"


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", USERS), ("GET", f"{USERS}/{uuid.UUID(int=1)}")],
)
async def test_admin_endpoints_require_a_token(client: AsyncClient, method: str, path: str) -> None:
    response = await client.request(method, path)
    assert response.status_code == 401


async def test_admin_reads_a_user(client: AsyncClient, admin_headers: Headers, user: User) -> None:
    response = await client.get(f"{USERS}/{user.id}", headers=admin_headers)
    assert response.status_code == 200
    assert response.json()["email"] == user.email


async def test_admin_read_missing_user(client: AsyncClient, admin_headers: Headers) -> None:
    response = await client.get(f"{USERS}/{uuid.uuid4()}", headers=admin_headers)
    assert response.status_code == 404
    assert response.json()["code"] == "NOT_FOUND"


async def test_admin_read_rejects_a_malformed_id(
    client: AsyncClient, admin_headers: Headers
) -> None:
    response = await client.get(f"{USERS}/not-a-uuid", headers=admin_headers)
    assert response.status_code == 422


async def test_admin_updates_a_user(
    client: AsyncClient, admin_headers: Headers, user: User
) -> None:
    response = await client.patch(
        f"{USERS}/{user.id}", headers=admin_headers, json={"role": "admin", "full_name": "Boss"}
    )
    assert response.status_code == 200
    assert response.json()["role"] == "admin"
    assert response.json()["full_name"] == "Boss"


async def test_admin_update_missing_user(client: AsyncClient, admin_headers: Headers) -> None:
    response = await client.patch(
        f"{USERS}/{uuid.uuid4()}", headers=admin_headers, json={"full_name": "x"}
    )
    assert response.status_code == 404


async def test_admin_update_refuses_a_taken_email(
    client: AsyncClient, admin_headers: Headers, user: User, other_user: User
) -> None:
    response = await client.patch(
        f"{USERS}/{user.id}", headers=admin_headers, json={"email": other_user.email}
    )
    assert response.status_code == 409


@pytest.mark.parametrize(
    "body", [{"role": "user"}, {"is_active": False}], ids=["demote", "deactivate"]
)
async def test_admin_cannot_lock_themselves_out(
    client: AsyncClient, admin_headers: Headers, admin: User, body: dict[str, object]
) -> None:
    response = await client.patch(f"{USERS}/{admin.id}", headers=admin_headers, json=body)
    assert response.status_code == 409
    assert admin.role is Role.ADMIN


async def test_admin_deactivates_a_user(
    client: AsyncClient, admin_headers: Headers, user: User, user_headers: Headers
) -> None:
    response = await client.post(f"{USERS}/{user.id}/deactivate", headers=admin_headers)
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    # The user's still-valid access token stops working at once.
    me = await client.get(ME, headers=user_headers)
    assert me.status_code == 401


async def test_admin_deactivate_missing_user(client: AsyncClient, admin_headers: Headers) -> None:
    response = await client.post(f"{USERS}/{uuid.uuid4()}/deactivate", headers=admin_headers)
    assert response.status_code == 404
