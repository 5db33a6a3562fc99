"""The site's Redis cache backend behaves as Django's and reuses its client."""

import uuid

import pytest
from django.core.cache import caches

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis(settings):
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "shared": {"BACKEND": "advisor.lib.redis_cache.RedisCache",
                   "LOCATION": "redis://127.0.0.1:6379/0", "KEY_PREFIX": prefix}}
    cache = caches["shared"]
    yield cache
    cache.delete_many(["a", "b", "counter"])


def test_it_stores_reads_counts_and_deletes_like_djangos(redis):
    redis.set("a", {"value": 1})
    assert redis.add("counter", 1) and not redis.add("counter", 5)
    assert redis.incr("counter") == 2
    assert redis.get_many(["a", "b"]) == {"a": {"value": 1}}
    redis.delete_many(["a"])
    assert redis.get("a") is None


def test_one_client_serves_every_call(redis):
    redis.get("a")
    client = redis._cache.get_client()
    redis.set("b", 1)
    assert redis._cache.get_client() is client
    assert redis._cache.get_client(write=True) is client
