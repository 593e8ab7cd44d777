{%- set r = cookiecutter | resource -%}
{%- set ref = r.reference -%}
{%- set app_imports = ["from app.core.pagination import PageParams, Paginated", "from app.db.repository import Repository", "from app." ~ r.plural ~ ".models import " ~ r.model] -%}
"""Queries for {{ r.plural | replace('_', ' ') }}."""
{% if r.owned or ref %}
import uuid
{%- endif %}
{%- if ref %}
from collections.abc import Sequence
{%- endif %}
{%- if r.owned or ref %}
{% endif %}
from sqlalchemy import select
{%- if ref %}
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.interfaces import ORMOption
{%- endif %}
{% for line in app_imports | sort %}
{{ line }}
{%- endfor %}
{%- if ref %}

# Every read loads the {{ ref.singular | replace('_', ' ') }} in the same query (many-to-one, so a join adds no rows).
WITH_{{ ref.singular | upper }}: Sequence[ORMOption] = (joinedload({{ r.model }}.{{ ref.singular }}),)
{%- endif %}


class {{ r.model }}Repository(Repository[{{ r.model }}]):
    model = {{ r.model }}
{%- if ref %}

    async def get_with_{{ ref.singular }}(self, {{ r.singular }}_id: uuid.UUID) -> {{ r.model }} | None:
        return await self.get({{ r.singular }}_id, options=WITH_{{ ref.singular | upper }})
{%- endif %}

    async def list_page(
        self, params: PageParams{% if r.owned %}, *, owner_id: uuid.UUID | None{% endif %}{% if ref %}, {% if not r.owned %}*, {% endif %}{{ ref.column }}: uuid.UUID | None{% endif %}
    ) -> Paginated[{{ r.model }}]:
        statement = select({{ r.model }}).order_by({{ r.model }}.created_at.desc(), {{ r.model }}.id.desc())
{%- if r.owned %}
        if owner_id is not None:
            statement = statement.where({{ r.model }}.owner_id == owner_id)
{%- endif %}
{%- if ref %}
        if {{ ref.column }} is not None:
            statement = statement.where({{ r.model }}.{{ ref.column }} == {{ ref.column }})
{%- endif %}
        return await self.paginate(statement, params{% if ref %}, options=WITH_{{ ref.singular | upper }}{% endif %})
