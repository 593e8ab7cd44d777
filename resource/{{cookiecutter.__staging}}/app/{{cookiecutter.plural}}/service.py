{%- set r = cookiecutter | resource -%}
{%- set ref = r.reference -%}
{%- set app_imports = ["from app.core.pagination import PageParams, Paginated", "from app." ~ r.plural ~ ".models import " ~ r.model, "from app." ~ r.plural ~ ".repository import " ~ r.model ~ "Repository", "from app." ~ r.plural ~ ".schemas import " ~ r.model ~ "Create, " ~ r.model ~ "Update"] -%}
{%- set repository_errors = (["DuplicateError"] if r.unique else []) + (["MissingReferenceError"] if r.racing else []) -%}
{%- if repository_errors %}{% set _ = app_imports.append("from app.db.repository import " ~ repository_errors | join(", ")) %}{% endif -%}
{%- if r.racing %}{% set _ = app_imports.append("from app." ~ ref.plural ~ ".errors import " ~ ref.not_found) %}{% endif -%}
{%- if r.owned %}{% set _ = app_imports.append("from app.users.models import User") %}{% endif -%}
{%- if ref %}{% set _ = app_imports.append("from app." ~ ref.plural ~ ".models import " ~ ref.model) %}{% set _ = app_imports.append("from app." ~ ref.plural ~ ".service import " ~ ref.service) %}{% endif -%}
{%- set errors = [r.model ~ "NotFound"] -%}
{%- for item in r.unique %}{% set _ = errors.append(r.model ~ item.alias ~ "Taken") %}{% endfor -%}
{%- set _ = app_imports.append("from app." ~ r.plural ~ ".errors import " ~ errors | sort | join(", ")) -%}
{%- if r.unique | length > 1 %}{% set _ = app_imports.append("from app.core.errors import ConflictError") %}{% endif -%}
{%- set taken = "self._taken(exc)" if r.unique | length > 1 else (r.model ~ (r.unique[0].alias if r.unique else "") ~ "Taken") -%}
{%- set who = "user, " if r.owned else "" -%}
{%- set whop = "user: User, " if r.owned else "" -%}
{#- The repository call that writes, with its errors translated: a unique field taken, or
    (with a reference) the referenced row deleted after it was checked. -#}
{%- macro saved(call) %}
{%- if r.unique or r.racing %}
        try:
            return await self.{{ r.plural }}.{{ call }}
{%- if r.unique %}
        except DuplicateError as exc:
            raise {{ taken }} from exc
{%- endif %}
{%- if r.racing %}
        except MissingReferenceError:
            # The {{ ref.singular | replace('_', ' ') }} was deleted after the check above, by a concurrent request.
            raise {{ ref.not_found }} from None
{%- endif %}
{%- else %}
        return await self.{{ r.plural }}.{{ call }}
{%- endif %}
{%- endmacro -%}
"""Business rules for {{ r.plural | replace('_', ' ') }}{% if r.owned %}: owners see and change their own, admins everything{% endif %}{% if ref %}; a {{ r.singular | replace('_', ' ') }}'s {{ ref.singular | replace('_', ' ') }} must {% if r.owned and ref.owned %}belong to its owner{% else %}exist{% endif %}{% endif %}."""

import uuid

from sqlalchemy.ext.asyncio import AsyncSession
{% for line in app_imports | sort %}
{{ line }}
{%- endfor %}


class {{ r.model }}Service:
    def __init__(self, session: AsyncSession) -> None:
        self.{{ r.plural }} = {{ r.model }}Repository(session)
{%- if ref %}
        # Another domain is reached through its service, never its repository.
        self.{{ ref.plural }} = {{ ref.service }}(session)
{%- endif %}

    async def create(self{% if r.owned %}, owner: User{% endif %}, data: {{ r.model }}Create) -> {{ r.model }}:
{%- if ref %}
        values = data.model_dump(exclude={"{{ ref.column }}"})
        {{ ref.singular }} = await self._{{ ref.singular }}({% if r.owned and ref.owned %}owner.id, {% endif %}data.{{ ref.column }})
{%- set row = r.model ~ "(" ~ ("owner_id=owner.id, " if r.owned else "") ~ ref.singular ~ "=" ~ ref.singular ~ ", **values)" %}
{%- else %}
{%- set row = r.model ~ "(" ~ ("owner_id=owner.id, " if r.owned else "") ~ "**data.model_dump())" %}
{%- endif %}
{{- saved("add(" ~ row ~ ")") }}

    async def get(self, {{ whop }}{{ r.singular }}_id: uuid.UUID) -> {{ r.model }}:
        {{ r.singular }} = await self.{{ r.plural }}.{% if ref %}get_with_{{ ref.singular }}{% else %}get{% endif %}({{ r.singular }}_id)
{%- if r.owned %}
        # Another user's {{ r.singular | replace('_', ' ') }} is reported as missing, so its existence does not leak.
        if {{ r.singular }} is None or not user.can_access({{ r.singular }}.owner_id):
{%- else %}
        if {{ r.singular }} is None:
{%- endif %}
            raise {{ r.model }}NotFound
        return {{ r.singular }}
{%- if r.owned %}

    async def get_for_owner(self, owner_id: uuid.UUID, {{ r.singular }}_id: uuid.UUID) -> {{ r.model }}:
        """The {{ r.singular | replace('_', ' ') }}, if it belongs to this owner: what other domains call before linking."""
        {{ r.singular }} = await self.{{ r.plural }}.get({{ r.singular }}_id)
        if {{ r.singular }} is None or {{ r.singular }}.owner_id != owner_id:
            raise {{ r.model }}NotFound
        return {{ r.singular }}
{%- endif %}

    async def list_page(
        self, {{ whop }}params: PageParams{% if r.owned or ref %}, *{% endif %}{% if r.owned %}, owner_id: uuid.UUID | None = None{% endif %}{% if ref %}, {{ ref.column }}: uuid.UUID | None = None{% endif %}
    ) -> Paginated[{{ r.model }}]:
        return await self.{{ r.plural }}.list_page(
            params{% if r.owned %}, owner_id=user.listing_scope(owner_id){% endif %}{% if ref %}, {{ ref.column }}={{ ref.column }}{% endif %}
        )

    async def update(
        self, {{ whop }}{{ r.singular }}_id: uuid.UUID, data: {{ r.model }}Update
    ) -> {{ r.model }}:
        {{ r.singular }} = await self.get({{ who }}{{ r.singular }}_id)
{%- if ref %}
        # Only the fields the client sent; a null {{ ref.column }} is sent, and clears the link.
        changes: dict[str, object] = data.model_dump(exclude_unset=True, exclude={"{{ ref.column }}"})
        if "{{ ref.column }}" in data.model_fields_set:
            changes["{{ ref.singular }}"] = await self._{{ ref.singular }}({% if r.owned and ref.owned %}{{ r.singular }}.owner_id, {% endif %}data.{{ ref.column }})
{%- else %}
        # Only the fields the client sent.
        changes = data.model_dump(exclude_unset=True)
{%- endif %}
{{- saved("update(" ~ r.singular ~ ", changes)") }}

    async def delete(self, {{ whop }}{{ r.singular }}_id: uuid.UUID) -> None:
        await self.{{ r.plural }}.delete(await self.get({{ who }}{{ r.singular }}_id))
{%- if ref %}

    async def _{{ ref.singular }}(
        self, {% if r.owned and ref.owned %}owner_id: uuid.UUID, {% endif %}{{ ref.column }}: uuid.UUID | None
    ) -> {{ ref.model }} | None:
        if {{ ref.column }} is None:
            return None
{%- if r.owned and ref.owned %}
        return await self.{{ ref.plural }}.get_for_owner(owner_id, {{ ref.column }})
{%- else %}
        return await self.{{ ref.plural }}.get({{ ref.column }})
{%- endif %}
{%- endif %}
{%- if r.unique | length > 1 %}

    @staticmethod
    def _taken(error: DuplicateError) -> ConflictError:
        """The field the database names: PostgreSQL names the constraint, SQLite the columns."""
        cause = error.__cause__
        message = str(getattr(cause, "orig", cause))
        columns = message.rpartition(": ")[2].split(", ")
{%- for item in r.unique[:-1] %}
        if 'uq_{{ r.singular }}_{% if r.owned %}owner_id_{% endif %}{{ item.name }}"' in message or "{{ r.singular }}.{{ item.name }}" in columns:
            return {{ r.model }}{{ item.alias }}Taken()
{%- endfor %}
        return {{ r.model }}{{ r.unique[-1].alias }}Taken()
{%- endif %}
