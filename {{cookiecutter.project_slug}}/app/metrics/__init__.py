"""Prometheus metrics at /metrics: requests by route, in-flight requests, the database pool."""
