"""Headers and files trusted sites have: Permissions-Policy, CORP, CSP reports stored with
limits, __Host- cookies in production, security.txt and robots.txt."""

import json
from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from advisor.models import CspReport
from advisor.privacy.services import purge_expired
from advisor.web.middleware import SECURITY_HEADERS
from tests.conftest import ANSWERS, CONTACT, post_step
from tests.web.test_security import policy, production_settings

pytestmark = pytest.mark.django_db

TOKEN = "Zq3v0hXjN1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7r"
REPORT_URI_BODY = {"csp-report": {
    "document-uri": f"https://advies.example.nl/advies/{TOKEN}/?mail=eva@praktijkjansen.nl",
    "referrer": "https://mail.example.com/inbox?u=eva@praktijkjansen.nl",
    "violated-directive": "script-src-elem", "effective-directive": "script-src-elem",
    "original-policy": "default-src 'self'", "disposition": "enforce",
    "blocked-uri": "https://evil.example/x.js?c=eva%40praktijkjansen.nl", "line-number": 12,
    "source-file": f"https://advies.example.nl/advies/{TOKEN}/", "status-code": 200,
    "script-sample": "alert('eva@praktijkjansen.nl')",
}}
REPORT_TO_BODY = [{"type": "csp-violation", "age": 3, "url": "https://advies.example.nl/",
                   "user_agent": "Mozilla/5.0", "body": {
                       "documentURL": "https://advies.example.nl/vragen/contact/",
                       "blockedURL": "inline", "effectiveDirective": "style-src-attr",
                       "disposition": "enforce", "lineNumber": 3, "sample": "color:red"}}]


def send(client: Client, body, content_type="application/csp-report", **extra):
    return client.post(reverse("csp_report"), json.dumps(body), content_type=content_type,
                       **extra)


# --- Headers --------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/", "/vragen/business/", "/privacy/", "/robots.txt"])
def test_every_page_turns_off_browser_features_and_stays_on_our_own_origin(client, url):
    response = client.get(url, follow=True)
    permissions = dict(part.split("=") for part in response["Permissions-Policy"].split(", "))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert permissions[feature] == "()", feature
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


def test_the_policy_reports_violations_to_our_endpoint(client):
    response = client.get("/")
    directives = policy(response)
    assert directives["report-uri"] == [reverse("csp_report")]
    assert directives["report-to"] == ["csp"]
    assert response["Reporting-Endpoints"] == SECURITY_HEADERS["Reporting-Endpoints"]
    assert f'"{reverse("csp_report")}"' in response["Reporting-Endpoints"]


def test_the_admin_asks_not_to_be_indexed(client):
    assert client.get(reverse("admin:login"))["X-Robots-Tag"] == "noindex, nofollow"


# --- CSP reports ----------------------------------------------------------------------------

def test_a_report_is_stored_without_tokens_addresses_or_samples(client):
    assert send(client, REPORT_URI_BODY).status_code == 204
    [report] = CspReport.objects.all()
    assert report.document == "https://advies.example.nl/advies/[token]/"
    assert report.blocked == "https://evil.example/x.js"
    assert report.directive == "script-src-elem" and report.line == 12
    stored = " ".join(str(value) for value in vars(report).values())
    assert TOKEN not in stored and "eva" not in stored and "alert" not in stored


def test_reports_in_the_reporting_api_format_are_stored_too(client):
    response = send(client, REPORT_TO_BODY, content_type="application/reports+json")
    assert response.status_code == 204
    [report] = CspReport.objects.all()
    assert (report.document, report.blocked, report.directive) == (
        "https://advies.example.nl/vragen/contact/", "inline", "style-src-attr")


def test_a_report_needs_no_csrf_token(settings):
    strict = Client(enforce_csrf_checks=True)
    assert send(strict, REPORT_URI_BODY).status_code == 204


@pytest.mark.parametrize("body", [b"not json", b'{"csp-report": "x"}', b"\xff", b"42"])
def test_garbage_is_a_400_and_stores_nothing(client, body):
    response = client.post(reverse("csp_report"), body, content_type="application/csp-report")
    assert response.status_code == 400
    assert CspReport.objects.count() == 0


def test_other_kinds_of_browser_reports_are_ignored(client):
    body = [{"type": "deprecation", "body": {"id": "x"}}, 1, "csp-violation"]
    assert send(client, body, content_type="application/reports+json").status_code == 204
    assert CspReport.objects.count() == 0


def test_an_oversized_report_is_refused_unread(client):
    body = {"csp-report": {**REPORT_URI_BODY["csp-report"],
                           "script-sample": "x" * settings.CSP_REPORT_MAX_BYTES}}
    assert send(client, body).status_code == 413
    assert CspReport.objects.count() == 0


def test_one_client_can_only_send_a_few_reports(client, settings, redis_cache):
    server, prefix = redis_cache
    settings.CSP_REPORT_RATE_PER_IP = "3/h"
    statuses = [send(client, REPORT_URI_BODY, REMOTE_ADDR="198.51.100.5").status_code
                for _ in range(5)]
    assert statuses == [204, 204, 204, 429, 429]
    assert send(client, REPORT_URI_BODY, REMOTE_ADDR="198.51.100.6").status_code == 204
    assert CspReport.objects.count() == 4
    assert any(server.scan_iter(f"{prefix}:*"))  # counted in Redis, shared by every worker


def test_the_table_stops_growing_at_its_ceiling(client, settings):
    settings.CSP_REPORT_MAX_STORED = 2
    for n in range(4):
        assert send(client, REPORT_URI_BODY, REMOTE_ADDR=f"198.51.100.{n}").status_code == 204
    assert CspReport.objects.count() == 2


def test_old_reports_are_purged_with_the_rest(settings):
    now = timezone.now()
    CspReport.objects.create(directive="old",
                             received_at=now - timedelta(days=settings.CSP_REPORT_RETENTION_DAYS
                                                         + 1))
    CspReport.objects.create(directive="recent", received_at=now - timedelta(days=1))
    purge_expired(now=now)
    assert list(CspReport.objects.values_list("directive", flat=True)) == ["recent"]


def test_only_posts_are_taken(client):
    assert client.get(reverse("csp_report")).status_code == 405


# --- Cookies in production ------------------------------------------------------------------

def test_production_cookies_carry_the_host_prefix():
    production = production_settings()
    assert production["SESSION_COOKIE_NAME"] == "__Host-sessionid"
    assert production["CSRF_COOKIE_NAME"] == "__Host-csrftoken"
    assert production["LANGUAGE_COOKIE_NAME"] == "__Host-language"
    # What __Host- requires: Secure, Path=/ and no Domain, or browsers drop the cookie.
    assert production["SESSION_COOKIE_SECURE"] and production["CSRF_COOKIE_SECURE"]
    assert production["LANGUAGE_COOKIE_SECURE"]
    for kind in ("SESSION", "CSRF", "LANGUAGE"):
        assert production[f"{kind}_COOKIE_PATH"] == "/"
        assert production[f"{kind}_COOKIE_DOMAIN"] is None


def test_the_cookies_a_page_sets_are_ones_browsers_accept_with_the_host_prefix(settings):
    production = production_settings()
    for kind in ("SESSION", "CSRF", "LANGUAGE"):
        for part in ("NAME", "SECURE", "PATH", "DOMAIN", "SAMESITE"):
            setattr(settings, f"{kind}_COOKIE_{part}", production[f"{kind}_COOKIE_{part}"])
    client = Client()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})  # language cookie
    client.get(reverse("advisor:step", kwargs={"step": "business"}))  # CSRF
    post_step(client, "business", ANSWERS["business"])  # the session, with the first answers
    cookies = {name: morsel.OutputString() for name, morsel in client.cookies.items()}
    assert set(cookies) == {"__Host-sessionid", "__Host-csrftoken", "__Host-language"}
    for header in cookies.values():
        # RFC 6265bis 4.1.3.2: Secure, Path=/ and no Domain, or the browser drops it.
        attributes = {part.split("=")[0].strip().lower() for part in header.split(";")[1:]}
        assert {"secure", "path"} <= attributes and "domain" not in attributes, header
        assert "Path=/;" in header + ";"


def test_embedding_keeps_the_host_prefix_with_samesite_none():
    production = production_settings(EMBED_ALLOWED_ORIGINS="https://www.devries-it.nl")
    assert production["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert production["SESSION_COOKIE_SAMESITE"] == "None"


# --- security.txt and robots.txt ------------------------------------------------------------

def fields(text: str) -> dict[str, str]:
    return dict(line.split(": ", 1) for line in text.splitlines() if line)


def test_security_txt_follows_rfc_9116_with_the_profile_address(client, settings):
    settings.SITE_URL = "https://advies.example.nl"
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    values = fields(response.content.decode())
    assert values["Contact"] == f"mailto:{settings.BRANDING['email']}"
    expires = datetime.fromisoformat(values["Expires"])
    assert timezone.now() < expires < timezone.now() + timedelta(days=365)
    assert values["Preferred-Languages"] == "nl, en"
    assert values["Canonical"] == "https://advies.example.nl/.well-known/security.txt"


def test_security_txt_names_the_address_the_consultant_set_in_the_profile(client):
    from advisor.models import ConsultantProfile

    # The one profile's id, as the back office saves it: on PostgreSQL another id would be
    # whatever the sequence reached in earlier tests, and load() would not find it.
    ConsultantProfile.objects.create(pk=ConsultantProfile.SINGLETON_ID, consultant_name="Sanne",
                                     company_name="De Vries IT",
                                     email="security@devries-it.example")
    values = fields(client.get("/.well-known/security.txt").content.decode())
    assert values["Contact"] == "mailto:security@devries-it.example"


def test_robots_txt_keeps_reports_the_questionnaire_and_the_admin_out(client):
    text = client.get("/robots.txt").content.decode()
    disallowed = [line.removeprefix("Disallow: ") for line in text.splitlines()
                  if line.startswith("Disallow: ")]
    assert text.startswith("User-agent: *\n")
    for path in ("/advies/", "/en/advies/", "/vragen/", "/en/vragen/", "/admin/"):
        assert path in disallowed, path


def test_robots_txt_does_not_give_away_a_moved_admin(settings):
    from advisor.web.site_files import robots_txt_text

    assert "kantoor-7f3a" not in robots_txt_text(admin_url="kantoor-7f3a/")


def test_a_real_report_path_is_covered_by_robots_txt(client):
    from advisor.questionnaire.services import create_submission

    submission = create_submission(answers=ANSWERS["business"], contact=CONTACT, language="nl")
    text = client.get("/robots.txt").content.decode()
    assert any(submission.get_absolute_url().startswith(line.removeprefix("Disallow: "))
               for line in text.splitlines() if line.startswith("Disallow: "))


def test_a_report_in_another_format_is_refused_without_reading_it(client):
    # Found by tests/test_hostile_urls.py: a multipart body used to be a 500 here.
    response = client.post(reverse("csp_report"), {"csp-report": "x"})
    assert response.status_code == 415
    assert CspReport.objects.count() == 0


def test_staff_read_the_reports_in_the_back_office_and_cannot_make_them_up(client):
    from tests.factories import make_staff, verified_client

    send(client, REPORT_URI_BODY)
    staff = verified_client(make_staff())
    page = staff.get(reverse("admin:advisor_cspreport_changelist"))
    assert page.status_code == 200
    assert "https://evil.example/x.js" in page.content.decode()
    assert staff.get(reverse("admin:advisor_cspreport_add")).status_code == 403
    report = CspReport.objects.get()
    assert staff.post(reverse("admin:advisor_cspreport_change", args=[report.pk]),
                      {"directive": "x"}).status_code == 403
    assert CspReport.objects.get().directive == "script-src-elem"
