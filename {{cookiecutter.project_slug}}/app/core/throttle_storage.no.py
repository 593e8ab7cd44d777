"""Where the throttles keep their counts: in this process's memory, so each replica counts
its own and a restart forgets them (the template's `redis` option shares them in Redis)."""

from fastapi import FastAPI
from limits.aio.storage import MemoryStorage, Storage


def throttle_storage(app: FastAPI) -> Storage:
    return MemoryStorage()
