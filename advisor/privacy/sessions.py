"""Database sessions indexed by the e-mail addresses they hold (SESSION_ENGINE).

An unfinished questionnaire keeps the contact step in the visitor's session. To find it for
a privacy request without decoding every live session, each save also stores keyed digests
(HMAC-SHA256 with the SECRET_KEY) of every e-mail address anywhere in the session data:
the index reveals no address, and finding one is a query on that column. This follows
Django's documented way of extending database-backed sessions (a model on
AbstractBaseSession and a SessionStore whose create_model_instance fills the extra field).

Reads come from the shared cache in front of the database, as Django's cached_db engine
does: every save still writes the row (with its digests), so export and erasure find every
session there, and erasure also deletes the cached copy (erase_sessions_holding). With the
cache down, sessions are read from and written to the database alone.
"""

import contextlib
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.cached_db import SessionStore as CachedSessionStore
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac
from redis.exceptions import RedisError

from advisor.lib.redis_cache import shares_between_processes

DIGEST_SALT = "advisor.privacy.sessions.address"


def address_digest(address: str, *, secret: str | None = None) -> str:
    """The keyed digest of an e-mail address, the same however it is capitalised."""
    return salted_hmac(DIGEST_SALT, address.strip().casefold(), secret=secret,
                       algorithm="sha256").hexdigest()


def addresses_in(value: Any) -> Iterator[str]:
    """Every e-mail address in session data (nested dicts and lists of strings)."""
    if isinstance(value, str):
        if "@" in value:
            try:
                validate_email(value.strip())
            except ValidationError:
                return
            yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from addresses_in(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from addresses_in(item)


class SessionStore(CachedSessionStore):
    cache_key_prefix = "advisor.privacy.sessions"

    def __init__(self, session_key: str | None = None) -> None:
        super().__init__(session_key)
        # Only a cache every process shares may stand in front of the database: with one in
        # each process's memory (development without REDIS_URL, several workers), a worker
        # would read its own stale copy of a session another one changed.
        self._fronted = shares_between_processes(self._cache)

    @classmethod
    def get_model_class(cls) -> Any:
        from advisor.models import IndexedSession

        return IndexedSession

    def create_model_instance(self, data: dict[str, Any]) -> Any:
        session = super().create_model_instance(data)
        session.address_digests = " ".join(
            sorted({address_digest(address) for address in addresses_in(data)})
        )
        return session


    def load(self) -> dict[str, Any]:
        if self._fronted:
            with contextlib.suppress(RedisError):  # else read the database alone
                return super().load()
        return DatabaseSessionStore.load(self)

    def exists(self, session_key: str) -> bool:
        if self._fronted:
            with contextlib.suppress(RedisError):
                return super().exists(session_key)
        return DatabaseSessionStore.exists(self, session_key)

    def save(self, must_create: bool = False) -> None:
        if self._fronted:
            super().save(must_create)  # the database, then the cache (its errors logged)
        else:
            DatabaseSessionStore.save(self, must_create)

    def delete(self, session_key: str | None = None) -> None:
        if self._fronted:
            with contextlib.suppress(RedisError):
                return super().delete(session_key)
        return DatabaseSessionStore.delete(self, session_key)


def sessions_holding(email: str) -> QuerySet:
    """Live sessions that hold this address; found by digest (also under the keys in
    SECRET_KEY_FALLBACKS, for sessions saved before a key rotation), none decoded."""
    digests = [address_digest(email, secret=secret)
               for secret in (settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS)]
    holding = Q()
    for digest in digests:
        holding |= Q(address_digests__contains=digest)
    return SessionStore.get_model_class().objects.filter(holding,
                                                         expire_date__gt=timezone.now())


def erase_sessions_holding(email: str) -> int:
    """Delete the live sessions that hold this address, their cached copies first (a page
    would otherwise still read one); returns how many rows were deleted."""
    found = sessions_holding(email)
    keys = list(found.values_list("session_key", flat=True))
    cached = [SessionStore.cache_key_prefix + key for key in keys]

    def forget() -> None:
        caches[settings.SESSION_CACHE_ALIAS].delete_many(cached)

    forget()
    deleted, _counts = found.model.objects.filter(session_key__in=keys).delete()
    # Again once the deletion commits: a page that read the row before could have cached it.
    transaction.on_commit(forget)
    return deleted
