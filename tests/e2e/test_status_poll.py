"""The result page and the PDF's "being prepared" page while the worker is still busy, in
Chromium: they pass axe in that state, follow the PDF and the domain check without reloading
(what the visitor types stays, the change is announced politely), give up after their time
with a link to check again, and work without JavaScript through that link.

Each advice here is stored without its jobs, so the page is "being prepared" for as long as
the test likes; `let_the_worker_finish` then queues them as a stored questionnaire does, and
the worker (PostgreSQL) or the web process (SQLite) runs them.
"""

import re

import pytest
from django.db import transaction
from django.utils import timezone
from playwright.sync_api import Page, expect

from advisor.models import DomainCheckState, Submission
from advisor.questionnaire import views
from advisor.questionnaire.domain_check import request_domain_check
from advisor.reports import report
from advisor.reports.report import request_report
from tests.e2e.conftest import LAPTOP, PHONE, Visit
from tests.factories import make_lead
from tests.jobs import wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANNOUNCER = "[data-status-announcer]"
# Every text the live region is given, in order: a later one replaces an earlier one.
RECORD_ANNOUNCEMENTS = """() => {
  window.__said = [];
  const region = document.querySelector("[data-status-announcer]");
  new MutationObserver(() => { if (region.textContent) window.__said.push(region.textContent); })
    .observe(region, {childList: true, characterData: true, subtree: true});
}"""


def an_advice_being_prepared() -> Submission:
    """Stored, address confirmed (so the share form is open), PDF and domain check to come;
    eva@praktijkjansen.nl is a Microsoft 365 domain on the loopback DNS server."""
    return make_lead(email="eva@praktijkjansen.nl", company="Huisartsenpraktijk Jansen",
                     domain_check_level=DomainCheckState.PENDING,
                     email_confirmed_at=timezone.now())


def let_the_worker_finish(submission: Submission, *, domain_check: bool = True) -> None:
    with transaction.atomic():
        if domain_check:
            request_domain_check(submission=submission)
        request_report(submission=submission)

    def done() -> bool:
        row = Submission.objects.get(pk=submission.pk)
        return bool(row.report_pdf) and row.domain_check_level != DomainCheckState.PENDING

    wait_until(done, what="the PDF and the domain check", seconds=90)


def the_script_follows_the_page(page: Page) -> None:
    expect(page.locator("[data-auto]").first).to_be_visible()
    expect(page.locator("a.check-again")).to_be_hidden()


def test_the_result_page_being_prepared_has_no_serious_accessibility_problem(visit):
    submission = an_advice_being_prepared()
    v: Visit = visit("status-preparing-phone", viewport=PHONE)
    page = v.page
    v.goto(submission.get_absolute_url())
    expect(page.locator('[data-status-part="pdf"]')).to_have_attribute("data-state", "preparing")
    expect(page.locator("section.domain-check")).to_have_class(re.compile("domain-check-pending"))
    the_script_follows_the_page(page)
    assert page.locator("meta[http-equiv=refresh]").count() == 0
    assert v.no_horizontal_scroll()
    v.check("preparing")  # axe: no critical (meta-refresh) or serious violation


def test_what_the_visitor_types_stays_while_the_pdf_arrives_and_its_arrival_is_announced(visit):
    submission = an_advice_being_prepared()
    v: Visit = visit("status-typing", viewport=LAPTOP)
    page = v.page
    v.goto(submission.get_absolute_url())
    the_script_follows_the_page(page)
    page.evaluate("window.__samePage = true")  # gone if the page were loaded again
    page.evaluate(RECORD_ANNOUNCEMENTS)
    colleague = page.locator("input[name=colleague]")
    colleague.click()
    page.keyboard.type("jan@bakkerij-jansen")  # half-way through the address
    v.check("typing-while-preparing")

    let_the_worker_finish(submission)
    expect(page.locator("a.report-download")).to_be_visible(timeout=60_000)
    expect(page.locator("section.domain-check")).to_have_class(
        re.compile("domain-check-ready"), timeout=60_000)
    expect(page.locator("[data-check-again]")).to_have_count(0, timeout=60_000)
    expect(page.locator(ANNOUNCER)).to_contain_text("Je pdf is klaar.")
    # Visually hidden, yet never `hidden`: a hidden live region says nothing to anyone.
    assert page.locator(ANNOUNCER).get_attribute("hidden") is None
    said = " ".join(page.evaluate("window.__said"))
    assert "Je pdf is klaar. Je kunt hem nu downloaden." in said
    assert "De controle van je e-maildomein is klaar." in said

    # The same page, the typed text and the focus where the visitor left them.
    assert page.evaluate("window.__samePage") is True
    expect(colleague).to_have_value("jan@bakkerij-jansen")
    expect(colleague).to_be_focused()
    page.keyboard.type(".example")
    expect(colleague).to_have_value("jan@bakkerij-jansen.example")
    v.check("ready-after-typing")


def test_without_javascript_the_page_offers_to_check_again_and_shows_the_pdf_after_it(visit):
    submission = an_advice_being_prepared()
    v: Visit = visit("status-no-javascript", viewport=PHONE, java_script_enabled=False)
    page = v.page
    v.goto(submission.get_absolute_url())
    check_again = page.get_by_role("link", name="Kijk opnieuw")
    expect(check_again).to_be_visible()
    expect(page.locator("[data-auto]")).to_be_hidden()
    assert page.locator("meta[http-equiv=refresh]").count() == 0
    v.shot("preparing-without-javascript")

    let_the_worker_finish(submission)
    check_again.click()
    expect(page.locator("a.report-download")).to_be_visible()
    expect(page.locator("section.domain-check")).to_have_class(re.compile("domain-check-ready"))
    expect(page.locator("a.check-again")).to_have_count(0)
    v.shot("ready-without-javascript")


def test_after_its_time_the_script_stops_asking_and_offers_to_check_again(visit, monkeypatch):
    monkeypatch.setattr(views, "STATUS_POLL_SECONDS", 3)
    submission = an_advice_being_prepared()
    v: Visit = visit("status-stalled", viewport=PHONE)
    page = v.page
    v.goto(submission.get_absolute_url())
    expect(page.get_by_role("link", name="Kijk opnieuw")).to_be_visible(timeout=20_000)
    expect(page.locator("[data-stalled]")).to_be_visible()
    expect(page.locator("[data-auto]")).to_be_hidden()
    expect(page.locator(ANNOUNCER)).to_contain_text("Dit duurt langer dan normaal.")
    v.check("stalled")


def test_the_pdf_being_prepared_page_offers_the_download_once_it_is_there(visit, monkeypatch):
    # The download asks for a render; held back here so the page is seen while it waits.
    monkeypatch.setattr(report, "request_report", lambda **kwargs: None)
    submission = make_lead(email="eva@praktijkjansen.nl")
    v: Visit = visit("status-pdf-page", viewport=PHONE)
    page = v.page
    v.goto(f"{submission.get_absolute_url()}rapport.pdf")
    expect(page.locator('[data-status-part="pdf"]')).to_have_attribute("data-state", "preparing")
    the_script_follows_the_page(page)
    page.evaluate(RECORD_ANNOUNCEMENTS)
    v.check("preparing")

    let_the_worker_finish(submission, domain_check=False)
    expect(page.locator("a.report-download")).to_be_visible(timeout=60_000)
    expect(page.locator(ANNOUNCER)).to_contain_text("Je pdf is klaar.")
    expect(page.locator("[data-check-again]")).to_have_count(0)
    v.check("ready")
    with page.expect_download() as download:
        page.locator("a.report-download").click()
    assert download.value.path().read_bytes().startswith(b"%PDF-")
