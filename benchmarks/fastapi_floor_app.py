"""The framework floor: the reference app's own endpoints, served through a bare FastAPI app.

Nothing of the bake is here: no middleware, no dependencies, no ORM, no request or response
models. The two endpoints are `reference_app.list_items` and `reference_app.live`, unchanged,
registered as FastAPI routes; they take the Request and return a finished Response, so FastAPI
adds only what any FastAPI app pays per request (its routing, its middleware stack, its
dependency solving and telemetry check). Beside the reference, this shows how much of the gap
to the reference is FastAPI's own and how much is the bake's.

Run: `uvicorn fastapi_floor_app:create_app --factory --app-dir benchmarks ...` with the same
environment as the reference app.
"""

from __future__ import annotations

from fastapi import FastAPI

import reference_app


def create_app() -> FastAPI:
    reference = reference_app.create_app()
    app = FastAPI(
        # The reference's lifespan opens the asyncpg pool and reads the secret into app.state.
        lifespan=reference.router.lifespan_context,
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )
    app.add_api_route(reference_app.LIVE_PATH, reference_app.live, methods=["GET"])
    app.add_api_route(reference_app.LIST_PATH, reference_app.list_items, methods=["GET"])
    return app
