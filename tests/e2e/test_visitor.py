"""The visitor's journey in Chromium, on a phone and a laptop, in Dutch and English.

From the start page through every step (by keyboard alone on the phone), Back and reload,
a corrected contact error, the advice, confirming the address from the mail, sharing with a
colleague (the mails arrive at a real SMTP server), the PDF, and a link to the consultant's
own site that carries no token. Then the share section before confirmation, after it, and
when the limit of mails per address is reached.
"""

import http.server
import io
import re
import threading
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from advisor.lib.contrast import contrast_ratio
from advisor.models import Submission
from advisor.questionnaire.services import create_submission
from advisor.web.errors import CSRF_EXPIRED, CSRF_EXPLANATIONS, CSRF_OTHER_SITE
from tests.confirmation import confirmation_link
from tests.e2e.conftest import LAPTOP, PHONE, Visit, the_page_updates_itself_until_the_pdf_is_ready
from tests.jobs import wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BOOKING_URL = "https://agenda.devries-it.example/sanne"
# Per language: the URL prefix, the words on the buttons, the headings we look for.
WORDS = {
    "nl": {"prefix": "", "next": "Volgende", "back": "Vorige", "show": "Bekijk mijn advies",
           "start": "Start de vragenlijst", "send": "Verstuur de link", "colleague": "collega",
           "book": "Plan een afspraak", "step": "Stap {} van {}", "locale": "nl-NL",
           "subject": "E-mailadvies Bakkerij Jansen & Zn",
           "confirm_first": "Bevestig eerst je e-mailadres.", "confirm": "Ja, dit is mijn adres"},
    "en": {"prefix": "/en", "next": "Next", "back": "Back", "show": "Show my advice",
           "start": "Start the questionnaire", "send": "Send the link", "colleague": "colleague",
           "book": "Book an appointment", "step": "Step {} of {}", "locale": "en-GB",
           "subject": "E-mail advice Bakkerij Jansen & Zn",
           "confirm_first": "First confirm your e-mail address.",
           "confirm": "Yes, this is my address"},
}
# Keyboard only (Tab, Space, Enter) on one phone and one laptop journey; the mouse elsewhere.
JOURNEYS = [
    pytest.param("phone", "nl", True, id="phone-nl-keyboard"),
    pytest.param("phone", "en", False, id="phone-en"),
    pytest.param("laptop", "nl", False, id="laptop-nl"),
    pytest.param("laptop", "en", True, id="laptop-en-keyboard"),
]


@pytest.fixture(autouse=True)
def _consultant_with_a_booking_page(settings, live_server, other_site):
    settings.SITE_URL = live_server.url
    settings.BRANDING = {**settings.BRANDING, "booking_url": BOOKING_URL,
                         "website": f"http://127.0.0.1:{other_site.server_port}/"}


def focused(page: Page) -> dict:
    return page.evaluate("""() => {
        const el = document.activeElement;
        return {tag: el.tagName, type: el.type || "", name: el.name || "", id: el.id || "",
                checked: !!el.checked, text: (el.innerText || el.value || "").trim()};
    }""")


def answer_step_by_keyboard(page: Page, next_label: str) -> None:
    """Tab through the page; Space picks the first option of each unanswered question
    (the browser's radio group), Enter on the Next button. No mouse."""
    answered: set[str] = set()
    for _ in range(80):
        page.keyboard.press("Tab")
        element = focused(page)
        if element["type"] == "radio" and element["name"] not in answered:
            page.keyboard.press("Space")
            assert focused(page)["checked"]
            answered.add(element["name"])
        elif element["tag"] == "BUTTON" and element["text"].startswith(next_label):
            page.keyboard.press("Enter")
            return
    raise AssertionError("the Next button was never reached with Tab")


def tab_to(page: Page, name: str) -> None:
    """Press Tab until the field called `name` has the focus."""
    for _ in range(40):
        page.keyboard.press("Tab")
        if focused(page)["name"] == name:
            return
    raise AssertionError(f"{name} was never reached with Tab")


def tab_to_button(page: Page, label: str) -> None:
    for _ in range(40):
        page.keyboard.press("Tab")
        element = focused(page)
        if element["tag"] == "BUTTON" and element["text"].startswith(label):
            return
    raise AssertionError(f"the {label} button was never reached with Tab")


def answer_step_by_mouse(page: Page) -> None:
    for fieldset in page.locator("form.questionnaire fieldset").all():
        fieldset.locator("label.form-check-label").first.click()


def opens_at_the_error_summary(page: Page) -> None:
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    # Each problem links to its own field, which the link brings into view.
    for link in summary.locator("a").all():
        target = link.get_attribute("href")
        assert page.locator(target).count() == 1


@pytest.mark.parametrize("device, language, keyboard", JOURNEYS)
def test_a_visitor_gets_advice_shares_it_and_downloads_the_pdf(
        visit, smtp, other_site, device, language, keyboard):
    words = WORDS[language]
    viewport = PHONE if device == "phone" else LAPTOP
    v: Visit = visit(f"visitor-{device}-{language}", viewport=viewport, locale=words["locale"])
    page = v.page

    v.goto(words["prefix"] + "/")
    assert v.no_horizontal_scroll()
    v.check("home")
    page.get_by_role("link", name=words["start"]).click()

    # Step 1 without answers: the page opens at a summary linking to each question, and each
    # question's error is at the top of its fieldset.
    expect(page.locator(".step-counter")).to_have_text(counter(words, 1))
    v.check("step-1")
    page.get_by_role("button", name=words["next"]).click()
    opens_at_the_error_summary(page)
    first = page.locator("fieldset.question").first
    assert first.locator("legend + .field-error").count() == 1
    v.check("step-1-errors")

    # Six or seven steps: a step about the current e-mail comes in once the visitor says
    # what they use now (and formtools counts it from then on).
    for index in range(1, 7):
        if page.locator("input[name=name]").count():
            break
        expect(page.locator(".step-counter")).to_have_text(counter(words, index))
        if index == 3:
            # Back keeps the answers; a reload of the step changes nothing.
            page.get_by_role("button", name=words["back"]).click()
            expect(page.locator(".step-counter")).to_have_text(counter(words, 2))
            assert page.locator("input[type=radio]:checked").count() == 3
            page.reload()
            assert page.locator("input[type=radio]:checked").count() == 3
            page.get_by_role("button", name=words["next"]).click()
            expect(page.locator(".step-counter")).to_have_text(counter(words, 3))
        if index > 1:
            v.check(f"step-{index}")
        assert v.no_horizontal_scroll()
        if keyboard:
            answer_step_by_keyboard(page, words["next"])
        else:
            answer_step_by_mouse(page)
            page.get_by_role("button", name=words["next"]).click()

    # The contact step: a wrong address first, then corrected.
    # The contact step is the last: "step N of N".
    last = re.escape(words["step"]).replace(r"\{\}", r"(\d)", 1).replace(r"\{\}", r"\1", 1)
    expect(page.locator(".step-counter")).to_have_text(re.compile(rf"^\s*{last}\s*$"))
    if keyboard:
        for name, text in (("name", "Eva Jansen"), ("company", "Bakkerij Jansen & Zn"),
                           ("email", "eva@")):
            tab_to(page, name)
            page.keyboard.type(text)
        tab_to(page, "consent")
        page.keyboard.press("Space")
    else:
        page.fill("input[name=name]", "Eva Jansen")
        page.fill("input[name=company]", "Bakkerij Jansen & Zn")
        page.fill("input[name=email]", "eva@")
        page.check("input[name=consent]")
    v.check("contact")
    if keyboard:
        tab_to_button(page, words["show"])
        page.keyboard.press("Enter")
    else:
        page.get_by_role("button", name=words["show"]).click()
    opens_at_the_error_summary(page)
    expect(page.locator("input[name=email]")).to_have_attribute("aria-invalid", "true")
    v.check("contact-error")
    if keyboard:
        # The summary has the focus: Tab to its link, Enter jumps to the field, Tab into it.
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.getAttribute('href')") == "#id_email_group"
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        assert focused(page)["name"] == "email"
        page.keyboard.type("eva@bakkerij-jansen.example")  # Tab selected what was there
        page.keyboard.press("Enter")
    else:
        page.fill("input[name=email]", "eva@bakkerij-jansen.example")
        page.get_by_role("button", name=words["show"]).click()

    page.wait_for_url(re.compile(r".*/advies/[\w-]+/$"))
    the_page_updates_itself_until_the_pdf_is_ready(page)
    submission = Submission.objects.get()
    assert submission.company == "Bakkerij Jansen & Zn"
    assert submission.language == language
    assert v.no_horizontal_scroll()
    v.check("result")
    the_offer_is_close_to_the_verdict(page, words)

    confirms_the_address_from_the_mail(v, words, submission, smtp)
    shares_with_a_colleague(v, words, submission, smtp)
    downloads_the_pdf(page, submission)
    the_consultants_site_gets_no_token(page, other_site, submission)


def leads_to(page: Page, link) -> str:
    """Where a contact button sends the browser: through our own address (which counts the
    click) on to the booking page, phone or e-mail program."""
    response = page.request.get(urljoin(page.url, link.get_attribute("href")), max_redirects=0)
    assert response.status == 302
    return response.headers["location"]


def the_offer_is_close_to_the_verdict(page: Page, words: dict) -> None:
    verdict = page.locator(".verdict-headline").bounding_box()
    booking = page.get_by_role("link", name=words["book"]).first
    assert leads_to(page, booking) == BOOKING_URL
    # Within one screen below the verdict, not at the end of a long page.
    assert booking.bounding_box()["y"] - verdict["y"] < page.viewport_size["height"]
    mailto = leads_to(page, page.locator(".contact-actions a.contact-action-mail"))
    assert parse_qs(urlsplit(mailto).query)["subject"] == [words["subject"]]


def counter(words: dict, index: int) -> re.Pattern:
    """The step counter at step `index`, of six or seven steps."""
    text = re.escape(words["step"]).replace(r"\{\}", str(index), 1).replace(r"\{\}", "[67]", 1)
    return re.compile(rf"^\s*{text}\s*$")


def confirms_the_address_from_the_mail(v: Visit, words: dict, submission: Submission,
                                      smtp) -> None:
    """Before confirmation the page says what to do; the link in the mail opens a page whose
    button confirms; back at the advice, the share form is there."""
    page = v.page
    expect(page.locator("#share .share-locked")).to_contain_text(words["confirm_first"])
    assert page.locator("input[name=colleague]").count() == 0
    v.check("share-confirm-first")
    wait_until(lambda: smtp.to(submission.email), what="the advice mail")
    [advice] = smtp.to(submission.email)
    v.goto(confirmation_link(advice.get_body(("plain",)).get_content()))
    v.check("confirm-address")
    page.get_by_role("button", name=words["confirm"]).click()
    page.wait_for_url(re.compile(r".*/advies/[\w-]+/#share$"))
    expect(page.locator("#share [role=status]")).to_contain_text(submission.email)
    v.check("address-confirmed")


def shares_with_a_colleague(v: Visit, words: dict, submission: Submission, smtp) -> None:
    page = v.page
    page.fill("input[name=colleague]", "jan@")
    page.get_by_role("button", name=words["send"]).click()
    opens_at_the_error_summary(page)
    v.check("share-error")
    page.fill("input[name=colleague]", "jan@bakkerij-jansen.example")
    page.get_by_role("button", name=words["send"]).click()
    # A real submit of the form in Chromium: no 403, back at the share section with a notice.
    page.wait_for_url(re.compile(r".*/advies/[\w-]+/#share$"))
    expect(page.locator("#share [role=status]")).to_contain_text("jan@bakkerij-jansen.example")
    # One colleague per advice: the field is gone, the page says with whom it was shared.
    assert page.locator("input[name=colleague]").count() == 0
    expect(page.locator("#share .share-colleague")).to_contain_text("jan@bakkerij-jansen.example")
    v.check("shared")
    # The jobs run in the live server's process after each commit (SQLite) or in the worker
    # (PostgreSQL): wait for them.
    def arrived() -> set[str]:
        return {str(message["To"]) for message in smtp.messages}

    wait_until(lambda: {"eva@bakkerij-jansen.example", "jan@bakkerij-jansen.example"}
               <= arrived(), what="the mails to Eva and Jan")
    # The advice the contact step promised and the share to herself: two mails, none twice.
    to_eva = [message for message in smtp.messages
              if str(message["To"]) == "eva@bakkerij-jansen.example"]
    assert len(to_eva) == 2
    assert len({str(message["Message-ID"]) for message in smtp.messages}) == len(smtp.messages)
    for message in smtp.messages:
        if str(message["To"]) == "jan@bakkerij-jansen.example":
            plain = message.get_body(("plain",)).get_content()
            assert submission.get_absolute_url() in plain
            assert submission.company not in message.as_string()


def downloads_the_pdf(page: Page, submission: Submission) -> None:
    with page.expect_download() as download_info:
        page.locator("a.report-download").click()
    pdf = download_info.value.path().read_bytes()
    assert pdf.startswith(b"%PDF-")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert submission.company in text


def the_consultants_site_gets_no_token(page: Page, other_site, submission: Submission) -> None:
    page.locator(".contact-cta a[href^='http://127.0.0.1']").first.click()
    page.wait_for_url(f"http://127.0.0.1:{other_site.server_port}/")
    assert other_site.referers, "the consultant's site was not visited"
    # same-origin: another origin gets no Referer at all, so certainly not the token.
    assert other_site.referers == [None] * len(other_site.referers)


def test_a_visitor_sees_what_may_be_sent_before_and_after_confirming_and_at_the_limit(
        visit, smtp, settings):
    assert settings.MAILS_PER_ADDRESS_PER_DAY == 3
    eva = "eva@bakkerij-jansen.example"
    submission = create_submission(
        answers={"sector": "legal", "team_size": "6_15"}, language="nl",
        contact={"name": "Eva Jansen", "company": "Jansen Advocaten", "email": eva})
    v: Visit = visit("share-limits", viewport=LAPTOP)
    page = v.page

    # Before confirmation: what to do, and nothing to send.
    v.goto(submission.get_absolute_url())
    the_page_updates_itself_until_the_pdf_is_ready(page)
    expect(page.locator("#share .share-locked")).to_contain_text("Bevestig eerst je e-mailadres.")
    assert page.locator("#share form, .resend-advice").count() == 0
    v.check("before-confirmation")

    wait_until(lambda: smtp.to(eva), what="the advice mail")
    v.goto(confirmation_link(smtp.to(eva)[0].get_body(("plain",)).get_content()))
    page.get_by_role("button", name="Ja, dit is mijn adres").click()
    page.wait_for_url(re.compile(r".*/advies/[\w-]+/#share$"))
    the_page_updates_itself_until_the_pdf_is_ready(page)
    expect(page.locator("input[name=colleague]")).to_be_visible()
    v.check("after-confirmation")

    # The advice mail and two sent again make three mails today; a fourth is refused.
    for _ in range(2):
        page.locator(".resend-advice").click()
        expect(page.locator("#share [role=status]")).to_contain_text(eva)
    page.locator(".resend-advice").click()
    opens_at_the_error_summary(page)
    expect(page.locator("#error-summary")).to_contain_text(
        f"We hebben {eva} vandaag al zo veel e-mails gestuurd als we toestaan.")
    v.check("address-limit-reached")
    wait_until(lambda: len(smtp.to(eva)) == 3, what="three mails to Eva")

    # A second questionnaire with the same address that day: its advice mail waits.
    later = create_submission(
        answers={"sector": "legal"}, language="nl",
        contact={"name": "Eva Jansen", "company": "Jansen Advocaten", "email": eva})
    v.goto(later.get_absolute_url())
    the_page_updates_itself_until_the_pdf_is_ready(page)
    expect(page.locator("#share .share-locked")).to_contain_text(
        f"We hebben dit advies nog niet gemaild naar {eva}")
    expect(page.get_by_role("button", name=f"Mail het advies naar {eva}")).to_be_visible()
    v.check("advice-mail-held-back")
    assert len(smtp.to(eva)) == 3


class FormOnAnotherSite(http.server.BaseHTTPRequestHandler):
    """A page on another origin with a form that posts to the questionnaire."""

    target = ""

    def do_GET(self) -> None:
        body = (f'<!doctype html><html lang="en"><title>Elsewhere</title><form method="post" '
                f'action="{self.target}"><button>Send</button></form>').encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.mark.parametrize("device, language", [("phone", "nl"), ("laptop", "en")])
def test_the_pages_around_the_journey_are_accessible_and_say_what_happened(
        visit, live_server, device, language):
    words = WORDS[language]
    v: Visit = visit(f"pages-{device}-{language}", viewport=PHONE if device == "phone" else LAPTOP,
                     locale=words["locale"])
    page = v.page

    v.goto(words["prefix"] + "/privacy/")
    expect(page.locator("h1")).to_be_visible()
    assert v.no_horizontal_scroll()
    v.check("privacy")

    response = page.goto(live_server.url + words["prefix"] + "/advies/not-a-real-token/")
    assert response.status == 404
    v.check("not-found")

    # A form whose page expired (its token no longer matches): reload, not "cookies".
    v.goto(words["prefix"] + "/vragen/business/")
    page.locator("form.questionnaire input[name=csrfmiddlewaretoken]").evaluate(
        "(input) => { input.value = 'x'.repeat(64); }")
    page.locator("form.questionnaire button.btn-brand").click()
    expect(page.locator("h1")).to_have_text(str(_explanation(CSRF_EXPIRED, language)))
    v.check("form-expired")

    # A form on another site posting to us: says so, and does not blame cookies.
    FormOnAnotherSite.target = live_server.url + words["prefix"] + "/vragen/business/"
    elsewhere = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FormOnAnotherSite)
    threading.Thread(target=elsewhere.serve_forever, daemon=True).start()
    try:
        page.goto(f"http://127.0.0.1:{elsewhere.server_port}/")
        page.get_by_role("button", name="Send").click()
        expect(page.locator("h1")).to_have_text(str(_explanation(CSRF_OTHER_SITE, language)))
        v.check("form-from-another-site")
    finally:
        elsewhere.shutdown()
        elsewhere.server_close()


def _explanation(kind: str, language: str) -> str:
    with translation.override(language):
        return str(CSRF_EXPLANATIONS[kind]["heading"])


FOCUS_STYLE = """() => {
    const el = document.activeElement, style = getComputedStyle(el);
    return {tag: el.tagName, text: (el.innerText || el.name || "").trim().slice(0, 40),
            onBrand: !!el.closest(".contact-cta"),
            outline: style.outlineStyle, width: parseFloat(style.outlineWidth),
            color: style.outlineColor, shadow: style.boxShadow};
}"""


PAGE_BACKGROUND = "#f5f7fa"


def rgb_hex(css: str) -> str:
    red, green, blue = (int(n) for n in re.findall(r"\d+", css)[:3])
    return f"#{red:02x}{green:02x}{blue:02x}"


@pytest.mark.parametrize("primary", ["#1f4e79", "#0b5d3b", "#6a1b9a"])
def test_every_control_shows_a_focus_ring_with_enough_contrast_whatever_the_brand_colour(
        visit, settings, primary):
    settings.BRANDING = {**settings.BRANDING, "primary_color": primary}
    submission = create_submission(
        answers={"sector": "legal", "team_size": "6_15"}, language="nl",
        contact={"name": "Eva Jansen", "company": "Jansen Advocaten", "email": "eva@jansen.nl"})
    v: Visit = visit(f"focus-{primary[1:]}", viewport=LAPTOP)
    v.goto(submission.get_absolute_url())
    seen = []
    for _ in range(60):
        v.page.keyboard.press("Tab")
        focus = v.page.evaluate(FOCUS_STYLE)
        if focus["tag"] == "BODY":
            break
        seen.append(focus)
        if v.page.evaluate("!!document.activeElement.closest('.contact-cta .btn')") and \
                not any(s.get("shot") for s in seen):
            seen[-1]["shot"] = v.shot("focus-on-the-brand-colour")
        # A 3px ring with 3:1 against what it sits on (WCAG 2.2, 1.4.11 and 2.4.13): dark
        # on the light page, white on the brand colour; a thin ring of the other inside.
        background = primary if focus["onBrand"] else PAGE_BACKGROUND
        assert focus["outline"] == "solid" and focus["width"] >= 3, focus
        assert contrast_ratio(rgb_hex(focus["color"]), background) >= 3, focus
        assert "0px 0px 0px 2px" in focus["shadow"], focus
    assert len(seen) >= 8
    assert any(focus["onBrand"] for focus in seen)
