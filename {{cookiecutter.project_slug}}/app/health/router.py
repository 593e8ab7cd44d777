"""Probes for orchestrators: liveness (the process answers) and readiness (the database does)."""

import asyncio
from typing import Literal

from fastapi import APIRouter, Request, Response, status
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.config import SettingsDep
from app.core.errors import ServiceUnavailableError, error_responses

router = APIRouter(prefix="/health", tags=["health"])


class HealthStatus(BaseModel):
    status: Literal["ok"] = "ok"


LIVE_BODY = HealthStatus().model_dump_json().encode()


@router.get("/live", response_model=HealthStatus)
async def live() -> Response:
    return Response(LIVE_BODY, media_type="application/json")


@router.get("/ready", responses=error_responses(status.HTTP_503_SERVICE_UNAVAILABLE))
async def ready(request: Request, settings: SettingsDep) -> HealthStatus:
    engine: AsyncEngine = request.app.state.engine
    try:
        async with asyncio.timeout(settings.db_health_timeout_seconds):
            # AUTOCOMMIT: one statement, no BEGIN/ROLLBACK round trips, no lock to wait for.
            async with engine.connect() as connection:
                await connection.execution_options(isolation_level="AUTOCOMMIT")
                await connection.execute(text("SELECT 1"))
    except Exception as exc:
        # Any failure means "do not send traffic here"; the reason goes to the log, not the client.
        raise ServiceUnavailableError("The database is not reachable.") from exc
    return HealthStatus()
