"""Tracing settings: OpenTelemetry's standard variables, from the environment or `.env`."""

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class TracingSettings(BaseSettings):
    """`OTEL_*` variables that decide where spans go. Tracing is on only when an endpoint is
    set, as an unreachable collector would fill the log with failed exports.

    The OpenTelemetry SDK reads the others itself from the process environment:
    `OTEL_TRACES_SAMPLER` (and `_ARG`), `OTEL_RESOURCE_ATTRIBUTES`, `OTEL_BSP_*` (batching),
    `OTEL_EXPORTER_OTLP_TIMEOUT`.
    """

    model_config = SettingsConfigDict(
        env_prefix="OTEL_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    sdk_disabled: bool = False
    service_name: str = "{{ cookiecutter.project_slug }}"
    # The collector's OTLP/HTTP address (`http://collector:4318`); spans go to `/v1/traces`.
    exporter_otlp_endpoint: str | None = None
    # The full URL for spans, when it is not the endpoint's `/v1/traces`.
    exporter_otlp_traces_endpoint: str | None = None
    # `key=value,key2=value2`, for a vendor's API key: a secret.
    exporter_otlp_headers: SecretStr | None = None

    def traces_endpoint(self) -> str | None:
        """Where spans are sent, or None when tracing is off."""
        if self.sdk_disabled:
            return None
        if self.exporter_otlp_traces_endpoint:
            return self.exporter_otlp_traces_endpoint
        if self.exporter_otlp_endpoint:
            return self.exporter_otlp_endpoint.rstrip("/") + "/v1/traces"
        return None
