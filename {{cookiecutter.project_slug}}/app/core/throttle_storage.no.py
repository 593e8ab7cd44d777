"""Where the throttles keep their counts: the storage RATE_LIMIT_STORAGE_URL names, in-process
memory by default (`limits` storage URLs)."""

from fastapi import FastAPI
from limits.aio.storage import Storage
from limits.storage import storage_from_string

from app.core.config import Settings


def open_storage(url: str) -> Storage:
    """The storage for a `limits` URL such as `memory://`; its errors come out as
    `limits.errors.StorageError`, whatever the storage."""
    storage = storage_from_string(
        url if url.startswith("async+") else f"async+{url}", wrap_exceptions=True
    )
    if not isinstance(storage, Storage):  # pragma: no cover - the async+ prefix makes one
        raise TypeError(f"{url!r} does not name an asynchronous storage")
    return storage


def throttle_storage(app: FastAPI) -> Storage:
    settings: Settings = app.state.settings
    return open_storage(settings.rate_limit_storage_url)
