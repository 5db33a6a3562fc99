"""Generations of cached data: a token that changes whenever the data behind a cache changes.

A cache key that includes the token is never read again after a change. Unlike deleting the
key, this has no race: a page that read the data just before the change stores its figures
under the old token, which no later page asks for.
"""

import secrets
from typing import Any

from django.core.cache import cache
from django.db import transaction


class Generation:
    def __init__(self, name: str) -> None:
        self.key = f"generation:{name}"

    def token(self) -> str:
        token = cache.get(self.key)
        if token is None:
            # Never set, or evicted: a new one means a fresh start; whoever adds first wins.
            fresh = secrets.token_hex(8)
            token = fresh if cache.add(self.key, fresh, timeout=None) else cache.get(
                self.key, fresh)
        return token

    def read(self, key: str) -> tuple[str, Any]:
        """The current token and the value `store` kept under `key` for it, in one round trip
        to the cache: (token, None) when nothing is kept, or only for an older token."""
        found = cache.get_many([self.key, key])
        token = found.get(self.key) or self.token()
        kept = found.get(key)
        if isinstance(kept, tuple) and len(kept) == 2 and kept[0] == token:
            return token, kept[1]
        return token, None

    def store(self, key: str, token: str, value: Any, timeout: int) -> None:
        """Keep `value`, read from the data of generation `token`, under one fixed key: a
        later token makes it unread, and an older one never overwrites a newer one's for
        long (the next read of the newer token stores it again)."""
        cache.set(key, (token, value), timeout)

    def advance(self) -> None:
        cache.set(self.key, secrets.token_hex(8), timeout=None)

    def advance_on_commit(self) -> None:
        """A new token once the current transaction commits (at once outside one): pages
        then read the committed data, and a rolled-back change leaves the cache alone."""
        transaction.on_commit(self.advance)
