"""The funnel after a scripted set of visits: exact counts, once per visit, no bots, no
session for a mere visit, and the source of each lead stored with it."""

import html
import io
import json
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from advisor.funnel.visits import SESSION_KEY
from advisor.models import FunnelCount, IndexedSession, Submission
from tests.confirmation import confirm_by_mail
from tests.conftest import ANSWERS, CONTACT, CONTACT_STEP, MANAGEMENT, STEP_NAMES, step_url
from tests.factories import make_staff, stored_report, verified_client

pytestmark = pytest.mark.django_db

BOOKING_URL = "https://cal.example/sanne"


@pytest.fixture(autouse=True)
def _a_booking_page(settings):
    settings.BRANDING = {**settings.BRANDING, "booking_url": BOOKING_URL}


class Visitor:
    """One browser, as the test client can be one: it follows the links and forms of the
    pages it gets (the start link and the first step's form carry the source)."""

    def __init__(self, language: str = "nl") -> None:
        self.client = Client()
        self.language = language
        self.page = ""
        self.result_url = ""

    def land(self, query: str = "", referer: str | None = None) -> str:
        """Open the start page (from another site when `referer`); returns its start link."""
        prefix = "/en" if self.language == "en" else ""
        extra = {"HTTP_REFERER": referer} if referer else {}
        response = self.client.get(f"{prefix}/{query}", **extra)
        assert response.status_code == 200
        start = re.search(r'<a class="btn btn-brand btn-lg" href="([^"]+)"', response.text)
        return html.unescape(start.group(1))

    def open(self, url: str, **extra: str):
        response = self.client.get(url, **extra)
        assert response.status_code == 200, url
        self.page = response.text
        return response

    def step(self, name: str) -> None:
        self.open(step_url(name, self.language))

    def send(self, name: str, data: dict[str, str], *, expect: str = "next"):
        """Send the form of the page that is open, as the browser posts it (to its action)."""
        action = html.unescape(re.search(r'<form method="post" action="([^"]+)"[^>]*'
                                         r'class="questionnaire"', self.page).group(1))
        response = self.client.post(action, {MANAGEMENT: name, **data})
        if expect == "next":
            assert response.status_code == 302, (name, response.status_code)
            if "/advies/" in response["Location"]:
                self.result_url = response["Location"]
                self.open(self.result_url)
            else:
                self.open(response["Location"])
        else:
            assert response.status_code == 200  # the page again, with the error
            self.page = response.text
        return response

    def back(self, name: str) -> None:
        previous = STEP_NAMES[STEP_NAMES.index(name) - 1]
        response = self.client.post(step_url(name, self.language),
                                    {MANAGEMENT: name, "wizard_goto_step": previous})
        self.open(response["Location"])

    def answer_through(self, last: str) -> None:
        """Answer every step from the open one up to and including `last`."""
        for name in STEP_NAMES[STEP_NAMES.index(self.current()):STEP_NAMES.index(last) + 1]:
            self.send(name, CONTACT if name == CONTACT_STEP else ANSWERS[name])

    def current(self) -> str:
        return re.search(rf'name="{MANAGEMENT}" value="([^"]+)"', self.page).group(1)

    def complete(self) -> None:
        self.answer_through(CONTACT_STEP)
        assert self.result_url


def funnel_json() -> dict:
    out = io.StringIO()
    call_command("funnel", "--days", "1", "--json", stdout=out)
    return json.loads(out.getvalue())


def steps_of(report: dict) -> dict[str, tuple[int, int]]:
    return {entry["step"]: (entry["reached"], entry["completed"]) for entry in report["steps"]}


def test_a_scripted_day_of_visits_is_counted_exactly(settings):
    # A: Dutch, from a LinkedIn campaign; completes, reloads, downloads twice, shares, calls.
    a = Visitor("nl")
    start = a.land("?utm_source=LinkedIn&utm_medium=social&utm_campaign=voorjaar",
                   referer="https://www.linkedin.com/feed/?trk=abc")
    assert start.startswith(step_url("business"))
    a.open(start)
    a.complete()
    a.open(a.result_url)  # a reload of the advice
    submission_a = Submission.objects.get(utm_source="linkedin")
    stored_report(submission_a)
    for _ in range(2):
        assert a.client.get(f"{a.result_url}rapport.pdf").status_code == 200
    confirm_by_mail(a.client, submission_a)  # the button behind the advice mail's link
    assert a.client.post(f"{a.result_url}delen/", {"to_self": "on"}).status_code == 302
    for kind in ("book", "book", "call"):
        assert a.client.get(f"{a.result_url}contact/{kind}/").status_code == 302

    # B: English, from Google; reloads step 3, goes Back and forward again, leaves at step 3.
    b = Visitor("en")
    b.open(b.land(referer="https://www.google.com/search?q=imap+of+exchange"))
    b.answer_through("email")
    for _ in range(2):
        b.step("planning")
    b.back("planning")
    b.send("email", ANSWERS["email"])
    assert b.current() == "planning"

    # C: Dutch, straight to the first step; sends it empty first, then leaves at step 2.
    c = Visitor("nl")
    c.step("business")
    c.send("business", {}, expect="error")
    c.send("business", ANSWERS["business"])
    assert c.current() == "email"

    # D: Dutch, from the newsletter; a mistake in the e-mail address first, then sent.
    d = Visitor("nl")
    d.open(d.land("?utm_source=nieuwsbrief&utm_medium=email"))
    d.answer_through("current")
    d.send(CONTACT_STEP, {**CONTACT, "email": "eva@"}, expect="error")
    d.send(CONTACT_STEP, CONTACT)
    # Back to the contact page (the browser's copy) and sent again: the same advice.
    again = d.client.post(step_url(CONTACT_STEP), {MANAGEMENT: CONTACT_STEP, **CONTACT})
    assert again["Location"] == d.result_url

    # F: a person whose browser filled in the spam-check field; sent again, it is a lead.
    f = Visitor("nl")
    f.step("business")
    f.answer_through("current")
    f.send(CONTACT_STEP, {**CONTACT, "reference_code": "autofill"}, expect="error")
    f.send(CONTACT_STEP, CONTACT)

    # A bot: walks every step, fills in the spam-check field, is refused; counts nothing.
    bot = Visitor("nl")
    bot.step("business")
    bot.answer_through("current")
    bot.send(CONTACT_STEP, {**CONTACT, "reference_code": "http://spam.example"},
             expect="error")
    assert "reference_code" in bot.page

    # G: only looks at the start page; a colleague and the consultant open A's advice.
    Visitor("nl").land("?utm_source=flyer")
    Client().get(a.result_url)
    verified_client(make_staff()).get(a.result_url)

    report = funnel_json()
    assert {key: report[key] for key in ("started", "submitted", "result_viewed",
                                         "pdf_downloaded", "shared", "cta_clicked")} == {
        "started": 5, "submitted": 3, "result_viewed": 3, "pdf_downloaded": 1, "shared": 1,
        "cta_clicked": 1}
    assert steps_of(report) == {
        "business": (5, 5), "email": (5, 4), "planning": (4, 3), "security": (3, 3),
        "situation": (3, 3), "current": (3, 3), "contact": (3, 3)}
    assert [entry["step"] for entry in report["steps"]] == STEP_NAMES
    assert report["cta_by_button"] == {"book": 1, "call": 0, "mail": 0}
    assert report["languages"]["en"]["started"] == 1
    assert report["languages"]["en"]["submitted"] == 0
    assert report["languages"]["nl"]["started"] == 4
    assert report["languages"]["nl"]["submitted"] == 3
    sources = {(s["source"], s["medium"], s["campaign"], s["referrer"]): (s["started"],
                                                                          s["submitted"])
               for s in report["sources"]}
    assert sources == {
        ("linkedin", "social", "voorjaar", "www.linkedin.com"): (1, 1),
        ("nieuwsbrief", "email", "", ""): (1, 1),
        ("", "", "", "www.google.com"): (1, 0),
        ("", "", "", ""): (2, 1),
    }
    assert report["completion_rate"] == 0.6
    assert report["days"][0]["started"] == 5

    # Each lead carries the source of its visit.
    assert Submission.objects.count() == 3
    assert sorted((s.utm_source, s.utm_medium, s.utm_campaign, s.referrer_host)
                  for s in Submission.objects.all()) == [
        ("", "", "", ""), ("linkedin", "social", "voorjaar", "www.linkedin.com"),
        ("nieuwsbrief", "email", "", "")]


def test_a_mere_visit_gets_no_session_and_no_cookie_from_the_funnel():
    plain = Client().get("/")
    client = Client()
    response = client.get("/?utm_source=linkedin&utm_campaign=voorjaar",
                          HTTP_REFERER="https://www.linkedin.com/")
    assert "sessionid" not in response.cookies
    # Campaign parameters set no cookie a plain visit does not set.
    assert set(response.cookies) == set(plain.cookies)
    assert IndexedSession.objects.count() == 0
    assert FunnelCount.objects.count() == 0
    # The first step, opened from the start link, counts nothing and keeps nothing either.
    start = html.unescape(re.search(r'href="([^"]*/vragen/[^"]+)"', response.text).group(1))
    client.get(start)
    assert FunnelCount.objects.count() == 0
    assert all(SESSION_KEY not in session.get_decoded()
               for session in IndexedSession.objects.all())


def test_the_start_link_and_the_first_step_hand_the_source_on_until_the_first_answer():
    visitor = Visitor("nl")
    start = visitor.land("?utm_source=nieuwsbrief&utm_medium=email&utm_campaign=dec",
                         referer="https://www.devries-it.nl/diensten/email?x=1")
    assert start == (step_url("business") + "?utm_source=nieuwsbrief&utm_medium=email"
                     "&utm_campaign=dec&ref=www.devries-it.nl")
    visitor.open(start)
    assert 'action="/vragen/business/?utm_source=nieuwsbrief&amp;utm_medium=email' \
           '&amp;utm_campaign=dec&amp;ref=www.devries-it.nl"' in visitor.page
    visitor.complete()
    lead = Submission.objects.get()
    assert (lead.utm_source, lead.utm_medium, lead.utm_campaign, lead.referrer_host) == (
        "nieuwsbrief", "email", "dec", "www.devries-it.nl")


def test_a_campaign_link_straight_to_the_first_step_counts_its_referring_site_too():
    visitor = Visitor("nl")
    visitor.open(step_url("business") + "?utm_campaign=najaar",
                 HTTP_REFERER="https://nieuws.example/artikel/123")
    visitor.complete()
    lead = Submission.objects.get()
    assert (lead.utm_campaign, lead.referrer_host) == ("najaar", "nieuws.example")


def test_links_within_the_site_are_no_referring_site():
    visitor = Visitor("nl")
    start = visitor.land(referer="http://testserver/privacy/")
    assert start == step_url("business")


def test_hostile_campaign_values_are_dropped_and_never_reach_the_lead():
    visitor = Visitor("nl")
    start = visitor.land("?utm_source=%3DHYPERLINK(%22http://x%22)&utm_medium=e%0Amail"
                         "&utm_campaign=" + "a" * 300 + "&ref=evil.example/path")
    visitor.open(start)
    visitor.complete()
    lead = Submission.objects.get()
    assert (lead.utm_source, lead.utm_medium, lead.referrer_host) == ("", "e mail", "")
    assert lead.utm_campaign == "a" * 64


def test_a_second_questionnaire_in_the_same_browser_is_counted_as_a_new_one():
    visitor = Visitor("nl")
    visitor.step("business")
    visitor.complete()
    visitor.step("business")
    visitor.complete()
    report = funnel_json()
    assert (report["started"], report["submitted"]) == (2, 2)
    assert steps_of(report)["contact"] == (2, 2)


def test_the_consultants_pages_and_a_colleagues_visit_count_nothing(client):
    visitor = Visitor("nl")
    visitor.step("business")
    visitor.complete()
    before = funnel_json()
    colleague = Client()
    colleague.get(visitor.result_url)
    colleague.get(f"{visitor.result_url}contact/call/")
    assert "sessionid" not in colleague.cookies
    staff = verified_client(make_staff())
    staff.get(visitor.result_url)
    assert funnel_json() == before


def test_the_counts_are_kept_per_language(settings):
    for language in ("nl", "en", "en"):
        visitor = Visitor(language)
        visitor.step("business")
        visitor.complete()
    report = funnel_json()
    assert report["languages"]["en"]["submitted"] == 2
    assert report["languages"]["nl"]["submitted"] == 1
    with translation.override("en"):
        assert FunnelCount.objects.filter(language="en", event="started").get().count == 2
