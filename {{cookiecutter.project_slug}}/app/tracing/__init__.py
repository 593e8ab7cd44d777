"""OpenTelemetry tracing: requests, database queries and outgoing httpx calls, sent over OTLP."""
