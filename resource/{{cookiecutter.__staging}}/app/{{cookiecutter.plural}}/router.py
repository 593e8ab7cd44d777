{%- set r = cookiecutter | resource -%}
{%- set ref = r.reference -%}
{%- set id = r.singular ~ "_id" -%}
{%- set app_imports = ["from app.core.dependencies import PageParamsDep", "from app.core.pagination import Page, Paginated", "from app." ~ r.plural ~ ".dependencies import " ~ r.model ~ "Reader, " ~ r.model ~ "Writer", "from app." ~ r.plural ~ ".models import " ~ r.model, "from app." ~ r.plural ~ ".schemas import " ~ r.model ~ "Create, " ~ r.model ~ "Read, " ~ r.model ~ "Update"] -%}
{%- if r.owned %}
{%- set _ = app_imports.append("from app.auth.dependencies import CurrentUser") -%}
{%- set _ = app_imports.append("from app.core.errors import OWNED_RESOURCE_ERRORS, error_responses") -%}
{%- set one = "*OWNED_RESOURCE_ERRORS" -%}
{%- set base = "status.HTTP_401_UNAUTHORIZED" -%}
{%- elif r.users %}
{%- set _ = app_imports.append("from app.auth.dependencies import get_current_user") -%}
{%- set _ = app_imports.append("from app.core.errors import error_responses") -%}
{%- set one = "status.HTTP_401_UNAUTHORIZED, status.HTTP_404_NOT_FOUND" -%}
{%- set base = "status.HTTP_401_UNAUTHORIZED" -%}
{%- else %}
{%- set _ = app_imports.append("from app.core.errors import error_responses") -%}
{%- set one = "status.HTTP_404_NOT_FOUND" -%}
{%- set base = "" -%}
{%- endif %}
{%- set user = ", user: CurrentUser" if r.owned else "" -%}
{%- set who = "user, " if r.owned else "" -%}
{%- set conflict = ", status.HTTP_409_CONFLICT" if r.unique else "" -%}
{%- set create_errors = (one if ref else base) ~ (conflict if (ref or base) else conflict[2:]) -%}
"""HTTP endpoints for {{ r.plural | replace('_', ' ') }}."""

import uuid
{%- if r.owned or ref %}
from typing import Annotated
{%- endif %}

from fastapi import APIRouter, {% if not r.owned and r.users %}Depends, {% endif %}{% if r.owned or ref %}Query, {% endif %}status
{% for line in app_imports | sort %}
{{ line }}
{%- endfor %}

{%- if r.users and not r.owned %}
router = APIRouter(
    prefix="/{{ r.plural }}",
    tags=["{{ r.plural }}"],
    # Shared by every user: any valid token may read and change them.
    dependencies=[Depends(get_current_user)],
)
{%- else %}
router = APIRouter(prefix="/{{ r.plural }}", tags=["{{ r.plural }}"])
{%- endif %}


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model={{ r.model }}Read,
    responses=error_responses({{ create_errors }}),
)
async def create_{{ r.singular }}(
    data: {{ r.model }}Create{{ user }}, {{ r.plural }}: {{ r.model }}Writer
) -> {{ r.model }}:
    return await {{ r.plural }}.create({{ who }}data)


@router.get("", response_model=Page[{{ r.model }}Read], responses=error_responses({{ base }}))
async def list_{{ r.plural }}(
{%- if r.owned %}
    user: CurrentUser,
{%- endif %}
    {{ r.plural }}: {{ r.model }}Reader,
    page: PageParamsDep,
{%- if ref %}
    {{ ref.column }}: Annotated[uuid.UUID | None, Query()] = None,
{%- endif %}
{%- if r.owned %}
    owner_id: Annotated[uuid.UUID | None, Query(description="Admins only: one owner.")] = None,
{%- endif %}
) -> Paginated[{{ r.model }}]:
    """{% if r.owned %}Your {{ r.plural | replace('_', ' ') }}, newest first. Admins see everyone's.{% else %}Every {{ r.singular | replace('_', ' ') }}, newest first.{% endif %}"""
    return await {{ r.plural }}.list_page(
        {{ who }}page{% if r.owned %}, owner_id=owner_id{% endif %}{% if ref %}, {{ ref.column }}={{ ref.column }}{% endif %}
    )


@router.get("/{{ '{' ~ id ~ '}' }}", response_model={{ r.model }}Read, responses=error_responses({{ one }}))
async def read_{{ r.singular }}(
    {{ id }}: uuid.UUID{{ user }}, {{ r.plural }}: {{ r.model }}Reader
) -> {{ r.model }}:
    return await {{ r.plural }}.get({{ who }}{{ id }})


@router.patch(
    "/{{ '{' ~ id ~ '}' }}",
    response_model={{ r.model }}Read,
    responses=error_responses({{ one }}{{ conflict }}),
)
async def update_{{ r.singular }}(
    {{ id }}: uuid.UUID, data: {{ r.model }}Update{{ user }}, {{ r.plural }}: {{ r.model }}Writer
) -> {{ r.model }}:
    return await {{ r.plural }}.update({{ who }}{{ id }}, data)


@router.delete(
    "/{{ '{' ~ id ~ '}' }}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses({{ one }}),
)
async def delete_{{ r.singular }}(
    {{ id }}: uuid.UUID{{ user }}, {{ r.plural }}: {{ r.model }}Writer
) -> None:
    await {{ r.plural }}.delete({{ who }}{{ id }})
