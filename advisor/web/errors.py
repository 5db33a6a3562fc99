"""Error pages that must work when everything else fails: 500, 503 (database down), 429.

They render without context processors and without the database: the branding comes from
settings.BRANDING, not from the back office's profile, and the templates need no nonce.
"""

import logging
import sys
from typing import Any

from django.conf import settings
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# The errors a lost or refused database connection raises (PostgreSQL and SQLite alike).
DATABASE_ERRORS = (OperationalError, InterfaceError)
# Seconds a browser or load balancer should wait before trying again.
RETRY_AFTER_DATABASE = 30
RETRY_AFTER_RATE_LIMIT = 600

BAD_REQUEST = _("Something in what your browser sent was not right. Go back and try again.")
FILES_REFUSED = _("This form does not take files. Go back and fill in the fields only.")
BODY_TOO_LARGE = _("That was more than this form can take. Go back and shorten what you typed.")


def _context() -> dict[str, Any]:
    try:
        home_url = reverse("advisor:home")
    except NoReverseMatch:
        home_url = "/"
    return {
        "LANGUAGE_CODE": get_language() or settings.LANGUAGE_CODE,
        "branding": {key: settings.BRANDING.get(key, "") for key in
                     ("company_name", "consultant_name", "email", "phone")},
        "home_url": home_url,
    }


def _render(template: str, *, status: int, retry_after: int | None = None,
            **extra: Any) -> HttpResponse:
    context = {**_context(), **extra}
    response = HttpResponse(loader.get_template(template).render(context), status=status)
    response["Cache-Control"] = "no-store"
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


def database_unavailable(request: HttpRequest | None = None) -> HttpResponse:
    """The branded 503 page: the database cannot be reached; nothing the visitor did wrong."""
    return _render("503.html", status=503, retry_after=RETRY_AFTER_DATABASE)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500. An error while the database is down gets the 503 page instead."""
    if isinstance(sys.exception(), DATABASE_ERRORS):
        return database_unavailable(request)
    return _render("500.html", status=500)


def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """RATELIMIT_VIEW: too many submissions or e-mails from one address in a short time."""
    logger.warning("Rate limit reached on %s", request.path)
    return _render("429.html", status=429, retry_after=RETRY_AFTER_RATE_LIMIT)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: an expired page, or cookies blocked inside another site's frame."""
    logger.warning("CSRF check failed on %s: %s", request.path, reason)
    return _render("403_csrf.html", status=403)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400: a malformed request, too many fields, a tampered wizard step."""
    return _render("400.html", status=400, message=BAD_REQUEST)


def files_refused(request: HttpRequest) -> HttpResponse:
    """A public form was sent with a file attached: none of them takes one."""
    logger.warning("File upload refused on %s", request.path)
    return _render("400.html", status=400, message=FILES_REFUSED)


def body_too_large(request: HttpRequest) -> HttpResponse:
    """413: the request body is larger than any of our forms needs; it is not read."""
    logger.warning("Request body of %s bytes refused on %s",
                   request.META.get("CONTENT_LENGTH"), request.path)
    return _render("400.html", status=413, message=BODY_TOO_LARGE)
