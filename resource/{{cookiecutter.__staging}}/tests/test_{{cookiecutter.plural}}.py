{%- set r = cookiecutter | resource -%}
{%- set ref = r.reference -%}
{%- set URL = r.plural | upper -%}
{%- set s = r.singular -%}
{%- set first = r.fields[0] -%}
{%- set required = r.fields | rejectattr("optional") | list -%}
{%- set nullable = r.fields | selectattr("optional") | list -%}
{%- set P = ", user_headers: Headers" if r.users else "" -%}
{%- set p = ", user_headers" if r.users else "" -%}
{%- set kw = ", headers=user_headers" if r.users else "" -%}
"""{{ r.plural | replace('_', ' ') | capitalize }}: CRUD, validation, PATCH, pages{% if r.users %}, tokens{% endif %}{% if r.owned %}, owners{% endif %}{% if r.unique %}, unique fields{% endif %}{% if ref %}, the link{% endif %}."""

import itertools
{%- if ref or r.owned or true %}
import uuid
{%- endif %}
from typing import Any

import pytest
from httpx import AsyncClient
{%- if r.owned %}
from sqlalchemy.ext.asyncio import AsyncSession
{%- endif %}
{% if r.owned or ref %}
{%- set test_imports = [] -%}
{%- if r.owned %}{% set _ = test_imports.append("from app.users.models import User") %}{% set _ = test_imports.append("from app." ~ r.plural ~ ".errors import " ~ r.model ~ "NotFound") %}{% set _ = test_imports.append("from app." ~ r.plural ~ ".service import " ~ r.model ~ "Service") %}{% endif -%}
{%- if ref %}{% set _ = test_imports.append("from tests.test_" ~ ref.plural ~ " import create_" ~ ref.singular) %}{% endif %}
{%- for line in test_imports | sort %}
{{ line }}
{%- endfor %}
{% endif %}
{{ URL }} = "/api/v1/{{ r.plural }}"
{%- if r.users %}
Headers = dict[str, str]
{%- endif %}
NUMBERS = itertools.count(1)


def new_{{ s }}() -> dict[str, Any]:
    """A valid body, different from the last one's where a field must be unique."""
    n = next(NUMBERS)
    return {
{%- for item in r.fields %}
        "{{ item.name }}": {{ item.sample() }},
{%- endfor %}
    }


async def create_{{ s }}(
    client: AsyncClient, {% if r.users %}headers: Headers, {% endif %}**fields: object
) -> dict[str, Any]:
    response = await client.post({{ URL }}{% if r.users %}, headers=headers{% endif %}, json={**new_{{ s }}(), **fields})
    assert response.status_code == 201, response.text
    {{ s }}: dict[str, Any] = response.json()
    return {{ s }}


async def test_create_and_read(client: AsyncClient{% if r.owned %}, user: User{% endif %}{{ P }}) -> None:
    body = new_{{ s }}()
    created = await create_{{ s }}(client{{ p }}, **body)
    assert {key: created[key] for key in body} == body
{%- if r.owned %}
    assert created["owner_id"] == str(user.id)
{%- endif %}
    response = await client.get(f"{{ '{' ~ URL ~ '}' }}/{created['id']}"{{ kw }})
    assert response.status_code == 200
    assert response.json() == created


@pytest.mark.parametrize(
    ("field", "value"),
    [
{%- for item in r.fields %}
{%- for bad in item.bad_values() %}
        ("{{ item.name }}", {{ bad }}),
{%- endfor %}
{%- if not item.optional %}
        ("{{ item.name }}", None),
{%- endif %}
{%- endfor %}
        ("id", str(uuid.uuid4())),
{%- if r.owned %}
        ("owner_id", str(uuid.uuid4())),
{%- endif %}
    ],
)
async def test_create_refuses_bad_input(
    client: AsyncClient{{ P }}, field: str, value: object
) -> None:
    response = await client.post({{ URL }}{{ kw }}, json={**new_{{ s }}(), field: value})
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "VALIDATION_ERROR"
{%- if required %}


@pytest.mark.parametrize("field", [{% for item in required %}"{{ item.name }}"{% if not loop.last %}, {% endif %}{% endfor %}])
async def test_create_requires_each_required_field(
    client: AsyncClient{{ P }}, field: str
) -> None:
    body = new_{{ s }}()
    del body[field]
    response = await client.post({{ URL }}{{ kw }}, json=body)
    assert response.status_code == 422
{%- endif %}
{%- if nullable %}


async def test_optional_fields_may_be_left_out(client: AsyncClient{{ P }}) -> None:
    body = {key: value for key, value in new_{{ s }}().items() if key not in {{ '{' }}{% for item in nullable %}"{{ item.name }}"{% if not loop.last %}, {% endif %}{% endfor %}{{ '}' }}}
    response = await client.post({{ URL }}{{ kw }}, json=body)
    assert response.status_code == 201, response.text
{%- for item in nullable %}
    assert response.json()["{{ item.name }}"] is None
{%- endfor %}
{%- endif %}


async def test_patch_changes_only_the_fields_sent(client: AsyncClient{{ P }}) -> None:
    created = await create_{{ s }}(client{{ p }})
    change = {"{{ first.name }}": new_{{ s }}()["{{ first.name }}"]}
    response = await client.patch(f"{{ '{' ~ URL ~ '}' }}/{created['id']}"{{ kw }}, json=change)
    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated["{{ first.name }}"] == change["{{ first.name }}"]
    changed = {"{{ first.name }}", "updated_at"}
    assert {key: value for key, value in updated.items() if key not in changed} == {
        key: value for key, value in created.items() if key not in changed
    }
    empty = await client.patch(f"{{ '{' ~ URL ~ '}' }}/{created['id']}"{{ kw }}, json={})
    assert {key: value for key, value in empty.json().items() if key != "updated_at"} == {
        key: value for key, value in updated.items() if key != "updated_at"
    }
{%- if required %}


@pytest.mark.parametrize("field", [{% for item in required %}"{{ item.name }}"{% if not loop.last %}, {% endif %}{% endfor %}])
async def test_patch_refuses_null_where_a_value_is_required(
    client: AsyncClient{{ P }}, field: str
) -> None:
    created = await create_{{ s }}(client{{ p }})
    url = f"{{ '{' ~ URL ~ '}' }}/{created['id']}"
    response = await client.patch(url{{ kw }}, json={field: None})
    assert response.status_code == 422
    assert (await client.get(url{{ kw }})).json() == created
{%- endif %}
{%- if nullable %}


@pytest.mark.parametrize("field", [{% for item in nullable %}"{{ item.name }}"{% if not loop.last %}, {% endif %}{% endfor %}])
async def test_patch_null_clears_an_optional_field(
    client: AsyncClient{{ P }}, field: str
) -> None:
    created = await create_{{ s }}(client{{ p }})
    url = f"{{ '{' ~ URL ~ '}' }}/{created['id']}"
    response = await client.patch(url{{ kw }}, json={field: None})
    assert response.status_code == 200, response.text
    assert response.json()[field] is None
{%- endif %}


async def test_delete(client: AsyncClient{{ P }}) -> None:
    created = await create_{{ s }}(client{{ p }})
    url = f"{{ '{' ~ URL ~ '}' }}/{created['id']}"
    assert (await client.delete(url{{ kw }})).status_code == 204
    assert (await client.get(url{{ kw }})).status_code == 404
    assert (await client.delete(url{{ kw }})).status_code == 404


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
async def test_an_unknown_id_is_a_404_in_the_error_shape(
    client: AsyncClient{{ P }}, method: str
) -> None:
    url = f"{{ '{' ~ URL ~ '}' }}/{uuid.uuid4()}"
    response = await client.request(method, url{{ kw }}, json={} if method == "PATCH" else None)
    assert response.status_code == 404
    assert response.json() == {"detail": "{{ s | replace('_', ' ') | capitalize }} not found.", "code": "NOT_FOUND"}


async def test_list_is_newest_first_in_pages(client: AsyncClient{{ P }}) -> None:
    created = [await create_{{ s }}(client{{ p }}) for _ in range(3)]
    newest_first = [{{ s }}["id"] for {{ s }} in reversed(created)]
    first = (await client.get({{ URL }}{{ kw }}, params={"limit": 2})).json()
    assert [{{ s }}["id"] for {{ s }} in first["items"]] == newest_first[:2]
    assert (first["total"], first["limit"], first["offset"]) == (3, 2, 0)
    rest = (await client.get({{ URL }}{{ kw }}, params={"limit": 2, "offset": 2})).json()
    assert [{{ s }}["id"] for {{ s }} in rest["items"]] == newest_first[2:]
    past = (await client.get({{ URL }}{{ kw }}, params={"offset": 10})).json()
    assert (past["items"], past["total"]) == ([], 3)


@pytest.mark.parametrize(
    "params",
    [{"limit": 0}, {"limit": 101}, {"offset": -1}, {"offset": 100_001}, {"limit": "ten"}],
)
async def test_page_bounds_are_a_422(
    client: AsyncClient{{ P }}, params: dict[str, int | str]
) -> None:
    response = await client.get({{ URL }}{{ kw }}, params=params)
    assert response.status_code == 422
{%- if r.users %}


async def test_{{ r.plural }}_require_a_token(client: AsyncClient{{ P }}) -> None:
    created = await create_{{ s }}(client, user_headers)
    assert (await client.get({{ URL }})).status_code == 401
    assert (await client.post({{ URL }}, json=new_{{ s }}())).status_code == 401
    response = await client.get(f"{{ '{' ~ URL ~ '}' }}/{created['id']}")
    assert response.status_code == 401
    assert response.json()["code"] == "NOT_AUTHENTICATED"
{%- endif %}
{%- if r.owned %}


async def test_another_users_{{ s }}_is_not_found(
    client: AsyncClient, user_headers: Headers, other_headers: Headers, admin_headers: Headers
) -> None:
    created = await create_{{ s }}(client, user_headers)
    url = f"{{ '{' ~ URL ~ '}' }}/{created['id']}"
    for method in ("GET", "PATCH", "DELETE"):
        body: dict[str, object] | None = {} if method == "PATCH" else None
        response = await client.request(method, url, headers=other_headers, json=body)
        assert response.status_code == 404, method
    assert (await client.get({{ URL }}, headers=other_headers)).json()["total"] == 0
    assert (await client.get(url, headers=admin_headers)).status_code == 200
    assert (await client.get({{ URL }}, headers=admin_headers)).json()["total"] == 1


async def test_other_domains_link_only_to_the_owners_{{ s }}(
    client: AsyncClient, session: AsyncSession, user: User, other_user: User, user_headers: Headers
) -> None:
    """`get_for_owner`, what a resource that references {{ r.plural | replace('_', ' ') }} calls before linking."""
    created = uuid.UUID((await create_{{ s }}(client, user_headers))["id"])
    {{ r.plural }} = {{ r.model }}Service(session)
    assert (await {{ r.plural }}.get_for_owner(user.id, created)).id == created
    with pytest.raises({{ r.model }}NotFound):
        await {{ r.plural }}.get_for_owner(other_user.id, created)
{%- endif %}
{%- for item in r.unique %}


async def test_a_taken_{{ item.name }}_is_a_409(
    client: AsyncClient{{ P }}{% if r.owned %}, other_headers: Headers{% endif %}
) -> None:
    taken = await create_{{ s }}(client{{ p }})
    response = await client.post(
        {{ URL }}{{ kw }}, json={**new_{{ s }}(), "{{ item.name }}": taken["{{ item.name }}"]}
    )
    assert response.status_code == 409
    assert response.json() == {
        "detail": "{% if r.owned %}You already have{% else %}There is already{% endif %} a {{ s | replace('_', ' ') }} with this {{ item.name | replace('_', ' ') }}.",
        "code": "CONFLICT",
    }
    other = await create_{{ s }}(client{{ p }})
    url = f"{{ '{' ~ URL ~ '}' }}/{other['id']}"
    renamed = await client.patch(url{{ kw }}, json={"{{ item.name }}": taken["{{ item.name }}"]})
    assert renamed.status_code == 409
{%- if r.owned %}
    # Unique per owner: another user may use the same value.
    await create_{{ s }}(client, other_headers, {{ item.name }}=taken["{{ item.name }}"])
{%- endif %}
{%- endfor %}
{%- if ref %}


async def test_a_{{ s }}_links_to_a_{{ ref.singular }}(client: AsyncClient{{ P }}) -> None:
    {{ ref.singular }} = await create_{{ ref.singular }}(client{{ p }})
    created = await create_{{ s }}(client{{ p }}, {{ ref.column }}={{ ref.singular }}["id"])
    assert created["{{ ref.singular }}"]["id"] == {{ ref.singular }}["id"]
    await create_{{ s }}(client{{ p }})
    listed = await client.get({{ URL }}{{ kw }}, params={"{{ ref.column }}": {{ ref.singular }}["id"]})
    assert [{{ s }}["id"] for {{ s }} in listed.json()["items"]] == [created["id"]]
    assert listed.json()["items"][0]["{{ ref.singular }}"]["id"] == {{ ref.singular }}["id"]
    url = f"{{ '{' ~ URL ~ '}' }}/{created['id']}"
    unlinked = await client.patch(url{{ kw }}, json={"{{ ref.column }}": None})
    assert unlinked.json()["{{ ref.singular }}"] is None
    relinked = await client.patch(url{{ kw }}, json={"{{ ref.column }}": {{ ref.singular }}["id"]})
    assert relinked.json()["{{ ref.singular }}"]["id"] == {{ ref.singular }}["id"]


async def test_an_unknown_{{ ref.singular }}_is_a_404(client: AsyncClient{{ P }}) -> None:
    response = await client.post(
        {{ URL }}{{ kw }}, json={**new_{{ s }}(), "{{ ref.column }}": str(uuid.uuid4())}
    )
    assert response.status_code == 404
    assert response.json()["code"] == "NOT_FOUND"
    created = await create_{{ s }}(client{{ p }})
    url = f"{{ '{' ~ URL ~ '}' }}/{created['id']}"
    response = await client.patch(url{{ kw }}, json={"{{ ref.column }}": str(uuid.uuid4())})
    assert response.status_code == 404
{%- if r.owned and ref.owned %}


async def test_another_users_{{ ref.singular }}_is_a_404(
    client: AsyncClient, user_headers: Headers, other_headers: Headers
) -> None:
    theirs = await create_{{ ref.singular }}(client, other_headers)
    response = await client.post(
        {{ URL }}, headers=user_headers, json={**new_{{ s }}(), "{{ ref.column }}": theirs["id"]}
    )
    assert response.status_code == 404
    assert response.json()["code"] == "NOT_FOUND"
{%- endif %}
{%- endif %}
