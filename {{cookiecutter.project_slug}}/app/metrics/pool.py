"""The database pool's state, read when Prometheus scrapes, so requests pay nothing for it."""

from collections.abc import Iterator

from fastapi import FastAPI
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy.pool import QueuePool


class DatabasePoolCollector(Collector):
    """Connections checked out, idle, and opened past the pool's size, for the app's engine."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app

    def collect(self) -> Iterator[Metric]:
        database = getattr(self.app.state, "database", None)  # set while the app runs
        if database is None:
            return
        # Read each time: SQLAlchemy replaces the pool after a disconnect.
        pool = database.engine.pool
        if not isinstance(pool, QueuePool):
            return
        yield GaugeMetricFamily(
            "db_pool_size", "Connections the pool keeps open.", value=pool.size()
        )
        yield GaugeMetricFamily(
            "db_pool_checked_out",
            "Connections in use by a session now.",
            value=pool.checkedout(),
        )
        yield GaugeMetricFamily(
            "db_pool_checked_in", "Open connections waiting in the pool.", value=pool.checkedin()
        )
        # SQLAlchemy counts from -size; below zero means the pool has not even filled up.
        yield GaugeMetricFamily(
            "db_pool_overflow",
            "Connections open beyond the pool's size (at most DB_MAX_OVERFLOW).",
            value=max(pool.overflow(), 0),
        )
