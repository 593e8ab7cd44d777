"""A job that always fails, for the tests of retries and dead letters: the worker they start
loads this module beside the service's own tasks."""

from taskiq import async_shared_broker


@async_shared_broker.task(task_name="tests.always_fails")
async def always_fails(marker: str) -> None:
    raise RuntimeError(f"failing on purpose ({marker})")
