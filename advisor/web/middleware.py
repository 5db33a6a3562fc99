"""Middleware: a branded 503 when the database is down, request limits, framing for embedding."""

import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

from advisor.web.errors import DATABASE_ERRORS, body_too_large, database_unavailable, files_refused

logger = logging.getLogger(__name__)

# Browser features no page of ours uses: all off, for us and anything we might embed
# (W3C Permissions Policy). Only names Chromium knows: an unknown one is a console error,
# which the real-browser test in tests/web/test_security.py watches for.
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in [
    "accelerometer", "autoplay", "browsing-topics", "camera", "clipboard-read",
    "display-capture", "encrypted-media", "fullscreen", "geolocation", "gyroscope", "hid",
    "idle-detection", "local-fonts", "magnetometer", "microphone", "midi", "otp-credentials",
    "payment", "picture-in-picture", "publickey-credentials-get", "screen-wake-lock", "serial",
    "usb", "window-management", "xr-spatial-tracking",
])
SECURITY_HEADERS = {
    "Permissions-Policy": PERMISSIONS_POLICY,
    # Other sites may not load our pages, PDFs or images as resources (Spectre-style leaks).
    "Cross-Origin-Resource-Policy": "same-origin",
    # Where report-to="csp" in the policy sends violation reports (Reporting API).
    "Reporting-Endpoints": 'csp="/csp-report/"',
}
# Epoch seconds, in a staff member's session: when it was first seen and last used.
STAFF_SESSION_STARTED = "advisor_staff_started"
STAFF_SESSION_SEEN = "advisor_staff_seen"
STAFF_SESSION_SEEN_EVERY = 60
# The only pages that take files: the back office (the consultant's logo).
UPLOAD_NAMESPACES = {"admin"}
# URL namespaces whose pages another site may frame when EMBED_ALLOWED_ORIGINS is set:
# the questionnaire, the result page and the privacy statement; never the admin.
EMBEDDABLE_NAMESPACES = {"advisor"}


class DatabaseUnavailableMiddleware:
    """A view that loses the database gets the 503 page with Retry-After, not a traceback.

    Nothing is cached about the failure: the next request opens a new connection (Django
    drops a connection after an error), so the site recovers without a restart. Errors
    outside the view (a session save) reach handler500, which does the same.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        logger.error("Database unavailable (%s) on %s", type(exception).__name__, request.path)
        return database_unavailable(request)


class EmbeddingMiddleware:
    """Lets the sites in EMBED_ALLOWED_ORIGINS show the public pages in an iframe.

    Without that setting every page says frame-ancestors 'none' and X-Frame-Options DENY.
    With it, public pages name exactly those origins in frame-ancestors (and drop
    X-Frame-Options, which cannot name a site); the admin stays unframeable.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        origins = settings.EMBED_ALLOWED_ORIGINS
        match = request.resolver_match
        if origins and match is not None and match.namespace in EMBEDDABLE_NAMESPACES:
            policy = getattr(response, "_csp_config", settings.SECURE_CSP)
            if policy:
                response._csp_config = {**policy, "frame-ancestors": list(origins)}
            response.xframe_options_exempt = True
        return response



class RequestLimitsMiddleware:
    """Refuses request bodies larger than REQUEST_BODY_MAX_BYTES before reading them (413),
    and file parts sent to any page outside the back office (400).

    Django caps form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but streams file parts of any size
    to disk, and the questionnaire wizard has no file storage: a file there was a 500.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_BODY_MAX_BYTES:
            return body_too_large(request)
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Callable[..., HttpResponse],
                     args: Any, kwargs: Any) -> HttpResponse | None:
        # Here, not in __call__: the URL (with its language prefix) is resolved by now.
        match = request.resolver_match
        takes_files = match is not None and match.namespace in UPLOAD_NAMESPACES
        if request.content_type == "multipart/form-data" and not takes_files and request.FILES:
            return files_refused(request)
        return None


class StaffSessionMiddleware:
    """Staff sessions end when the browser closes, after STAFF_SESSION_IDLE_MINUTES without a
    request and STAFF_SESSION_MAX_HOURS after they began; visitors keep SESSION_COOKIE_AGE.

    A staff session opens every lead; a visitor's holds one unfinished questionnaire, which
    they should be able to finish tomorrow. After AuthenticationMiddleware (needs the user).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        try:
            # Loads the session (and user) here rather than in the view: a database outage
            # must still become the 503 page, as DatabaseUnavailableMiddleware does for views.
            if user is not None and user.is_authenticated and user.is_staff:
                self._check(request)
        except DATABASE_ERRORS as error:
            logger.error("Database unavailable (%s) on %s", type(error).__name__, request.path)
            return database_unavailable(request)
        return self.get_response(request)

    @staticmethod
    def _check(request: HttpRequest) -> None:
        session, now = request.session, time.time()
        started = session.get(STAFF_SESSION_STARTED, now)
        seen = session.get(STAFF_SESSION_SEEN, now)
        idle = now - seen > settings.STAFF_SESSION_IDLE_MINUTES * 60
        too_old = now - started > settings.STAFF_SESSION_MAX_HOURS * 3600
        if idle or too_old:
            logger.info("Staff session ended (%s)", "idle" if idle else "maximum age")
            logout(request)  # the admin then asks for password and code again
            return
        # Written at most once a minute: a session save on every page costs queries.
        if STAFF_SESSION_STARTED not in session or now - seen >= STAFF_SESSION_SEEN_EVERY:
            session[STAFF_SESSION_STARTED] = started
            session[STAFF_SESSION_SEEN] = now
        if not session.get_expire_at_browser_close():
            # A cookie without Max-Age: the browser forgets it when it closes. The row in the
            # database still expires after SESSION_COOKIE_AGE and `purge` removes it.
            session.set_expiry(0)


class SecurityHeadersMiddleware:
    """The headers Django has no setting for (SECURITY_HEADERS), and noindex on the admin."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        match = getattr(request, "resolver_match", None)
        if match is not None and match.namespace in UPLOAD_NAMESPACES | {"admin"}:
            response.headers.setdefault("X-Robots-Tag", "noindex, nofollow")
        return response
