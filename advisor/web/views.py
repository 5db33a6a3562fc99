"""Small site-wide views outside the visitor's journey."""

from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.views.decorators.http import require_GET


@require_GET
def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    # Browsers ask for /favicon.ico on pages without an icon link (the admin).
    return HttpResponsePermanentRedirect(static("img/logo.svg"))
