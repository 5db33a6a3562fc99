"""Property-based (hypothesis): every URL pattern that takes input, with hostile path
segments, query strings, methods, content types and bodies, never answers 500; nor does the
back office's privacy-request form with hostile addresses, actions and confirmations.

The URL list is read from the resolver, so a new public page is covered without editing this.
"""

import json
from urllib.parse import quote, urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import LocalePrefixPattern
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.models import Submission
from advisor.outbox.mail import confirmation_code
from advisor.questionnaire.services import create_submission
from advisor.questionnaire.sharing import confirm_address
from tests.conftest import ANSWERS, CONTACT, MANAGEMENT, STEP_NAMES
from tests.factories import make_staff, verified_client
from tests.questionnaire.test_hostile_input import HOSTILE, TEXT, VALUE

pytestmark = pytest.mark.django_db

BOUNDED = settings(max_examples=150, deadline=None, database=None,
                   suppress_health_check=[HealthCheck.function_scoped_fixture,
                                          HealthCheck.too_slow])
# Below 500 is an answer; a 500 is a bug. 503 only comes from a database outage.
SERVER_ERRORS = range(500, 600)


def public_routes() -> list[str]:
    """Every route outside the admin, as "prefix/route/<converter:name>/", both languages."""
    routes: list[str] = []

    def walk(patterns, prefixes: list[str]) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace == "admin":
                    continue
                inner = (["", "en/"] if isinstance(entry.pattern, LocalePrefixPattern)
                         else [f"{p}{entry.pattern}" for p in prefixes])
                walk(entry.url_patterns, inner)
            elif isinstance(entry, URLPattern):
                routes.extend(f"{prefix}{entry.pattern}" for prefix in prefixes)

    walk(get_resolver().url_patterns, [""])
    return sorted(set(routes))


ROUTES = public_routes()
# Real step names and "." (a real report token and confirmation code) reach the views; the
# rest tests the routing.
SEGMENT = st.one_of(HOSTILE, TEXT, st.sampled_from([*STEP_NAMES, "logo.svg", "."]))
QUERY = st.dictionaries(TEXT, VALUE, max_size=3)
# Mostly POST: that is where bodies are read.
METHOD = st.sampled_from(["POST", "POST", "POST", "GET", "HEAD", "PUT", "DELETE", "OPTIONS",
                          "PATCH"])
# "answers": the step's valid answers with a file attached, as an attacker would send them.
BODY_KIND = st.sampled_from(["form", "multipart", "file", "answers", "json", "bytes", "none"])


def fill(route: str, segment: str, report: Submission) -> str:
    """The route with each <converter:name> replaced: for the segment ".", a real report's
    token and address confirmation code; else hostile text."""
    real = {"token": report.token, "code": confirmation_code(report)}
    parts, rest = [], route
    while "<" in rest:
        before, _, after = rest.partition("<")
        name, _, rest = after.partition(">")
        kind = name.rpartition(":")[2]
        value = real[kind] if kind in real and segment == "." else segment
        parts += [before, quote(value, safe="")]
    return "/" + "".join(parts) + rest


def send(client: Client, method: str, url: str, kind: str, body: dict, raw: bytes,
         segment: str):
    if kind == "answers":
        body = {**body, MANAGEMENT: segment, **ANSWERS.get(segment, {})}
        kind = "file"
    if kind == "json":
        return client.generic(method, url, json.dumps(body, default=str),
                              content_type="application/json")
    if kind == "bytes":
        return client.generic(method, url, raw, content_type="application/csp-report")
    if kind == "none":
        return client.generic(method, url)
    flat = {key: value for key, value in body.items() if key}
    if kind == "file" and method == "POST":
        upload = SimpleUploadedFile("x.pdf", raw or b"%PDF", "application/pdf")
        return client.post(url, {**flat, "upload": upload})
    if kind == "multipart" and method == "POST":
        return client.post(url, flat)
    return client.generic(method, url, urlencode(flat, doseq=True),
                          content_type="application/x-www-form-urlencoded")


@pytest.fixture(autouse=True)
def _no_limits(settings):
    settings.RATELIMIT_ENABLE = False
    settings.SHARE_MAX_PER_REPORT = 10_000
    settings.MAILS_PER_ADDRESS_PER_DAY = 10_000


@pytest.fixture
def report(db) -> Submission:
    """A report whose address is confirmed, so its share form sends what it is given."""
    return confirm_address(submission=create_submission(
        answers=ANSWERS["business"], contact=CONTACT, language="nl"))


def test_the_route_list_covers_every_public_page():
    for expected in ("vragen/<slug:step>/", "advies/<str:token>/delen/", "csp-report/",
                     "advies/<str:token>/bevestigen/<str:code>/",
                     "en/privacy/", "health/", "logo/<str:name>", "robots.txt"):
        assert expected in ROUTES, expected


PER_ROUTE = settings(BOUNDED, max_examples=40)


@pytest.mark.parametrize("route", ROUTES)
@PER_ROUTE
@given(segment=SEGMENT, query=QUERY, method=METHOD, kind=BODY_KIND,
       body=st.dictionaries(TEXT, VALUE, max_size=4), raw=st.binary(max_size=300))
def test_no_public_url_answers_a_server_error(report, route, segment, query, method, kind, body,
                                               raw):
    url = fill(route, segment, report)
    if query:
        url += "?" + urlencode(query, doseq=True)
    response = send(Client(), method, url, kind, body, raw, segment)
    assert response.status_code not in SERVER_ERRORS, (method, url, kind)


@PER_ROUTE
@given(step=st.sampled_from(STEP_NAMES), language=st.sampled_from(["nl", "en"]),
       kind=BODY_KIND, body=st.dictionaries(TEXT, VALUE, max_size=3), raw=st.binary(max_size=300))
def test_any_body_posted_to_a_questionnaire_step_is_never_a_server_error(step, language, kind,
                                                                          body, raw):
    with translation.override(language):
        url = reverse("advisor:step", kwargs={"step": step})
    response = send(Client(), "POST", url, kind, body, raw, step)
    assert response.status_code not in SERVER_ERRORS, (url, kind)


@BOUNDED
@given(email=st.one_of(HOSTILE, TEXT, st.just("eva@praktijkjansen.nl")),
       action=st.one_of(st.sampled_from(["export", "review", "erase"]), HOSTILE, TEXT),
       identity=st.dictionaries(st.sampled_from(["identity-password", "identity-otp_token"]),
                                st.one_of(HOSTILE, TEXT), max_size=2),
       extra=st.dictionaries(TEXT, VALUE, max_size=2))
def test_the_privacy_request_form_never_answers_a_server_error(consultant, email, action,
                                                               identity, extra):
    posted = {**{k: v for k, v in extra.items() if k}, "email": email, "action": action,
              **identity}
    response = consultant.post(reverse("admin_privacy"), posted)
    assert response.status_code not in SERVER_ERRORS, posted
    # 429: wrong confirmation passwords count toward the login lockout, as they should.
    assert response.status_code in {200, 302, 400, 403, 429}


@pytest.fixture
def consultant(db) -> Client:
    return verified_client(make_staff())
