"""The optional parts this service was baked with, in the order they start (and stop reversed)."""

{% if cookiecutter.ai_provider != "none" -%}
from app.ai.extension import AIExtension
{% endif -%}
from app.core.extension import Extension


def baked_extensions() -> list[Extension]:
    """A new instance of each; the app built with them owns them."""
{%- if cookiecutter.ai_provider != "none" %}
    return [
{%- if cookiecutter.ai_provider != "none" %}
        AIExtension(),
{%- endif %}
    ]
{%- else %}
    return []
{%- endif %}
