{%- set r = cookiecutter | resource -%}
"""What can go wrong with {{ r.plural }}, in words for the API's users."""

from app.core.errors import {% if r.unique %}ConflictError, {% endif %}NotFoundError


class {{ r.model }}NotFound(NotFoundError):
    detail = "{{ r.singular | replace('_', ' ') | capitalize }} not found."
{%- for item in r.unique %}


class {{ r.model }}{{ item.alias }}Taken(ConflictError):
    detail = "{% if r.owned %}You already have{% else %}There is already{% endif %} a {{ r.singular | replace('_', ' ') }} with this {{ item.name | replace('_', ' ') }}."
{%- endfor %}
