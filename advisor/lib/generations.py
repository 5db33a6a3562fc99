"""Generations of cached data: a token that changes whenever the data behind a cache changes.

A cache key that includes the token is never read again after a change. Unlike deleting the
key, this has no race: a page that read the data just before the change stores its figures
under the old token, which no later page asks for.
"""

import secrets
from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from django.db import transaction


def _start(key: str, timeout: int | None) -> str:
    # Never set, or evicted: a new one means a fresh start; whoever adds first wins.
    fresh = secrets.token_hex(8)
    return fresh if cache.add(key, fresh, timeout=timeout) else cache.get(key, fresh)


class Generation:
    def __init__(self, name: str) -> None:
        self.key = f"generation:{name}"

    def token(self) -> str:
        token = cache.get(self.key)
        return _start(self.key, None) if token is None else token

    def read(self, key: str, *also: str) -> tuple[str, Any, dict[str, Any]]:
        """The current token and the value `store` kept under `key` for it, in one round trip
        to the cache: (token, None, …) when nothing is kept, or only for an older token.
        The entries under the keys `also` come with them, as found (a caller's own entries
        that it needs on the same request, at no extra round trip)."""
        found = cache.get_many([self.key, key, *also])
        token = found.get(self.key) or self.token()
        kept = found.get(key)
        extra = {name: found[name] for name in also if name in found}
        if isinstance(kept, tuple) and len(kept) == 2 and kept[0] == token:
            return token, kept[1], extra
        return token, None, extra

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


class Generations:
    """A generation per member of a family (a week of leads, say): a change advances only the
    members it touches, so only the caches of those members are made again.

    A token may expire (after `timeout` seconds): a fresh one only makes its caches again,
    it never revives an old one. Pick a timeout longer than the caches keyed by it."""

    def __init__(self, name: str, *, timeout: int | None) -> None:
        self.prefix = f"generation:{name}:"
        self.timeout = timeout

    def tokens(self, members: Iterable[str]) -> dict[str, str]:
        """The current token of each member, in one round trip to the cache (usually)."""
        keys = {member: self.prefix + member for member in members}
        found = cache.get_many(keys.values())
        return {member: found.get(key) or _start(key, self.timeout)
                for member, key in keys.items()}

    def advance(self, members: Iterable[str]) -> None:
        cache.set_many({self.prefix + member: secrets.token_hex(8) for member in set(members)},
                       timeout=self.timeout)

    def advance_on_commit(self, members: Iterable[str]) -> None:
        """New tokens for these members once the current transaction commits (at once
        outside one), as Generation.advance_on_commit."""
        chosen = frozenset(members)
        if chosen:
            transaction.on_commit(lambda: self.advance(chosen))

    def forget(self, members: Iterable[str]) -> None:
        cache.delete_many([self.prefix + member for member in members])
