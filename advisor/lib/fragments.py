"""Rendered HTML fragments, cached under a key made of everything they are made from.

A fragment's key holds the digest of its template's source (with every template it includes
or extends by name), of the translation catalogue it is rendered in, and whatever the caller
adds (the texts of the questions, the branding's fingerprint, an advice's digest). So an
entry is never stale and never needs deleting: any change makes a new key, and the old entry
is simply not asked for again. Entries live in each process's memory (a bounded LRU), in
front of the shared cache, where other processes find what one has rendered.
"""

import contextlib
import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from types import ModuleType

from django.conf import settings
from django.core.cache import cache
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation.trans_real import translation
from redis.exceptions import RedisError

from advisor.lib.digests import file_digest

# {% include "name" %}, {% extends "name" %} and {% fragment "name" %} with a literal name (a
# fragment's HTML is part of the page that shows it, when that page is cached whole).
NAMED_TEMPLATE = re.compile(r"""{%\s*(?:include|extends|fragment)\s+["']([^"']+)["']""")
LOCAL_ENTRIES = 256
SHARED_SECONDS = 7 * 24 * 3600
KEY_PREFIX = "fragment"
DIGEST_ATTRIBUTE = "_advisor_fragment_digest"  # kept on a loaded template or catalogue


def digest_of(parts: Iterable[object]) -> str:
    """One short digest of several values, each kept apart from the next."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(str(part).encode())
        digest.update(b"\x00")
    return digest.hexdigest()[:32]


def template_digest(name: str) -> str:
    """The digest of a template's source and of every template it names, recursively.

    A partial ("page.html#part") is digested as its whole file. Worked out once per loaded
    template: a process renders the source it loaded, and when the template loaders reload
    (the development server, after an edit) the new template is digested afresh.
    """
    loaded = get_template(name.partition("#")[0]).template
    digest = loaded.__dict__.get(DIGEST_ATTRIBUTE)
    if digest is None:
        seen: dict[str, str] = {}
        _collect(name.partition("#")[0], seen)
        digest = digest_of(f"{key}={value}" for key, value in sorted(seen.items()))
        loaded.__dict__[DIGEST_ATTRIBUTE] = digest
    return digest


def _collect(name: str, seen: dict[str, str]) -> None:
    if name in seen:
        return
    path = get_template(name).origin.name
    seen[name] = source = file_digest(path)
    for included in _named_templates(path, source):
        _collect(included.partition("#")[0], seen)


@lru_cache(maxsize=256)
def _named_templates(path: str, source_digest: str) -> tuple[str, ...]:
    # Keyed by the source's digest: an edited template is read again.
    return tuple(NAMED_TEMPLATE.findall(Path(path).read_text(encoding="utf-8")))


@lru_cache(maxsize=64)
def module_digest(*modules: ModuleType) -> str:
    """The digest of the source of these modules, as this process loaded them: for
    fragments whose values they compute."""
    return digest_of(file_digest(module.__file__) for module in modules)


def catalogue_digest(language: str) -> str:
    """The digest of the compiled catalogues of our own texts in this language, worked out
    once per loaded catalogue (the development server reloads it after a change)."""
    loaded = translation(language)
    digest = loaded.__dict__.get(DIGEST_ATTRIBUTE)
    if digest is None:
        digest = digest_of(file_digest(Path(folder) / language / "LC_MESSAGES" / "django.mo")
                           for folder in settings.LOCALE_PATHS)
        loaded.__dict__[DIGEST_ATTRIBUTE] = digest
    return digest


class _LocalEntries:
    """The last LOCAL_ENTRIES fragments this process used (threads share it)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: OrderedDict[str, str] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> str | None:
        with self.lock:
            html = self.entries.get(key)
            if html is not None:
                self.entries.move_to_end(key)
            return html

    def put(self, key: str, html: str) -> None:
        with self.lock:
            self.entries[key] = html
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)


_local = _LocalEntries(LOCAL_ENTRIES)


def cached_html(parts: Iterable[object], render: Callable[[], str]) -> SafeString:
    """The HTML `render` makes, from this process's memory or the shared cache when a
    fragment with the same parts was rendered before. `parts` must name everything the HTML
    depends on; a shared cache that is down only costs the render."""
    key = f"{KEY_PREFIX}:{digest_of(parts)}"
    html = _local.get(key)
    if html is None:
        try:
            html = cache.get(key)
        except RedisError:
            html = None
        if html is None:
            html = str(render())
            with contextlib.suppress(RedisError):
                cache.set(key, html, SHARED_SECONDS)
        _local.put(key, html)
    return mark_safe(html)  # the output of a Django template, escaped there
