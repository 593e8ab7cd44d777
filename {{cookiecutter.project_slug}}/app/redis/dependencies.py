"""The app's Redis client and settings, for routes and dependencies."""

from typing import Annotated

from fastapi import Depends, Request
from redis.asyncio import Redis

from app.redis.config import RedisSettings


def get_redis(request: Request) -> Redis:
    redis: Redis = request.app.state.redis
    return redis


def get_redis_settings(request: Request) -> RedisSettings:
    settings: RedisSettings = request.app.state.redis_settings
    return settings


RedisDep = Annotated[Redis, Depends(get_redis)]
RedisSettingsDep = Annotated[RedisSettings, Depends(get_redis_settings)]
