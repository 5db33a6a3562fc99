"""Parts of pages rendered once and cached (advisor/lib/fragments.py), in each language.

`page_fragment` renders a template (or a partial, "page.html#part") with a context and keeps
the HTML under the template's source, the language and its catalogue, the project's code,
and `vary_on`: the caller names there every other value the HTML shows (the branding's
fingerprint, the texts of the questions). Templates use it as
`{% load fragments %}{% fragment "name" value ... %}`, rendered with the template's own
context. `shared_page` does the same for a whole page, with each request's own CSRF token
and CSP nonce. Only for what shows nothing personal: the shared cache holds them.
"""

from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.middleware.csp import get_nonce
from django.middleware.csrf import get_token
from django.template import engines
from django.template.loader import get_template, render_to_string
from django.utils.csp import CONTEXT_KEY as CSP_NONCE_KEY
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from advisor.consultant.branding import get_branding
from advisor.lib.digests import source_digest
from advisor.lib.fragments import cached_html, catalogue_digest, template_digest


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
    nonce = get_nonce(request)
    if nonce is None:  # no CSP middleware: nothing to put in the stand-in's place
        return render_to_string(template_name, context, request=request)
    language = get_language() or ""
    branding = get_branding()
    parts = ("shared-page", template_name, template_digest(template_name), language,
             catalogue_digest(language), code_digest(), branding.fingerprint, request.path,
             *vary_on)

    def render() -> str:
        # Context processors would put the real token and nonce back over the stand-ins, so
        # their values come first and the stand-ins after them.
        values: dict[str, Any] = {}
        for processor in engines["django"].engine.template_context_processors:
            values.update(processor(request))
        values.update(context, branding=branding, csrf_token=CSRF_STAND_IN)
        values[CSP_NONCE_KEY] = NONCE_STAND_IN
        return get_template(template_name).render(values)

    html = str(cached_html(parts, render))
    if CSRF_STAND_IN in html:
        html = html.replace(CSRF_STAND_IN, str(get_token(request)))
    if NONCE_STAND_IN in html:
        html = html.replace(NONCE_STAND_IN, str(nonce))
    return html


@register.simple_tag(takes_context=True)
def fragment(context: template.Context, template_name: str, *vary_on: object) -> SafeString:
    """The template rendered with this context, from the cache when rendered before."""
    return page_fragment(template_name, context.flatten(), vary_on=vary_on)
