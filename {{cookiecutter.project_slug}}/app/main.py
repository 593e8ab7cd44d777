"""The application factory: settings, logging, middleware, error handlers, routers, lifespan."""

from collections.abc import AsyncIterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager

from fastapi import FastAPI
from fastapi.telemetry import TelemetryConfig

from app import domains
from app.core.config import Settings, get_settings
from app.core.database import Database
from app.core.errors import register_error_handlers
from app.core.extension import Extension
from app.core.logging import configure_logging
from app.core.middleware import EdgeMiddleware, OriginCORSMiddleware
from app.core.routing import API_PREFIX, operation_id
from app.extensions import baked_extensions
from app.health.router import router as health_router


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    database = Database.from_settings(app.state.settings)
    app.state.database = database
    try:
        async with AsyncExitStack() as running:
            for extension in app.state.extensions:
                await running.enter_async_context(extension.running(app))
            # After the extensions: the domains' state may live on what they opened.
            domains.fresh_state(app)
            yield
    finally:
        await database.dispose()


def create_app(
    settings: Settings | None = None, extensions: Sequence[Extension] | None = None
) -> FastAPI:
    """The app, with the baked extensions unless the caller (a test) gives its own."""
    settings = settings or get_settings()
    configure_logging(settings.log_level, json=settings.log_json)
    extensions = tuple(baked_extensions() if extensions is None else extensions)
    # FastAPI's own OpenTelemetry hooks look for a configured provider on every request: off,
    # unless an extension (tracing) turns them on with a provider of its own.
    telemetry: TelemetryConfig = {"tracing": False, "metrics": False, "logs": False}
    for extension in extensions:
        telemetry.update(extension.telemetry())
    app = FastAPI(
        title=settings.project_name,
        version=settings.version,
        lifespan=lifespan,
        generate_unique_id_function=operation_id,
        # Interactive docs only where nobody outside the team can reach them.
        docs_url=None if settings.environment == "production" else "/docs",
        redoc_url=None,
        telemetry=telemetry,
    )
    app.state.settings = settings
    app.state.extensions = extensions

    register_error_handlers(app)
    if settings.cors_origins:
        app.add_middleware(
            OriginCORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_credentials=True,
            allow_methods=["*"],
            allow_headers=["Authorization", "Content-Type", "X-Request-ID"],
            expose_headers=["X-Request-ID"],
        )

    app.include_router(health_router)
    for router in domains.ROUTERS:
        app.include_router(router, prefix=API_PREFIX)
    for extension in app.state.extensions:
        extension.install(app)
    # Added last, so outermost: its request id, headers and size limit apply to every
    # response, those of CORS and of the extensions' middleware too.
    app.add_middleware(EdgeMiddleware, max_body_bytes=settings.max_request_body_bytes)
    return app
