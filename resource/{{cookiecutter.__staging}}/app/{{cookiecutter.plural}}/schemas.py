{%- set r = cookiecutter | resource -%}
{%- set ref = r.reference -%}
{%- set constrained = r.fields | selectattr("constrained") | list -%}
{%- set pydantic = ["BaseModel", "ConfigDict"] -%}
{%- if "datetime" in r.types %}{% set _ = pydantic.insert(0, "AwareDatetime") %}{% endif -%}
{%- set texts = "decimal" in r.types or "datetime" in r.types -%}
{%- set before = texts or "int" in r.types -%}
{%- if before %}{% set _ = pydantic.insert(1, "BeforeValidator") %}{% endif -%}
{%- if constrained or ref %}{% set _ = pydantic.append("Field") %}{% endif -%}
{%- if texts %}{% set _ = pydantic.append("WithJsonSchema") %}{% endif -%}
{%- set core = [] -%}
{%- if "str" in r.types or "text" in r.types %}{% set _ = core.append("StorableText") %}{% endif -%}
{%- if r.fields | rejectattr("optional") | list %}{% set _ = core.append("omittable") %}{% endif -%}
{%- set app_imports = [] -%}
{%- if core %}{% set _ = app_imports.append("from app.core.schemas import " ~ core | join(", ")) %}{% endif -%}
{%- if r.enums %}{% set _ = app_imports.append("from app." ~ r.plural ~ ".models import " ~ r.enum_classes | join(", ")) %}{% endif -%}
{%- if ref %}{% set _ = app_imports.append("from app." ~ ref.plural ~ ".schemas import " ~ ref.summary) %}{% endif -%}
"""Request and response bodies for {{ r.plural | replace('_', ' ') }}."""
{% if texts %}
import re
{%- endif %}
import uuid
from datetime import datetime
{%- if "decimal" in r.types %}
from decimal import Decimal
{%- endif %}
{%- if constrained %}
from typing import Annotated
{%- endif %}

from pydantic import {{ pydantic | join(", ") }}
{% for line in app_imports | sort %}
{{ line }}
{%- endfor %}
{%- if "int" in r.types %}


def number_only(value: object) -> object:
    """A JSON number (2.0 is the integer 2, as JSON Schema says), never a string or a boolean."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be a number")
    return value
{%- endif %}
{%- if "decimal" in r.types %}

# Amounts travel as strings ("12.50"): exact, unlike JSON numbers. The schema states the one
# form accepted, so clients (and fuzzers) know it; NUMERIC(12, 2) holds every value it allows.
DECIMAL_PATTERN = r"^-?[0-9]{1,10}(\.[0-9]{1,2})?$"
DECIMAL_SCHEMA = {"type": "string", "pattern": DECIMAL_PATTERN, "examples": ["12.50"]}


def decimal_text(value: object) -> object:
    if not isinstance(value, str) or not re.fullmatch(DECIMAL_PATTERN, value):
        raise ValueError("must be a string of up to 10 digits and 2 decimals, such as \"12.50\"")
    return value
{%- endif %}
{%- if "datetime" in r.types %}

# Times travel as RFC 3339 text with an offset; the years stop short of Python's limits, so
# every time the schema allows converts to UTC. A number (a Unix time) is not accepted.
DATETIME_PATTERN = (
    r"^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?"
    r"(Z|[+-][0-9]{2}:[0-9]{2})$"
)
DATETIME_SCHEMA = {"type": "string", "format": "date-time", "pattern": DATETIME_PATTERN}


def datetime_text(value: object) -> object:
    if not isinstance(value, str) or not re.fullmatch(DATETIME_PATTERN, value):
        raise ValueError('must be a time with an offset, such as "2030-01-02T03:04:05Z"')
    return value
{%- endif %}
{% for item in constrained %}
{{ item.alias }} = {{ item.constrained }}
{%- endfor %}


class {{ r.model }}Create(BaseModel):
    model_config = ConfigDict(extra="forbid")
{% for item in r.fields %}
    {{ item.name }}: {{ r.schema_type(item) }}{% if item.optional %} | None = None{% endif %}
{%- endfor %}
{%- if ref %}
    {{ ref.column }}: uuid.UUID | None = Field(default=None, description="{% if r.owned and ref.owned %}One of your{% else %}One of the{% endif %} {{ ref.plural | replace('_', ' ') }}.")
{%- endif %}


class {{ r.model }}Update(BaseModel):
    """Only the fields sent change.{% if r.fields | selectattr("optional") | list or ref %} Null clears {{ (r.fields | selectattr("optional") | map(attribute="name") | list + ([ref.column] if ref else [])) | join(", ") }};{% endif %} {% if r.fields | rejectattr("optional") | list %}the other fields cannot be null.{% endif %}"""

    model_config = ConfigDict(extra="forbid")
{% for item in r.fields %}
    {{ item.name }}: {{ r.schema_type(item) }}{% if item.optional %} | None = None{% else %} = omittable(){% endif %}
{%- endfor %}
{%- if ref %}
    {{ ref.column }}: uuid.UUID | None = Field(default=None, description="{% if r.owned and ref.owned %}One of your{% else %}One of the{% endif %} {{ ref.plural | replace('_', ' ') }}.")
{%- endif %}


class {{ r.model }}Summary(BaseModel):
    """A {{ r.singular | replace('_', ' ') }} as other resources show it."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    {{ r.fields[0].name }}: {{ r.python_type(r.fields[0]) }}{% if r.fields[0].optional %} | None{% endif %}


class {{ r.model }}Read({{ r.model }}Summary):
{%- if r.owned %}
    owner_id: uuid.UUID
{%- endif %}
{%- for item in r.fields[1:] %}
    {{ item.name }}: {{ r.python_type(item) }}{% if item.optional %} | None{% endif %}
{%- endfor %}
{%- if ref %}
    {{ ref.singular }}: {{ ref.summary }} | None
{%- endif %}
    created_at: datetime
    updated_at: datetime
