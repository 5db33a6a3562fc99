"""Django's Redis cache, with one redis-py client per connection pool instead of one per call.

Django's RedisCacheClient builds a new redis.Redis for every cache operation; setting up its
response callbacks took 0.5 ms of a 1.1 ms get on the 2-core machine (docs/performance.md),
more than the round trip itself. A redis.Redis is safe to share between threads (each command
takes a connection from the pool), so one per pool is kept.
"""

from typing import Any

from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient


def shares_between_processes(cache: BaseCache) -> bool:
    """Whether every process sees what one stores in `cache`: not so for a cache in each
    process's own memory (development without REDIS_URL, or several workers)."""
    return not isinstance(cache, LocMemCache)
