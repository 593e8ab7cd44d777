"""The optional parts this service was baked with, in the order they start (and stop reversed)."""

{% if cookiecutter.ai_provider != "none" -%}
from app.ai.extension import AIExtension
{% endif -%}
{% if cookiecutter.redis == "yes" -%}
from app.caching.extension import CacheExtension
{% endif -%}
from app.core.extension import Extension
{%- if cookiecutter.background_jobs == "yes" %}
from app.jobs.extension import JobsExtension
{%- endif %}
{%- if cookiecutter.metrics == "yes" %}
from app.metrics.extension import MetricsExtension
{%- endif %}
{%- if cookiecutter.redis == "yes" %}
from app.redis.extension import RedisExtension
{%- endif %}
{%- if cookiecutter.sentry == "yes" %}
from app.sentry.extension import SentryExtension
{%- endif %}
{%- if cookiecutter.tracing == "yes" %}
from app.tracing.extension import TracingExtension
{%- endif %}


def baked_extensions() -> list[Extension]:
    """A new instance of each; the app built with them owns them."""
{%- if cookiecutter.redis == "yes" or cookiecutter.ai_provider != "none" or cookiecutter.metrics == "yes" or cookiecutter.tracing == "yes" or cookiecutter.sentry == "yes" %}
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
{%- if cookiecutter.redis == "yes" %}
        RedisExtension(),
        # After Redis: the cache keeps its entries on Redis' client.
        CacheExtension(),
{%- endif %}
{%- if cookiecutter.background_jobs == "yes" %}
        JobsExtension(),
{%- endif %}
{%- if cookiecutter.ai_provider != "none" %}
        # After Redis, when there is one: the summaries' rate limit counts there.
        AIExtension(),
{%- endif %}
    ]
{%- else %}
    return []
{%- endif %}
