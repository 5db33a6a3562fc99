"""Generations of cached data: a token that changes whenever the data behind a cache changes.

A cache key that includes the token is never read again after a change. Unlike deleting the
key, this has no race: a page that read the data just before the change stores its figures
under the old token, which no later page asks for.
"""

import secrets

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

    def advance(self) -> None:
        cache.set(self.key, secrets.token_hex(8), timeout=None)

    def advance_on_commit(self) -> None:
        """A new token once the current transaction commits (at once outside one): pages
        then read the committed data, and a rolled-back change leaves the cache alone."""
        transaction.on_commit(self.advance)
