"""Parts of pages rendered once and cached (advisor/lib/fragments.py), in each language.

`page_fragment` renders a template (or a partial, "page.html#part") with a context and keeps
the HTML under the template's source, the language and its catalogue, and `vary_on`: the
caller names there every other value the HTML shows (the branding's fingerprint, the texts
of the questions). Templates use it as `{% load fragments %}{% fragment "name" value ... %}`,
rendered with the template's own context. Only for parts that show nothing personal: the
shared cache holds them.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from advisor.lib.fragments import cached_html, catalogue_digest, template_digest

register = template.Library()


def page_fragment(template_name: str, context: dict[str, Any], *,
                  vary_on: Iterable[object],
                  context_of: Callable[[], dict[str, Any]] | None = None) -> SafeString:
    """The template rendered with `context` (or what `context_of` returns, called only when
    the fragment is not in the cache)."""
    language = get_language() or ""
    parts = ("page", template_name, template_digest(template_name), language,
             catalogue_digest(language), *vary_on)
    return cached_html(parts, lambda: render_to_string(
        template_name, context_of() if context_of is not None else context))


@register.simple_tag(takes_context=True)
def fragment(context: template.Context, template_name: str, *vary_on: object) -> SafeString:
    """The template rendered with this context, from the cache when rendered before."""
    return page_fragment(template_name, context.flatten(), vary_on=vary_on)
