{%- set r = cookiecutter | resource -%}
{%- set ref = r.reference -%}
{%- set sa = [] -%}
{%- if r.owned or ref %}{% set _ = sa.append("ForeignKey") %}{% endif -%}
{%- set _ = sa.append("Index") -%}
{%- if "decimal" in r.types %}{% set _ = sa.append("Numeric") %}{% endif -%}
{%- if "str" in r.types %}{% set _ = sa.append("String") %}{% endif -%}
{%- if "text" in r.types %}{% set _ = sa.append("Text") %}{% endif -%}
{%- if r.owned and r.unique %}{% set _ = sa.append("UniqueConstraint") %}{% endif -%}
{%- set app_imports = ["from app.db.base import Base, TimestampMixin, UUIDPrimaryKeyMixin" ~ (", stored_by_value" if r.enums else "")] -%}
{%- if ref %}{% set _ = app_imports.append("from app." ~ ref.plural ~ ".models import " ~ ref.model) %}{% endif -%}
"""The {{ r.singular | replace('_', ' ') }}{% if r.owned %}, owned by a user{% endif %}{% if ref %}, optionally linked to one of {% if r.owned and ref.owned %}its owner's {% endif %}{{ ref.plural | replace('_', ' ') }}{% endif %}."""
{% if r.enums %}
import enum
{%- endif %}
{%- if r.owned or ref %}
import uuid
{%- endif %}
{%- if "datetime" in r.types %}
from datetime import datetime
{%- endif %}
{%- if "decimal" in r.types %}
from decimal import Decimal
{%- endif %}
{%- if r.enums or r.owned or ref or "datetime" in r.types or "decimal" in r.types %}
{% endif %}
from sqlalchemy import {{ sa | join(", ") }}
from sqlalchemy.orm import Mapped, mapped_column{% if ref %}, relationship{% endif %}

{% for line in app_imports | sort %}
{{ line }}
{%- endfor %}
{%- for item in r.enums %}


class {{ r.enum_class(item) }}(enum.StrEnum):
{%- for value in item.choices %}
    {{ value | upper }} = "{{ value }}"
{%- endfor %}
{%- endfor %}


class {{ r.model }}(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    __tablename__ = "{{ r.singular }}"
    __table_args__ = (
        # The listing's order (newest first, id breaking ties){% if r.owned %}, for one owner and for everyone{% endif %}.
{%- if r.owned %}
        Index("ix_{{ r.singular }}_owner_id_created_at", "owner_id", "created_at", "id"),
{%- endif %}
        Index("ix_{{ r.singular }}_created_at", "created_at", "id"),
{%- if ref %}
        Index("ix_{{ r.singular }}_{{ ref.column }}", "{{ ref.column }}"),
{%- endif %}
{%- if r.owned %}
{%- for item in r.unique %}
        UniqueConstraint("owner_id", "{{ item.name }}"),
{%- endfor %}
{%- endif %}
    )
{% if r.owned %}
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
{%- endif %}
{%- for item in r.fields %}
    {{ item.name }}: {{ r.mapped(item) }}
{%- endfor %}
{%- if ref %}
    {{ ref.column }}: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("{{ ref.singular }}.id", ondelete="SET NULL")
    )
    # lazy="raise": every read that needs the {{ ref.singular | replace('_', ' ') }} says so (joinedload in the
    # repository), so a list can never fall into one query per row.
    {{ ref.singular }}: Mapped[{{ ref.model }} | None] = relationship(lazy="raise")
{%- endif %}
