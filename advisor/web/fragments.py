"""Parts of pages rendered once and cached (advisor/lib/fragments.py), in each language.

`page_fragment` renders a template (or a partial, "page.html#part") with a context and keeps
the HTML under the template's source, the language and its catalogue, the project's code,
and `vary_on`: the caller names there every other value the HTML shows (the branding's
fingerprint, the texts of the questions). Templates use it as
`{% load fragments %}{% fragment "name" value ... %}`, rendered with the template's own
context. `shared_page` does the same for a whole page, with each request's own CSRF token
and CSP nonce. Only for what shows nothing personal: the shared cache holds them.
`private_page` keeps one visitor's own page (the result page) in the shared cache alone,
under a digest of the stored rows it shows, until those change or are erased.
"""

import contextlib
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from django import template
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import Http404, HttpRequest
from django.middleware.csp import get_nonce
from django.middleware.csrf import get_token
from django.template import engines
from django.template.loader import get_template, render_to_string
from django.utils.csp import CONTEXT_KEY as CSP_NONCE_KEY
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from redis.exceptions import RedisError

from advisor.consultant.branding import Branding, branding_and, get_branding
from advisor.lib.digests import source_digest
from advisor.lib.fragments import cached_html, catalogue_digest, digest_of, template_digest
from advisor.lib.redis_cache import shares_between_processes


@lru_cache(maxsize=1)
def code_digest() -> str:
    """The project's own Python source (once per process): addresses and texts it makes are
    in the cached HTML, and the shared cache outlives a deploy."""
    return source_digest(settings.BASE_DIR / "advisor", settings.BASE_DIR / "config")


register = template.Library()


def page_fragment(template_name: str, context: dict[str, Any], *,
                  vary_on: Iterable[object],
                  context_of: Callable[[], dict[str, Any]] | None = None) -> SafeString:
    """The template rendered with `context` (or what `context_of` returns, called only when
    the fragment is not in the cache)."""
    language = get_language() or ""
    parts = ("page", template_name, template_digest(template_name), language,
             catalogue_digest(language), code_digest(), *vary_on)
    return cached_html(parts, lambda: render_to_string(
        template_name, context_of() if context_of is not None else context))


# The two values of a public page that differ per request. A page that is otherwise the same
# for every visitor is cached with these stand-ins in their place, and each response gets its
# own token and nonce put in. Letters, digits and hyphens: escaping leaves them as they are.
CSRF_STAND_IN = "csrf-stand-in-c3b1e0d2"
NONCE_STAND_IN = "nonce-stand-in-8f4a27b6"


def shared_page(request: HttpRequest, template_name: str, context: dict[str, Any], *,
                vary_on: Iterable[object]) -> str:
    """A whole page as `template_name` renders it for this request, from the cache when it
    was rendered before with the same template sources, language, catalogue, branding,
    address and `vary_on`; with this request's own CSRF token and CSP nonce.

    Only for pages that show nothing personal and nothing a visitor typed, requested
    without a query string (the address is part of the key, and nobody may fill the cache
    with addresses of their own making): `vary_on` names every other value of `context` the
    page shows."""
    if get_nonce(request) is None:  # no CSP middleware: nothing to put in the stand-in's place
        return render_to_string(template_name, context, request=request)
    branding = get_branding()
    parts = ("shared-page", *_page_parts(request, template_name, branding), *vary_on)
    html = str(cached_html(parts, lambda: _with_stand_ins(request, template_name, context,
                                                          branding)))
    return _filled_in(request, html)


def _page_parts(request: HttpRequest, template_name: str, branding: Branding) -> tuple[str, ...]:
    """What every cached page is made from besides its own values."""
    language = get_language() or ""
    return (template_name, template_digest(template_name), language,
            catalogue_digest(language), code_digest(), branding.fingerprint, request.path)


def _with_stand_ins(request: HttpRequest, template_name: str, context: dict[str, Any],
                    branding: Branding) -> str:
    # Context processors would put the real token and nonce back over the stand-ins, so
    # their values come first and the stand-ins after them.
    values: dict[str, Any] = {}
    for processor in engines["django"].engine.template_context_processors:
        values.update(processor(request))
    values.update(context, branding=branding, csrf_token=CSRF_STAND_IN)
    values[CSP_NONCE_KEY] = NONCE_STAND_IN
    return get_template(template_name).render(values)


def _filled_in(request: HttpRequest, html: str) -> str:
    if CSRF_STAND_IN in html:
        html = html.replace(CSRF_STAND_IN, str(get_token(request)))
    if NONCE_STAND_IN in html:
        html = html.replace(NONCE_STAND_IN, str(get_nonce(request)))
    return html


# A page that shows one visitor's own data (their advice, name and address) is kept in the
# shared cache only: never in a process's memory, where an erasure could not reach it. Each
# copy is deleted when its data is erased (forget_private_pages), and lives this long at most.
PRIVATE_SECONDS = 15 * 60
PRIVATE_KEY_PREFIX = "private-page"


def private_pages_cached() -> bool:
    """Only a cache every process shares holds private pages: in one process's own memory
    (development without REDIS_URL) an erasure run elsewhere could not delete the copy."""
    return shares_between_processes(cache)


def _private_key(owner: str, language: str) -> str:
    # The owner (a report link's token) is a secret: the key holds only its digest.
    return f"{PRIVATE_KEY_PREFIX}:{digest_of(('private-page', owner, language))}"


def private_page(request: HttpRequest, template_name: str,
                 context_of: Callable[[], dict[str, Any]], *, owner: str,
                 state: Iterable[object], state_now: Callable[[], Iterable[object]]) -> str:
    """The page of one `owner` (a report link), from the shared cache while `state` (the
    stored rows the page shows, read in one cheap query) and everything `shared_page` keys
    on are unchanged; rendered with what `context_of` returns otherwise. With this request's
    own CSRF token and CSP nonce.

    One entry per owner and language, replaced whenever the state changes, so an owner's
    data is in at most one copy per language that forget_private_pages can find. After a
    render is stored, `state_now()` reads the state again (Http404 when the data is gone):
    an erasure that committed while this page was rendered finds no copy to delete, so the
    copy is deleted here. Only for pages without a query string, messages or a visitor's
    input."""
    if get_nonce(request) is None or not private_pages_cached():
        return render_to_string(template_name, context_of(), request=request)
    key = _private_key(owner, get_language() or "")
    branding, found = branding_and([key])
    state = tuple(state)
    digest = digest_of(("private-page", *_page_parts(request, template_name, branding), *state))
    entry = found.get(key)
    if isinstance(entry, tuple) and entry[0] == digest:
        return _filled_in(request, entry[1])
    html = _with_stand_ins(request, template_name, context_of(), branding)
    try:
        cache.set(key, (digest, html), PRIVATE_SECONDS)
        try:
            unchanged = tuple(state_now()) == state
        except Http404:
            unchanged = False
        if not unchanged:
            cache.delete(key)
    except RedisError:
        pass  # nothing stored, or nothing more to delete than a cache that is down
    return _filled_in(request, html)


def forget_private_pages(owners: Iterable[str]) -> None:
    """Delete the cached pages of these owners, now and again when the transaction commits
    (a page that read the data before could still store its copy until then)."""
    keys = [_private_key(owner, language) for owner in owners
            for language, _name in settings.LANGUAGES]
    if not keys:
        return

    def forget() -> None:
        with contextlib.suppress(RedisError):
            cache.delete_many(keys)

    forget()
    transaction.on_commit(forget)


@register.simple_tag(takes_context=True)
def fragment(context: template.Context, template_name: str, *vary_on: object) -> SafeString:
    """The template rendered with this context, from the cache when rendered before."""
    return page_fragment(template_name, context.flatten(), vary_on=vary_on)
