"""Error pages that must work when everything else fails: 500, 503 (database down), 429, CSRF.

Branded like every other page, from the consultant's profile; only when the database is
what failed do they fall back to settings.BRANDING (branding_offline), without a query.
"""

import logging
import sys
from typing import Any

from django.conf import settings
from django.db.utils import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language

from advisor.consultant.branding import Branding, branding_offline, get_branding

logger = logging.getLogger(__name__)

# The errors a lost or refused database connection raises (PostgreSQL and SQLite alike).
DATABASE_ERRORS = (OperationalError, InterfaceError)
# Seconds a browser or load balancer should wait before trying again.
RETRY_AFTER_DATABASE = 30
RETRY_AFTER_RATE_LIMIT = 600


def _branding(*, database_down: bool) -> Branding:
    if database_down:
        return branding_offline()
    try:
        return get_branding()
    except DatabaseError:
        # Lost mid-request (a broken transaction, a dropped connection): don't fail twice.
        return branding_offline()


def _context(*, database_down: bool) -> dict[str, Any]:
    try:
        home_url = reverse("advisor:home")
    except NoReverseMatch:
        home_url = "/"
    return {
        "LANGUAGE_CODE": get_language() or settings.LANGUAGE_CODE,
        "branding": _branding(database_down=database_down),
        "home_url": home_url,
    }


def _render(template: str, request: HttpRequest | None, *, status: int,
            retry_after: int | None = None, database_down: bool = False) -> HttpResponse:
    # With the request for the nonce of the brand colours' <style>; the context processors
    # are lazy, and the explicit branding above wins over theirs.
    html = loader.get_template(template).render(_context(database_down=database_down), request)
    response = HttpResponse(html, status=status)
    response["Cache-Control"] = "no-store"
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


def database_unavailable(request: HttpRequest | None = None) -> HttpResponse:
    """The branded 503 page: the database cannot be reached; nothing the visitor did wrong."""
    return _render("503.html", request, status=503, retry_after=RETRY_AFTER_DATABASE,
                   database_down=True)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500. An error while the database is down gets the 503 page instead."""
    if isinstance(sys.exception(), DATABASE_ERRORS):
        return database_unavailable(request)
    return _render("500.html", request, status=500)


def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """RATELIMIT_VIEW: too many submissions or e-mails from one address in a short time."""
    logger.warning("Rate limit reached on %s", request.path)
    return _render("429.html", request, status=429, retry_after=RETRY_AFTER_RATE_LIMIT)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: an expired page, or cookies blocked inside another site's frame."""
    logger.warning("CSRF check failed on %s: %s", request.path, reason)
    return _render("403_csrf.html", request, status=403)
