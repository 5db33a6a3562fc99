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
from django.middleware import csrf
from django.template import loader
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from advisor.consultant.branding import Branding, branding_offline, get_branding

logger = logging.getLogger(__name__)

# The errors a lost or refused database connection raises (PostgreSQL and SQLite alike).
DATABASE_ERRORS = (OperationalError, InterfaceError)
# Seconds a browser or load balancer should wait before trying again.
RETRY_AFTER_DATABASE = 30
RETRY_AFTER_RATE_LIMIT = 600

BAD_REQUEST = _("Something in what your browser sent was not right. Go back and try again.")
FILES_REFUSED = _("This form does not take files. Go back and fill in the fields only.")
BODY_TOO_LARGE = _("That was more than this form can take. Go back and shorten what you typed.")

# Why a form was refused (Django's CSRF check), in the visitor's words: what happened and
# what to do. Picked by csrf_failure_kind() from Django's reason; one explanation per page.
CSRF_EXPIRED = "expired"
CSRF_COOKIES_BLOCKED = "cookies_blocked"
CSRF_FRAMED = "framed"
CSRF_OTHER_SITE = "other_site"
CSRF_EXPLANATIONS = {
    CSRF_EXPIRED: {
        "heading": _("This page has expired"),
        "text": _("The page was open for a long time, or you used the site in another tab in "
                  "the meantime. Nothing was sent. Reload the page and send the form again."),
        "action": _("Back to the form"),
    },
    CSRF_COOKIES_BLOCKED: {
        "heading": _("Your browser blocked a cookie this form needs"),
        "text": _("The form needs one small cookie that protects it against misuse; we use no "
                  "tracking cookies. Allow cookies for this site, reload the page and send the "
                  "form again."),
        "action": _("Back to the form"),
    },
    CSRF_FRAMED: {
        "heading": _("Open the questionnaire in its own window"),
        "text": _("You are using the questionnaire inside another website. Your browser blocks "
                  "the cookie it needs there. In its own window it works."),
        "action": _("Open the questionnaire in a new window"),
    },
    CSRF_OTHER_SITE: {
        "heading": _("This form did not come from our website"),
        "text": _("Your browser says the form was sent from another website, or does not say "
                  "where it came from. For your safety we only accept forms filled in on our own "
                  "pages. Open the page on our site and send the form from there."),
        "action": _("To the start page"),
    },
}
# Django's reasons that mean "the Origin or Referer header is not ours (or missing)".
_OTHER_SITE_REASONS = ("Origin checking failed", "Referer checking failed")



def _branding(*, database_down: bool) -> Branding:
    if database_down:
        return branding_offline()
    try:
        return get_branding()
    except DatabaseError:
        # Lost mid-request (a broken transaction, a dropped connection): don't fail twice.
        return branding_offline()


def _context(*, database_down: bool, **extra: Any) -> dict[str, Any]:
    try:
        home_url = reverse("advisor:home")
    except NoReverseMatch:
        home_url = "/"
    return {
        "LANGUAGE_CODE": get_language() or settings.LANGUAGE_CODE,
        "branding": _branding(database_down=database_down),
        "home_url": home_url,
        **extra,
    }


def _render(template: str, request: HttpRequest | None, *, status: int,
            retry_after: int | None = None, database_down: bool = False,
            **extra: Any) -> HttpResponse:
    # With the request for the nonce of the brand colours' <style>; the context processors
    # are lazy, and the explicit branding above wins over theirs.
    html = loader.get_template(template).render(
        _context(database_down=database_down, **extra), request)
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


def csrf_failure_kind(reason: str, *, framed: bool) -> str:
    """Which explanation fits Django's CSRF refusal `reason` (see django.middleware.csrf)."""
    if reason.startswith(_OTHER_SITE_REASONS):
        return CSRF_OTHER_SITE
    if reason == csrf.REASON_NO_CSRF_COOKIE:
        return CSRF_FRAMED if framed else CSRF_COOKIES_BLOCKED
    # A token missing, wrong or of another session: the page outlived its token.
    return CSRF_EXPIRED


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: says why the form was refused, in plain words, and what to do."""
    logger.warning("CSRF check failed on %s: %s", request.path, reason)
    # Sec-Fetch-Dest is sent by current browsers; a form posted inside an iframe says so.
    kind = csrf_failure_kind(reason, framed=request.headers.get("Sec-Fetch-Dest") == "iframe")
    back_url = _our_referer(request) if kind in (CSRF_EXPIRED, CSRF_COOKIES_BLOCKED) else None
    return _render("403_csrf.html", request, status=403, kind=kind, back_url=back_url,
                   new_window=kind == CSRF_FRAMED, **CSRF_EXPLANATIONS[kind])


def _our_referer(request: HttpRequest) -> str | None:
    """The page the form was on, when the browser says it was one of ours."""
    referer = request.headers.get("Referer", "")
    if url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return referer
    return None


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400: a malformed request, too many fields, a tampered wizard step."""
    return _render("400.html", request, status=400, message=BAD_REQUEST)


def files_refused(request: HttpRequest) -> HttpResponse:
    """A public form was sent with a file attached: none of them takes one."""
    logger.warning("File upload refused on %s", request.path)
    return _render("400.html", request, status=400, message=FILES_REFUSED)


def body_too_large(request: HttpRequest) -> HttpResponse:
    """413: the request body is larger than any of our forms needs; it is not read."""
    logger.warning("Request body of %s bytes refused on %s",
                   request.META.get("CONTENT_LENGTH"), request.path)
    return _render("400.html", request, status=413, message=BODY_TOO_LARGE)
