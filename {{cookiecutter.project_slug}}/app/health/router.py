"""Probes for orchestrators: liveness (the process answers) and readiness (the database does)."""

import asyncio
from typing import Literal

from fastapi import APIRouter, Response, status
from pydantic import BaseModel

from app.core.dependencies import DatabaseDep, SettingsDep
from app.core.errors import ServiceUnavailableError, error_responses

router = APIRouter(prefix="/health", tags=["health"])


class HealthStatus(BaseModel):
    status: Literal["ok"] = "ok"


LIVE_BODY = HealthStatus().model_dump_json().encode()


@router.get("/live", response_model=HealthStatus)
async def live() -> Response:
    return Response(LIVE_BODY, media_type="application/json")


@router.get("/ready", responses=error_responses(status.HTTP_503_SERVICE_UNAVAILABLE))
async def ready(database: DatabaseDep, settings: SettingsDep) -> HealthStatus:
    try:
        async with asyncio.timeout(settings.db_health_timeout_seconds):
            await database.ping()
    except Exception as exc:
        # Any failure means "do not send traffic here"; the reason goes to the log, not the client.
        raise ServiceUnavailableError("The database is not reachable.") from exc
    return HealthStatus()
