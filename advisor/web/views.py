"""Small site-wide views outside the visitor's journey."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.core import is_ratelimited
from redis.exceptions import RedisError

from advisor.web.csp_reports import InvalidReport, parse_reports, store_reports
from advisor.web.site_files import robots_txt_text, security_txt_text

# report-uri sends application/csp-report, report-to application/reports+json.
CSP_REPORT_TYPES = {"application/csp-report", "application/reports+json", "application/json"}


@require_GET
def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    # Browsers ask for /favicon.ico on pages without an icon link (the admin).
    return HttpResponsePermanentRedirect(static("img/logo.svg"))


@csrf_exempt  # browsers send reports without a token or cookies
@require_POST
def csp_report(request: HttpRequest) -> HttpResponse:
    """Where browsers report what the content security policy blocked (report-uri/report-to)."""
    if request.content_type not in CSP_REPORT_TYPES:
        # Before the body: a form or multipart body may have been parsed already.
        return HttpResponse(status=415)
    if int(request.META.get("CONTENT_LENGTH") or 0) > settings.CSP_REPORT_MAX_BYTES:
        return HttpResponse(status=413)
    try:
        limited = is_ratelimited(request, group="advisor:csp-report", key="ip",
                                 rate=settings.CSP_REPORT_RATE_PER_IP, increment=True)
    except RedisError:
        limited = True  # reports are nice to have: without the counter, take none
    if limited:
        return HttpResponse(status=429)
    try:
        reports = parse_reports(body=request.body)
    except InvalidReport:
        return HttpResponse(status=400)
    store_reports(reports=reports)
    return HttpResponse(status=204)


@require_GET
def security_txt(request: HttpRequest) -> HttpResponse:
    """/.well-known/security.txt (RFC 9116): whom to tell about a vulnerability."""
    return HttpResponse(security_txt_text(site_url=settings.SITE_URL, now=timezone.now()),
                        content_type="text/plain; charset=utf-8")


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Keeps crawlers out of report pages, the questionnaire and (unless moved) the admin."""
    return HttpResponse(robots_txt_text(admin_url=settings.ADMIN_URL),
                        content_type="text/plain; charset=utf-8")
