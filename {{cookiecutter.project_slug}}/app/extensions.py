"""The optional parts this service was baked with, in the order they start (and stop reversed)."""

from app.core.extension import Extension
{%- if cookiecutter.metrics == "yes" %}
from app.metrics.extension import MetricsExtension
{%- endif %}
{%- if cookiecutter.sentry == "yes" %}
from app.sentry.extension import SentryExtension
{%- endif %}
{%- if cookiecutter.tracing == "yes" %}
from app.tracing.extension import TracingExtension
{%- endif %}


def baked_extensions() -> list[Extension]:
    """A new instance of each; the app built with them owns them."""
{%- if cookiecutter.metrics == "yes" or cookiecutter.tracing == "yes" or cookiecutter.sentry == "yes" %}
    return [
{%- if cookiecutter.sentry == "yes" %}
        SentryExtension(),
{%- endif %}
{%- if cookiecutter.tracing == "yes" %}
        TracingExtension(),
{%- endif %}
{%- if cookiecutter.metrics == "yes" %}
        MetricsExtension(),
{%- endif %}
    ]
{%- else %}
    return []
{%- endif %}
