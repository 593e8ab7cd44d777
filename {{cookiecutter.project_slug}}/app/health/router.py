"""Probes for orchestrators: liveness (the process answers) and readiness (the database answers
with the schema this code expects, and the extensions' servers answer)."""

import asyncio
import logging
from functools import lru_cache
from pathlib import Path
from typing import Literal

from fastapi import APIRouter, Request, Response, status
from pydantic import BaseModel

from app.core.dependencies import DatabaseDep, SettingsDep
from app.core.errors import DatabaseUnavailableError, ServiceUnavailableError, error_responses

logger = logging.getLogger(__name__)
PROJECT_ROOT = Path(__file__).resolve().parents[2]

router = APIRouter(prefix="/health", tags=["health"])


class HealthStatus(BaseModel):
    status: Literal["ok"] = "ok"


LIVE_BODY = HealthStatus().model_dump_json().encode()


@router.get("/live", response_model=HealthStatus)
async def live() -> Response:
    return Response(LIVE_BODY, media_type="application/json")


@lru_cache
def migration_head() -> str | None:
    """The revision this code's migrations end at (read once, when first asked)."""
    # Imported here: Alembic is needed by this probe only, not at every start-up.
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    return ScriptDirectory.from_config(config).get_current_head()


@router.get("/ready", responses=error_responses(status.HTTP_503_SERVICE_UNAVAILABLE))
async def ready(request: Request, database: DatabaseDep, settings: SettingsDep) -> HealthStatus:
    """The database answers with the schema this code expects, and so does every server an
    extension needs (each says how in its `check_ready`)."""
    try:
        async with asyncio.timeout(settings.db_health_timeout_seconds):
            revision = await database.schema_revision()
    except Exception as exc:
        # Any failure means "do not send traffic here"; the reason goes to the log, not the client.
        reason = exc.reason if isinstance(exc, DatabaseUnavailableError) else None
        logger.warning("Not ready: %s", reason or f"{type(exc).__name__} from the database")
        raise ServiceUnavailableError("The database is not ready.") from exc
    expected = migration_head()
    if revision != expected:
        logger.warning("Not ready: the schema is at %s, this code expects %s", revision, expected)
        raise ServiceUnavailableError("The database is not ready.")
    for extension in request.app.state.extensions:
        await extension.check_ready(request.app)
    return HealthStatus()
