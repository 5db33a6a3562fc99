"""Security headers, the content security policy, embedding, production settings, rate limits
and the bot checks on the public form."""

import json
import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import translation

from advisor.lib.client_ip import client_ip
from advisor.models import OutgoingMail, Submission
from advisor.questionnaire.forms import (
    EMAIL_SINGLE_LINE,
    HONEYPOT_FILLED,
    HONEYPOT_LABEL,
    SINGLE_LINE_ONLY,
    TOO_FAST,
)
from advisor.questionnaire.services import create_submission
from advisor.web.errors import (
    CSRF_COOKIES_BLOCKED,
    CSRF_EXPIRED,
    CSRF_EXPLANATIONS,
    CSRF_FRAMED,
    CSRF_OTHER_SITE,
)
from tests.conftest import ANSWERS, CONTACT

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/0"
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "x" * 20 + uuid.uuid4().hex + "y" * 20,
    "DJANGO_ALLOWED_HOSTS": "advies.example.nl",
    "REDIS_URL": REDIS_URL,
    # Background jobs need PostgreSQL in production (the check does not connect to it).
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
}


def policy(response) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: [sources]}."""
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def nonce_of(response) -> str:
    sources = policy(response)["script-src"]
    [nonce] = [s for s in sources if s.startswith("'nonce-")]
    return nonce.removeprefix("'nonce-").removesuffix("'")


def inline_code_without_the_nonce(html: str, nonce: str) -> list[str]:
    """Inline <script> and <style> blocks the policy would block, and style/on* attributes."""
    problems = []
    for match in re.finditer(r"<(script|style)\b([^>]*)>", html):
        tag, attributes = match.groups()
        external = tag == "script" and "src=" in attributes
        data_block = 'type="application/json"' in attributes
        if not (external or data_block) and f'nonce="{nonce}"' not in attributes:
            problems.append(match.group(0))
    problems += re.findall(r"<[^>]+\s(?:style|on[a-z]+)=\"[^\"]*\"", html)
    return problems


def complete_with(client: Client, contact=None, language="nl", **extra):
    """The whole questionnaire from one client, `extra` (e.g. REMOTE_ADDR) on every request."""
    response = None
    for step, answers in [*ANSWERS.items(), ("contact", contact or CONTACT)]:
        with translation.override(language):
            url = reverse("advisor:step", kwargs={"step": step})
        client.get(url, **extra)
        response = client.post(url, {"questionnaire_view-current_step": step, **answers},
                               **extra)
    return response


def run_with_env(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_"))}
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env={**clean, **env}, capture_output=True,
        text=True, timeout=120,
    )


def production_settings(**env: str) -> dict:
    """Settings as production loads them (a separate process: settings are read at import)."""
    names = ["SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
             "SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_SAMESITE", "SECURE_HSTS_SECONDS",
             "SECURE_SSL_REDIRECT", "EMBED_ALLOWED_ORIGINS", "CACHES",
             "SESSION_COOKIE_NAME", "CSRF_COOKIE_NAME", "LANGUAGE_COOKIE_NAME",
             "LANGUAGE_COOKIE_SECURE", "SESSION_COOKIE_PATH", "CSRF_COOKIE_PATH",
             "LANGUAGE_COOKIE_PATH", "SESSION_COOKIE_DOMAIN", "CSRF_COOKIE_DOMAIN",
             "LANGUAGE_COOKIE_DOMAIN", "LANGUAGE_COOKIE_SAMESITE"]
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    result = run_with_env({**PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
                          "-c", code)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- Headers and the content security policy ---

def test_public_pages_send_a_strict_content_security_policy(client):
    response = client.get("/")
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    for directive in ("script-src", "style-src"):
        assert csp[directive][0] == "'self'" and csp[directive][1].startswith("'nonce-")
        assert "'unsafe-inline'" not in csp[directive] and "'unsafe-eval'" not in csp[directive]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]


def test_public_pages_send_the_other_security_headers(client):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_brand_colours_style_block_carries_the_nonce_of_the_policy(client):
    response = client.get("/")
    html = response.content.decode()
    assert f'<style nonce="{nonce_of(response)}">' in html
    assert inline_code_without_the_nonce(html, nonce_of(response)) == []


def test_every_questionnaire_step_is_free_of_inline_code_without_nonce(client, questionnaire):
    for step in questionnaire.steps:
        response = client.get(questionnaire.url(step), follow=True)
        assert inline_code_without_the_nonce(response.content.decode(), nonce_of(response)) == []
        if step != "contact":
            questionnaire.post(client, step, questionnaire.answers[step])


def test_a_report_page_keeps_its_address_out_of_referrers(client):
    submission = create_submission(answers=ANSWERS["business"], contact=CONTACT, language="nl")
    response = client.get(submission.get_absolute_url())
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cache-Control"] == "no-store"
    assert inline_code_without_the_nonce(response.content.decode(), nonce_of(response)) == []


@pytest.fixture
def consultant(client, settings):
    """A logged-in superuser (the second factor is django-otp's business, tested there)."""
    settings.ADMIN_REQUIRE_2FA = False
    user = User.objects.create_superuser("consultant", "consultant@example.com", "pw-not-used")
    client.force_login(user)
    return user


def test_the_admin_works_under_the_policy_without_inline_code(client, consultant):
    submission = create_submission(answers=ANSWERS["business"], contact=CONTACT, language="nl")
    pages = [
        reverse("admin:index"),
        reverse("admin:advisor_submission_changelist"),
        reverse("admin:advisor_submission_change", args=[submission.pk]),
        reverse("admin:auth_user_add"),
        reverse("admin:auth_user_change", args=[consultant.pk]),
        reverse("admin_privacy"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert policy(response)["frame-ancestors"] == ["'none'"]
        html = response.content.decode()
        assert inline_code_without_the_nonce(html, nonce_of(response)) == [], url


def test_the_admin_login_page_is_free_of_inline_code(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 200
    assert inline_code_without_the_nonce(response.content.decode(), nonce_of(response)) == []


# --- Embedding in the consultant's website ---

def test_without_embedding_configured_no_site_may_frame_the_questionnaire(client):
    response = client.get(reverse("advisor:step", kwargs={"step": "business"}))
    assert policy(response)["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"


def test_configured_sites_may_frame_the_questionnaire_and_the_result(client, settings):
    settings.EMBED_ALLOWED_ORIGINS = ["https://www.devries-it.example"]
    submission = create_submission(answers=ANSWERS["business"], contact=CONTACT, language="nl")
    for url in ["/", reverse("advisor:step", kwargs={"step": "business"}),
                submission.get_absolute_url()]:
        response = client.get(url)
        assert policy(response)["frame-ancestors"] == ["https://www.devries-it.example"], url
        assert "X-Frame-Options" not in response, url
        # The rest of the policy stays as strict.
        assert policy(response)["object-src"] == ["'none'"]


def test_the_admin_is_never_framed_even_with_embedding_configured(client, settings):
    settings.EMBED_ALLOWED_ORIGINS = ["https://www.devries-it.example"]
    response = client.get(reverse("admin:login"))
    assert policy(response)["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"


def test_embedding_in_production_makes_the_cookies_usable_inside_the_frame():
    embedded = production_settings(EMBED_ALLOWED_ORIGINS="https://www.devries-it.example")
    assert embedded["SESSION_COOKIE_SAMESITE"] == embedded["CSRF_COOKIE_SAMESITE"] == "None"
    assert embedded["SESSION_COOKIE_SECURE"] and embedded["CSRF_COOKIE_SECURE"]


def test_an_embedding_origin_that_could_extend_the_policy_is_refused():
    code = "import django; django.setup()"
    result = run_with_env({**PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "config.settings",
                           "EMBED_ALLOWED_ORIGINS": "https://a.example; script-src *"},
                          "-c", code)
    assert result.returncode != 0
    assert "EMBED_ALLOWED_ORIGINS" in result.stderr


def refused(questionnaire, language="en", **headers):
    """The first step posted by a client that enforces CSRF, with the given headers."""
    client = Client(enforce_csrf_checks=True)
    response = questionnaire.post(client, "business", ANSWERS["business"], language=language,
                                  headers=headers)
    assert response.status_code == 403
    return response.content.decode()


def explanation(kind: str) -> list[str]:
    return [str(CSRF_EXPLANATIONS[kind][part]) for part in ("heading", "text", "action")]


def other_explanations(kind: str) -> list[str]:
    return [str(CSRF_EXPLANATIONS[other]["heading"]) for other in CSRF_EXPLANATIONS
            if other != kind]


def test_a_form_posted_inside_another_site_without_our_cookie_says_open_a_new_window(
        questionnaire):
    html = refused(questionnaire, sec_fetch_dest="iframe")
    assert all(part in html for part in explanation(CSRF_FRAMED))
    assert 'href="/en/" target="_blank"' in html
    assert not any(heading in html for heading in other_explanations(CSRF_FRAMED))
    assert Submission.objects.count() == 0


def test_a_form_without_our_cookie_in_a_window_of_its_own_asks_to_allow_cookies(questionnaire):
    html = refused(questionnaire, sec_fetch_dest="document")
    assert all(part in html for part in explanation(CSRF_COOKIES_BLOCKED))
    assert 'target="_blank"' not in html
    assert not any(heading in html for heading in other_explanations(CSRF_COOKIES_BLOCKED))


def test_an_expired_page_asks_to_reload_and_leads_back_to_the_form(client, questionnaire):
    client.get(questionnaire.url("business", "en"))  # the cookie, and a page that then expires
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = client.cookies
    form_page = "http://testserver" + questionnaire.url("business", "en")
    response = questionnaire.post(strict, "business", {**ANSWERS["business"],
                                  "csrfmiddlewaretoken": "x" * 64}, language="en",
                                  headers={"referer": form_page})
    html = response.content.decode()
    assert response.status_code == 403
    assert all(part in html for part in explanation(CSRF_EXPIRED))
    assert f'href="{form_page}"' in html
    assert not any(heading in html for heading in other_explanations(CSRF_EXPIRED))


def test_a_form_posted_from_another_site_says_so_and_does_not_blame_cookies(questionnaire):
    for origin in ("https://elders.example", "null"):
        html = refused(questionnaire, origin=origin)
        assert all(part in html for part in explanation(CSRF_OTHER_SITE))
        assert not any(heading in html for heading in other_explanations(CSRF_OTHER_SITE))


def test_the_refusal_is_explained_in_dutch_on_dutch_pages(questionnaire):
    html = refused(questionnaire, language="nl", origin="https://elders.example")
    with translation.override("nl"):
        assert str(CSRF_EXPLANATIONS[CSRF_OTHER_SITE]["heading"]) in html
        assert "website" in html and "This form" not in html


# --- Production settings ---

def test_production_cookies_are_secure_httponly_and_samesite_and_hsts_lasts_a_year():
    production = production_settings()
    assert production["SESSION_COOKIE_SECURE"] and production["CSRF_COOKIE_SECURE"]
    assert production["SESSION_COOKIE_HTTPONLY"]
    assert production["SESSION_COOKIE_SAMESITE"] == production["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert production["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert production["SECURE_SSL_REDIRECT"]
    assert production["CACHES"]["default"]["BACKEND"].endswith("RedisCache")


def test_check_deploy_with_production_settings_reports_no_warnings():
    result = run_with_env(PRODUCTION_ENV, "manage.py", "check", "--deploy",
                          "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_without_a_shared_cache_fails_the_system_check():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "REDIS_URL"}
    result = run_with_env(env, "manage.py", "check", "--deploy")
    assert result.returncode != 0
    assert "django_ratelimit.E003" in result.stderr


def test_production_on_sqlite_fails_the_system_check_instead_of_losing_jobs():
    env = {**PRODUCTION_ENV, "DATABASE_URL": "sqlite:////tmp/keuzehulp-check.sqlite3"}
    result = run_with_env(env, "manage.py", "check", "--deploy")
    assert result.returncode != 0
    assert "advisor.E001" in result.stderr


# --- Rate limits, for real against Redis ---

def test_submissions_are_limited_per_client_ip_in_redis(redis_cache, settings):
    server, prefix = redis_cache
    settings.SUBMISSION_RATE_PER_IP = "2/h"
    visitor = {"REMOTE_ADDR": "198.51.100.7"}
    for _ in range(2):
        assert complete_with(Client(), **visitor).status_code == 302
    refused = complete_with(Client(), language="en", **visitor)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "limited number of questionnaires" in refused.content.decode()
    assert Submission.objects.count() == 2
    # A notification and an advice mail per stored submission, none for the refused one.
    assert OutgoingMail.objects.count() == 4
    # The counter lives in Redis, where every worker process sees it.
    assert any(server.scan_iter(f"{prefix}:*"))


def test_a_refused_submission_keeps_the_answers_for_a_later_try(redis_cache, settings):
    settings.SUBMISSION_RATE_PER_IP = "1/h"
    visitor = {"REMOTE_ADDR": "198.51.100.8"}
    complete_with(Client(), **visitor)
    client = Client()
    assert complete_with(client, **visitor).status_code == 429
    settings.SUBMISSION_RATE_PER_IP = "5/h"
    retry = client.post(reverse("advisor:step", kwargs={"step": "contact"}),
                        {"questionnaire_view-current_step": "contact", **CONTACT}, **visitor)
    assert retry.status_code == 302
    assert Submission.objects.count() == 2


def test_a_spoofed_x_forwarded_for_never_resets_the_limit(redis_cache, settings):
    settings.SUBMISSION_RATE_PER_IP = "1/h"
    settings.TRUSTED_PROXY_COUNT = 0
    assert complete_with(Client(), REMOTE_ADDR="198.51.100.9").status_code == 302
    for spoofed in ["203.0.113.1", "203.0.113.2, 203.0.113.3", "not-an-ip"]:
        response = complete_with(Client(), REMOTE_ADDR="198.51.100.9",
                                 HTTP_X_FORWARDED_FOR=spoofed)
        assert response.status_code == 429, spoofed
    assert Submission.objects.count() == 1


def test_behind_a_trusted_proxy_the_client_is_the_address_the_proxy_saw(redis_cache, settings):
    settings.SUBMISSION_RATE_PER_IP = "1/h"
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    first = complete_with(Client(), HTTP_X_FORWARDED_FOR="192.0.2.10", **proxy)
    assert first.status_code == 302
    # The same visitor with a made-up address in front: still the same client, still limited.
    spoofed = complete_with(Client(), HTTP_X_FORWARDED_FOR="203.0.113.99, 192.0.2.10", **proxy)
    assert spoofed.status_code == 429
    # Another visitor behind the same proxy has a limit of their own.
    other = complete_with(Client(), HTTP_X_FORWARDED_FOR="192.0.2.11", **proxy)
    assert other.status_code == 302


def test_behind_a_dual_stack_proxy_each_ipv4_client_has_a_limit_of_its_own(redis_cache,
                                                                           settings):
    settings.SUBMISSION_RATE_PER_IP = "1/h"
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "2001:db8::10"}
    first = complete_with(Client(), HTTP_X_FORWARDED_FOR="::ffff:192.0.2.10", **proxy)
    assert first.status_code == 302
    # The same client written the IPv4 way is the same bucket...
    again = complete_with(Client(), HTTP_X_FORWARDED_FOR="192.0.2.10", **proxy)
    assert again.status_code == 429
    # ...and another IPv4 client is not.
    other = complete_with(Client(), HTTP_X_FORWARDED_FOR="::ffff:192.0.2.11", **proxy)
    assert other.status_code == 302


def test_one_ipv6_subscriber_cannot_dodge_the_limit_by_changing_address(redis_cache, settings):
    settings.SUBMISSION_RATE_PER_IP = "1/h"
    assert complete_with(Client(), REMOTE_ADDR="2001:db8:5:6::1").status_code == 302
    assert complete_with(Client(), REMOTE_ADDR="2001:db8:5:6:abcd::99").status_code == 429
    assert complete_with(Client(), REMOTE_ADDR="2001:db8:5:7::1").status_code == 302


@pytest.mark.parametrize(("address", "client"), [
    ("198.51.100.1", "198.51.100.1"),
    ("::ffff:198.51.100.1", "198.51.100.1"),
    ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::"),
    ("2001:DB8:1:2::", "2001:db8:1:2::"),
])
def test_the_client_is_an_ipv4_address_or_an_ipv6_64(rf, address, client):
    assert client_ip(rf.get("/", REMOTE_ADDR=address)) == client


def test_the_client_ip_falls_back_to_the_socket_when_the_header_is_short_or_garbage(rf,
                                                                                   settings):
    settings.TRUSTED_PROXY_COUNT = 2
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.10")
    assert client_ip(request) == "10.0.0.2"
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="<script>, 10.0.0.1")
    assert client_ip(request) == "10.0.0.2"


# --- Bots: honeypot and minimum fill time ---

def test_the_honeypot_is_hidden_from_people_and_labelled_for_screen_readers(client,
                                                                           questionnaire):
    for step in questionnaire.steps[:-1]:
        questionnaire.post(client, step, questionnaire.answers[step])
    html = client.get(questionnaire.url("contact")).content.decode()
    wrapper = re.search(r'<div class="([^"]*)" id="id_reference_code_group"', html)
    assert wrapper and "visually-hidden" in wrapper.group(1)
    field = re.search(r"<input[^>]*name=\"reference_code\"[^>]*>", html).group(0)
    assert 'autocomplete="off"' in field and 'tabindex="-1"' in field
    assert str(HONEYPOT_LABEL) in html


def test_a_bot_that_fills_the_honeypot_stores_nothing_and_sends_no_mail(client, questionnaire):
    response = questionnaire.complete(client, contact={**CONTACT, "reference_code": "http://spam"})
    assert response.status_code == 200
    assert str(HONEYPOT_FILLED) in response.content.decode().replace("&quot;", '"')
    assert Submission.objects.count() == 0
    assert OutgoingMail.objects.count() == 0


def test_a_bot_that_posts_at_once_stores_nothing_and_sends_no_mail(client, questionnaire,
                                                                  settings):
    settings.QUESTIONNAIRE_MIN_SECONDS = 60
    response = questionnaire.complete(client)
    assert response.status_code == 200
    assert str(TOO_FAST) in response.content.decode()
    assert Submission.objects.count() == 0
    assert OutgoingMail.objects.count() == 0


def test_a_person_who_takes_their_time_is_never_stopped(client, questionnaire, settings,
                                                        monkeypatch):
    settings.QUESTIONNAIRE_MIN_SECONDS = 60
    for step in questionnaire.steps[:-1]:
        client.get(questionnaire.url(step))
        questionnaire.post(client, step, questionnaire.answers[step])
    later = time.time() + 61
    monkeypatch.setattr("advisor.questionnaire.forms.time.time", lambda: later)
    response = questionnaire.post(client, "contact", CONTACT)
    assert response.status_code == 302
    assert Submission.objects.count() == 1


def test_a_tampered_start_time_counts_as_just_started(client, questionnaire, settings):
    settings.QUESTIONNAIRE_MIN_SECONDS = 60
    for step in questionnaire.steps[:-1]:
        questionnaire.post(client, step, questionnaire.answers[step])
    session = client.session
    storage = session["wizard_questionnaire_view"]
    storage["extra_data"]["started"] = "0:forged"
    session.save()
    response = questionnaire.post(client, "contact", CONTACT)
    assert str(TOO_FAST) in response.content.decode()
    assert Submission.objects.count() == 0


# --- Length limits and header injection ---

def test_every_text_field_of_the_contact_step_has_a_length_limit_in_the_page(client,
                                                                            questionnaire):
    for step in questionnaire.steps[:-1]:
        questionnaire.post(client, step, questionnaire.answers[step])
    html = client.get(questionnaire.url("contact")).content.decode()
    for name in ["name", "company", "email", "phone", "question", "reference_code"]:
        tag = re.search(rf"<(?:input|textarea)[^>]*name=\"{name}\"[^>]*>", html).group(0)
        assert "maxlength=" in tag, name


def test_an_e_mail_address_with_a_line_break_is_refused_with_a_clear_message(client,
                                                                            questionnaire):
    response = questionnaire.complete(
        client, contact={**CONTACT, "email": "a@x.nl\nBcc: victim@example.com"}
    )
    assert response.status_code == 200
    assert str(EMAIL_SINGLE_LINE) in response.content.decode()
    assert Submission.objects.count() == 0


def test_a_name_with_a_line_break_is_refused(client, questionnaire):
    response = questionnaire.complete(client, contact={**CONTACT,
                                                       "name": "Eva\r\nBcc: x@example.com"})
    assert str(SINGLE_LINE_ONLY) in response.content.decode()
    assert Submission.objects.count() == 0


# --- No third parties ---

EXTERNAL = re.compile(r"""(?:src|srcset|action|data)=["'](?:https?:)?//""", re.IGNORECASE)
LINKED = re.compile(r"<link\b[^>]*href=[\"'](?:https?:)?//", re.IGNORECASE)


def test_no_page_loads_anything_from_another_site(client, questionnaire):
    submission = create_submission(answers=ANSWERS["business"], contact=CONTACT, language="nl")
    pages = ["/", "/en/", reverse("advisor:privacy"), submission.get_absolute_url(),
             "/bestaat-niet/"]
    for step in questionnaire.steps:
        pages.append(questionnaire.url(step))
    for url in pages:
        html = client.get(url, follow=True).content.decode()
        assert not EXTERNAL.search(html), url
        assert not LINKED.search(html), url


def test_the_stylesheets_fetch_nothing_from_another_site():
    for css in (ROOT / "static").rglob("*.css"):
        urls = re.findall(r"url\(\s*['\"]?([^'\")]+)", css.read_text(encoding="utf-8"))
        assert all(not re.match(r"(?:https?:)?//", url) for url in urls), css


# --- In a real browser: the policy blocks nothing the site needs ---

@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_real_browser_reports_no_policy_violations_on_the_site_or_the_admin(live_server,
                                                                               settings):
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    settings.ADMIN_REQUIRE_2FA = False
    User.objects.create_superuser("consultant", "consultant@example.com", "Pw-for-the-test-1")
    violations = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--headless", "--no-sandbox", "--disable-gpu",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"],
        )
        page = browser.new_page()
        # Also the browser's complaints about our other headers (an unknown feature name in
        # Permissions-Policy, a malformed Reporting-Endpoints).
        page.on("console", lambda message: violations.append(message.text)
                if any(name in message.text for name in ("Content Security Policy",
                                                         "Permissions-Policy",
                                                         "Reporting-Endpoints")) else None)
        for path in ["/", "/vragen/business/", reverse("advisor:privacy")]:
            page.goto(live_server.url + path)
        page.goto(live_server.url + reverse("admin:login"))
        page.fill("input[name=username]", "consultant")
        page.fill("input[name=password]", "Pw-for-the-test-1")
        page.locator("input[type=submit], button[type=submit]").first.click()
        page.wait_for_load_state()
        for path in [reverse("admin:index"), reverse("admin:auth_user_add"),
                     reverse("admin:advisor_submission_changelist")]:
            page.goto(live_server.url + path)
            assert page.locator("#content").count() == 1, path
            # The admin's own JavaScript ran under the policy: theme.js sets the theme.
            assert page.evaluate("document.documentElement.dataset.theme"), path
        browser.close()
    assert violations == []
