"""The queue: a Redis stream named under the service's key prefix, and the broker that uses it.

Every name the queue uses in Redis starts with `REDIS_KEY_PREFIX`, so services (and test
runs) that share a Redis never take each other's jobs. A worker acknowledges a job once it
has run (its retry sent, or its dead letter written), so a job whose worker was killed
half-way goes to another worker after `UNFINISHED_AFTER_MS`.
"""

from pydantic_core import to_jsonable_python
from taskiq.serializers import JSONSerializer
from taskiq_redis import RedisStreamBroker

from app.jobs.config import JobsSettings
from app.jobs.retry import DeadLetters, RetryWithBackoff
from app.redis.config import RedisSettings

# How long a worker's read waits for new jobs before it asks again.
READ_BLOCK_MS = 1000
# A job a worker took and never acknowledged (the worker died) is handed on after this long.
UNFINISHED_AFTER_MS = 10 * 60 * 1000
# The lock workers take to hand on such jobs expires after this long, should its holder die.
HAND_ON_LOCK_SECONDS = 30.0


def queue_name(redis: RedisSettings) -> str:
    return redis.key("jobs")


def dead_letter_key(redis: RedisSettings) -> str:
    return redis.key("jobs", "dead")


def build_broker(
    redis: RedisSettings, jobs: JobsSettings, *, worker: bool = False
) -> RedisStreamBroker:
    """A broker on this service's queue, with retries and dead letters.

    A worker's reads block for up to READ_BLOCK_MS, so its socket timeout is longer by as much;
    a sender's is the Redis settings' own, so sending a job waits no longer on a Redis that
    hangs than any other Redis call of a request.
    """
    broker = RedisStreamBroker(
        url=redis.url,
        queue_name=queue_name(redis),
        consumer_group_name="workers",
        # A new group starts at the oldest entry: jobs sent before any worker ran still run.
        consumer_id="0",
        maxlen=jobs.queue_max_length,
        xread_block=READ_BLOCK_MS,
        idle_timeout=UNFINISHED_AFTER_MS,
        unacknowledged_lock_timeout=HAND_ON_LOCK_SECONDS,
        max_connection_pool_size=redis.max_connections,
        socket_timeout=redis.socket_timeout_seconds + (READ_BLOCK_MS / 1000 if worker else 0),
        socket_connect_timeout=redis.connect_timeout_seconds,
        client_name=f"{redis.key_prefix}{'worker' if worker else 'jobs'}",
    )
    # Arguments are sent as JSON; UUIDs and datetimes the way pydantic writes them, and the
    # worker reads them back by the task's type hints.
    broker.with_serializer(JSONSerializer(default=to_jsonable_python))
    dead_letters = DeadLetters(
        broker.connection_pool, dead_letter_key(redis), jobs.dead_letter_limit
    )
    broker.add_middlewares(RetryWithBackoff(jobs, dead_letters))
    return broker
